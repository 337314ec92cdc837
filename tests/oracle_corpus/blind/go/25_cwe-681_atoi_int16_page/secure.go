package main

import (
	"encoding/json"
	"net/http"
	"strconv"
)

type Page struct {
	Number int16 `json:"number"`
	Size   int16 `json:"size"`
}

var catalog = make([]string, 5000)

func pageHandler(w http.ResponseWriter, r *http.Request) {
	num, err1 := strconv.ParseInt(r.URL.Query().Get("page"), 10, 16)
	size, err2 := strconv.ParseInt(r.URL.Query().Get("size"), 10, 16)
	if err1 != nil || err2 != nil || num < 0 || size <= 0 || size > 100 {
		http.Error(w, "bad pagination", http.StatusBadRequest)
		return
	}
	p := Page{Number: int16(num), Size: int16(size)}
	start := int(p.Number) * int(p.Size)
	end := start + int(p.Size)
	if start > len(catalog) {
		start = len(catalog)
	}
	if end > len(catalog) {
		end = len(catalog)
	}
	json.NewEncoder(w).Encode(map[string]interface{}{"page": p, "items": catalog[start:end]})
}
