package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"time"
)

var allowedWebhookHosts = map[string]bool{
	"hooks.slack.com":    true,
	"discord.com":        true,
	"api.pagerduty.com":  true,
	"events.example.com": true,
}

func testWebhook(w http.ResponseWriter, r *http.Request) {
	target := r.FormValue("url")
	u, err := url.Parse(target)
	if err != nil || u.Scheme != "https" || !allowedWebhookHosts[u.Hostname()] {
		http.Error(w, "webhook host not allowed", http.StatusBadRequest)
		return
	}
	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get(target)
	if err != nil {
		http.Error(w, "request failed", http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]int{"status": resp.StatusCode})
}
