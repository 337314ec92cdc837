package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
)

type Event struct {
	Name string            `json:"name"`
	Ts   int64             `json:"ts"`
	Tags map[string]string `json:"tags"`
}

func ingestHandler(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "cannot read body", http.StatusBadRequest)
		return
	}
	var events []Event
	if err := json.Unmarshal(body, &events); err != nil {
		http.Error(w, "invalid json", http.StatusBadRequest)
		return
	}
	fmt.Fprintf(w, "received %d events\n", len(events))
}

func main() {
	http.HandleFunc("/ingest", ingestHandler)
	http.ListenAndServe(":8080", nil)
}
