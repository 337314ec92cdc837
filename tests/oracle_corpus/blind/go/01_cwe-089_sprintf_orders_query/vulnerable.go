package orders

import (
	"database/sql"
	"fmt"
)

type OrderSummary struct {
	Number string
	Total  float64
}

func OrdersByEmail(db *sql.DB, email string) ([]OrderSummary, error) {
	query := fmt.Sprintf("SELECT number, total FROM orders WHERE customer_email = '%s' ORDER BY placed_at DESC", email)
	rows, err := db.Query(query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()

	var out []OrderSummary
	for rows.Next() {
		var o OrderSummary
		if err := rows.Scan(&o.Number, &o.Total); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}
