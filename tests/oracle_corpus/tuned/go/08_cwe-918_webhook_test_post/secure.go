package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"time"
)

var allowedWebhookHosts = map[string]bool{
	"hooks.slack.com":    true,
	"discord.com":        true,
	"webhook.office.com": true,
}

func testWebhook(w http.ResponseWriter, r *http.Request) {
	var req struct {
		URL string `json:"url"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	u, err := url.Parse(req.URL)
	if err != nil || u.Scheme != "https" || !allowedWebhookHosts[u.Hostname()] {
		http.Error(w, "webhook host not allowed", http.StatusBadRequest)
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
