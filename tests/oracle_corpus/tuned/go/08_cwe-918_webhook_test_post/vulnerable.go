package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"time"
)

func testWebhook(w http.ResponseWriter, r *http.Request) {
	var req struct {
		URL string `json:"url"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	payload, _ := json.Marshal(map[string]string{"event": "test", "sent_at": time.Now().Format(time.RFC3339)})
	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Post(req.URL, "application/json", bytes.NewReader(payload))
	if err != nil {
		http.Error(w, "delivery failed", http.StatusBadGateway)
		return
	}
	resp.Body.Close()
	w.WriteHeader(resp.StatusCode)
}

func main() {
	http.HandleFunc("/api/webhooks/test", testWebhook)
	http.ListenAndServe(":8080", nil)
}
