package main

import (
	"fmt"
	"net/http"
	"time"
)

func serviceUp(name string) bool {
	resp, err := (&http.Client{Timeout: 2 * time.Second}).Get("http://127.0.0.1:9100/health/" + name)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

func statusHandler(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("service")
	up := serviceUp(name)
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"service": "%s", "up": %t}`, name, up)
}
