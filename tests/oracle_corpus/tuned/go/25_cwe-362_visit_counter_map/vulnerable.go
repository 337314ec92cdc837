package main

import (
	"fmt"
	"net/http"
)

type visitCounter struct {
	counts map[string]int
}

func (v *visitCounter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	v.counts[r.URL.Path]++
	n := v.counts[r.URL.Path]
	fmt.Fprintf(w, "%s has %d visits\n", r.URL.Path, n)
}

func main() {
	http.ListenAndServe(":8080", &visitCounter{counts: map[string]int{}})
}
