package main

import (
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"
)

func importHandler(w http.ResponseWriter, r *http.Request) {
	tmpPath := filepath.Join(os.TempDir(), "import-"+strconv.FormatInt(time.Now().Unix(), 10)+".csv")
	f, err := os.Create(tmpPath)
	if err != nil {
		http.Error(w, "cannot create temp file", http.StatusInternalServerError)
		return
	}
	defer os.Remove(f.Name())
	_, err = io.Copy(f, r.Body)
	f.Close()
	if err != nil {
		http.Error(w, "upload failed", http.StatusBadRequest)
		return
	}
	if out, err := exec.Command("/usr/local/bin/importer", "--file", f.Name()).CombinedOutput(); err != nil {
		http.Error(w, string(out), http.StatusUnprocessableEntity)
		return
	}
	w.WriteHeader(http.StatusAccepted)
}
