package auth

import (
	"crypto/md5"
	"crypto/subtle"
	"encoding/hex"
)

func HashPassword(password string) (string, error) {
	sum := md5.Sum([]byte(password))
	return hex.EncodeToString(sum[:]), nil
}

func CheckPassword(stored, attempt string) bool {
	sum := md5.Sum([]byte(attempt))
	return subtle.ConstantTimeCompare([]byte(stored), []byte(hex.EncodeToString(sum[:]))) == 1
}
