package users

import (
	"crypto/md5"
	"database/sql"
	"encoding/hex"
)

func Register(db *sql.DB, username, password string) error {
	sum := md5.Sum([]byte(password))
	hash := hex.EncodeToString(sum[:])
	_, err := db.Exec("INSERT INTO users (username, password_hash) VALUES ($1, $2)", username, hash)
	return err
}
