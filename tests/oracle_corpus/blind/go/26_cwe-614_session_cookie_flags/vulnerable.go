package session

import (
	"net/http"
	"time"
)

func SetSessionCookie(w http.ResponseWriter, sessionID string) {
	http.SetCookie(w, &http.Cookie{
		Name:     "sid",
		Value:    sessionID,
		Path:     "/",
		Expires:  time.Now().Add(12 * time.Hour),
		Secure:   false,
		HttpOnly: false,
	})
}
