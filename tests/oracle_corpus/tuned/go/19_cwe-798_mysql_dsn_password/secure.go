package store

import (
	"database/sql"
	"errors"
	"os"
	"time"

	_ "github.com/go-sql-driver/mysql"
)

func OpenDB() (*sql.DB, error) {
	dsn := os.Getenv("SHOP_DB_DSN")
	if dsn == "" {
		return nil, errors.New("SHOP_DB_DSN is not set")
	}
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		return nil, err
	}
	db.SetConnMaxLifetime(3 * time.Minute)
	db.SetMaxOpenConns(10)
	return db, nil
}
