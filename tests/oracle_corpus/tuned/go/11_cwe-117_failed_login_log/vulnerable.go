package main

import (
	"log"
	"net/http"

	"golang.org/x/crypto/bcrypt"
)

var passwordHashes = map[string][]byte{}

func loginHandler(w http.ResponseWriter, r *http.Request) {
	user := r.FormValue("username")
	pass := r.FormValue("password")
	hash, ok := passwordHashes[user]
	if !ok || bcrypt.CompareHashAndPassword(hash, []byte(pass)) != nil {
		log.Printf("failed login for user %s from %s", user, r.RemoteAddr)
		http.Error(w, "invalid credentials", http.StatusUnauthorized)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
