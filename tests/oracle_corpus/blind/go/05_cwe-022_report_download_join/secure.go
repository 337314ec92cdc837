package main

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

const reportsDir = "/var/app/reports"

func downloadReport(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	if name == "" {
		http.Error(w, "missing name", http.StatusBadRequest)
		return
	}
	path := filepath.Join(reportsDir, name)
	if !strings.HasPrefix(filepath.Clean(path), reportsDir+string(os.PathSeparator)) {
		http.Error(w, "invalid name", http.StatusBadRequest)
		return
	}
	data, err := os.ReadFile(path)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Write(data)
}
