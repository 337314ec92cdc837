package main

import (
	"net/http"
	"os/exec"
	"path/filepath"
)

func convertHandler(w http.ResponseWriter, r *http.Request) {
	name := r.FormValue("file")
	src := filepath.Join("/srv/uploads", filepath.Base(name))
	cmd := exec.Command("soffice", "--headless", "--convert-to", "pdf", "--outdir", "/srv/converted", src)
	if out, err := cmd.CombinedOutput(); err != nil {
		http.Error(w, "conversion failed: "+string(out), http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func main() {
	http.HandleFunc("/convert", convertHandler)
	http.ListenAndServe(":8080", nil)
}
