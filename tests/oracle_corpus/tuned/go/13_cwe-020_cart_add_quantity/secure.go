package main

import (
	"fmt"
	"net/http"
	"strconv"
	"sync"
)

var (
	mu     sync.Mutex
	prices = map[string]int{"mug": 1200, "tshirt": 2500}
	totals = map[string]int{}
)

func addItem(w http.ResponseWriter, r *http.Request) {
	sku := r.FormValue("sku")
	price, ok := prices[sku]
	if !ok {
		http.Error(w, "unknown product", http.StatusNotFound)
		return
	}
	qty, err := strconv.Atoi(r.FormValue("qty"))
	if err != nil {
		http.Error(w, "qty must be a number", http.StatusBadRequest)
		return
	}
	if qty < 1 || qty > 99 {
		http.Error(w, "qty must be between 1 and 99", http.StatusBadRequest)
		return
	}
	cookie, err := r.Cookie("session")
	if err != nil {
		http.Error(w, "no session", http.StatusUnauthorized)
		return
	}
	mu.Lock()
	totals[cookie.Value] += price * qty
	total := totals[cookie.Value]
	mu.Unlock()
	fmt.Fprintf(w, "total: %d cents\n", total)
}
