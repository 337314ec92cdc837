package main

import (
	"database/sql"
	"encoding/json"
	"log"
	"net/http"

	_ "github.com/lib/pq"
)

type Product struct {
	ID    int     `json:"id"`
	Name  string  `json:"name"`
	Price float64 `json:"price"`
}

func productsHandler(db *sql.DB) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		category := r.URL.Query().Get("category")
		rows, err := db.Query("SELECT id, name, price FROM products WHERE category = $1 ORDER BY name", category)
		if err != nil {
			http.Error(w, "query failed", http.StatusInternalServerError)
			return
		}
		defer rows.Close()
		products := []Product{}
		for rows.Next() {
			var p Product
			if err := rows.Scan(&p.ID, &p.Name, &p.Price); err != nil {
				http.Error(w, "scan failed", http.StatusInternalServerError)
				return
			}
			products = append(products, p)
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(products)
	}
}

func main() {
	db, err := sql.Open("postgres", "postgres://shop@localhost/shop?sslmode=disable")
	if err != nil {
		log.Fatal(err)
	}
	http.HandleFunc("/products", productsHandler(db))
	log.Fatal(http.ListenAndServe(":8080", nil))
}
