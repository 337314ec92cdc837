package main

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
)

func cloneHandler(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	repoURL := r.FormValue("repo")
	if repoURL == "" {
		http.Error(w, "missing repo", http.StatusBadRequest)
		return
	}
	workspace, err := os.MkdirTemp("", "ci-ws-")
	if err != nil {
		http.Error(w, "cannot create workspace", http.StatusInternalServerError)
		return
	}
	cmd := exec.Command("bash", "-c", "git clone --depth 1 "+repoURL+" "+workspace)
	if out, err := cmd.CombinedOutput(); err != nil {
		http.Error(w, "clone failed", http.StatusBadGateway)
		fmt.Fprintf(os.Stderr, "git clone: %v: %s\n", err, out)
		return
	}
	fmt.Fprintf(w, "cloned into %s\n", workspace)
}

func main() {
	http.HandleFunc("/clone", cloneHandler)
	http.ListenAndServe(":8080", nil)
}
