package session

import (
	"crypto/rc4"
	"encoding/base64"
)

func EncryptCookie(key, plain []byte) (string, error) {
	c, err := rc4.NewCipher(key)
	if err != nil {
		return "", err
	}
	out := make([]byte, len(plain))
	c.XORKeyStream(out, plain)
	return base64.RawURLEncoding.EncodeToString(out), nil
}
