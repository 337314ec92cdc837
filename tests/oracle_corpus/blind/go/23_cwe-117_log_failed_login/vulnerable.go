package main

import (
	"log"
	"net/http"
)

type Authenticator interface {
	Check(user, pass string) bool
}

func loginHandler(auth Authenticator) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		user := r.PostFormValue("username")
		pass := r.PostFormValue("password")
		if !auth.Check(user, pass) {
			log.Printf("failed login for user=%s from %s", user, r.RemoteAddr)
			http.Error(w, "invalid credentials", http.StatusUnauthorized)
			return
		}
		w.Write([]byte("welcome"))
	}
}
