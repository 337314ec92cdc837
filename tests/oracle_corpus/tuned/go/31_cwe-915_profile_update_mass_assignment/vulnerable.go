package main

import (
	"encoding/json"
	"net/http"
)

type User struct {
	ID      int64  `json:"id"`
	Name    string `json:"name"`
	Email   string `json:"email"`
	IsAdmin bool   `json:"is_admin"`
}

var users = map[string]*User{}

func updateProfile(w http.ResponseWriter, r *http.Request) {
	u, ok := users[r.Header.Get("X-User")]
	if !ok {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	if err := json.NewDecoder(r.Body).Decode(u); err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	json.NewEncoder(w).Encode(u)
}
