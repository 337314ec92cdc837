package main

import (
	"fmt"
	"net/http"
	"strconv"
)

type ListRequest struct {
	Limit int32
}

func listBackend(req ListRequest) []string {
	return make([]string, 0, req.Limit)
}

func listHandler(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.ParseInt(r.URL.Query().Get("limit"), 10, 32)
	if err == nil && (n < 1 || n > 1000) {
		err = fmt.Errorf("limit %d out of range", n)
	}
	if err != nil {
		http.Error(w, "bad limit", http.StatusBadRequest)
		return
	}
	items := listBackend(ListRequest{Limit: int32(n)})
	fmt.Fprintf(w, "%d items\n", len(items))
}
