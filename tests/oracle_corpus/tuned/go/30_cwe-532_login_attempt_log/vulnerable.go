package main

import (
	"log"
	"net/http"
)

func loginHandler(w http.ResponseWriter, r *http.Request) {
	user := r.FormValue("username")
	pass := r.FormValue("password")
	log.Printf("login attempt user=%q password=%q ip=%s", user, pass, r.RemoteAddr)
	if !checkCredentials(user, pass) {
		http.Error(w, "invalid credentials", http.StatusUnauthorized)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func checkCredentials(user, pass string) bool {
	return false
}
