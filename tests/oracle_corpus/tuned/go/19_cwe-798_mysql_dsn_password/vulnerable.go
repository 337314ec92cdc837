package store

import (
	"database/sql"
	"time"

	_ "github.com/go-sql-driver/mysql"
)

func OpenDB() (*sql.DB, error) {
	dsn := "shop:Sup3rS3cret!@tcp(db.internal:3306)/shop?parseTime=true"
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		return nil, err
	}
	db.SetConnMaxLifetime(3 * time.Minute)
	db.SetMaxOpenConns(10)
	return db, nil
}
