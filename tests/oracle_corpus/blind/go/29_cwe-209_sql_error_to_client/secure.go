package main

import (
	"database/sql"
	"encoding/json"
	"log"
	"net/http"
)

type Invoice struct {
	ID     int64   `json:"id"`
	Amount float64 `json:"amount"`
	Status string  `json:"status"`
}

func invoiceHandler(db *sql.DB) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var inv Invoice
		err := db.QueryRow("SELECT id, amount, status FROM invoices WHERE id = $1",
			r.URL.Query().Get("id")).Scan(&inv.ID, &inv.Amount, &inv.Status)
		if err == sql.ErrNoRows {
			http.NotFound(w, r)
			return
		}
		if err != nil {
			log.Printf("invoice lookup: %v", err)
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(inv)
	}
}
