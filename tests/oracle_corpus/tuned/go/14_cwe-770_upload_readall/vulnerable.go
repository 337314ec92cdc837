package main

import (
	"crypto/rand"
	"encoding/hex"
	"io"
	"net/http"
	"os"
	"path/filepath"
)

func uploadHandler(w http.ResponseWriter, r *http.Request) {
	data, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "could not read upload", http.StatusBadRequest)
		return
	}
	id := make([]byte, 16)
	rand.Read(id)
	name := hex.EncodeToString(id)
	if err := os.WriteFile(filepath.Join("/srv/uploads", name), data, 0o600); err != nil {
		http.Error(w, "could not store upload", http.StatusInternalServerError)
		return
	}
	w.Write([]byte(name))
}
