package main

import (
	"net/http"
	"os"
)

func requireAPIKey(next http.Handler) http.Handler {
	expected := os.Getenv("SERVICE_API_KEY")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := r.Header.Get("X-API-Key")
		if expected == "" || got != expected {
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("/status", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("ok"))
	})
	http.ListenAndServe(":8080", requireAPIKey(mux))
}
