package main

import (
	"fmt"
	"net/http"
	"sync"
)

type visitCounter struct {
	mu     sync.Mutex
	counts map[string]int
}

func (v *visitCounter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	v.mu.Lock()
	v.counts[r.URL.Path]++
	n := v.counts[r.URL.Path]
	v.mu.Unlock()
	fmt.Fprintf(w, "%s has %d visits\n", r.URL.Path, n)
}

func main() {
	http.ListenAndServe(":8080", &visitCounter{counts: map[string]int{}})
}
