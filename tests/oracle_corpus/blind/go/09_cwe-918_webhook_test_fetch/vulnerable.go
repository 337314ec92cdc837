package main

import (
	"encoding/json"
	"net/http"
	"time"
)

func testWebhook(w http.ResponseWriter, r *http.Request) {
	target := r.FormValue("url")
	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get(target)
	if err != nil {
		http.Error(w, "request failed", http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]int{"status": resp.StatusCode})
}
