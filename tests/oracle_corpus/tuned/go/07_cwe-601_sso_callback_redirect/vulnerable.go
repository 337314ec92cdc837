package main

import (
	"net/http"
)

func loginCallback(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: "session", Value: r.FormValue("ticket"), Path: "/", HttpOnly: true, Secure: true})
	next := r.URL.Query().Get("next")
	if next == "" {
		next = "/"
	}
	w.Header().Set("Location", next)
	w.WriteHeader(http.StatusFound)
}

func main() {
	http.HandleFunc("/sso/callback", loginCallback)
	http.ListenAndServe(":8080", nil)
}
