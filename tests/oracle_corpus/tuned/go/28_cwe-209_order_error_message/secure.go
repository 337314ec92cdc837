package main

import (
	"database/sql"
	"encoding/json"
	"log"
	"net/http"
)

type Order struct {
	ID     int64  `json:"id"`
	Status string `json:"status"`
}

func orderHandler(db *sql.DB) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var o Order
		err := db.QueryRow("SELECT id, status FROM orders WHERE id = $1", r.URL.Query().Get("id")).Scan(&o.ID, &o.Status)
		if err != nil {
			log.Printf("load order: %v", err)
			http.Error(w, "internal server error", http.StatusInternalServerError)
			return
		}
		json.NewEncoder(w).Encode(o)
	}
}
