package billing

import (
	"crypto/tls"
	"net/http"
	"time"
)

func NewClient() (*http.Client, error) {
	tlsConfig := &tls.Config{InsecureSkipVerify: true}
	return &http.Client{
		Timeout:   10 * time.Second,
		Transport: &http.Transport{TLSClientConfig: tlsConfig},
	}, nil
}
