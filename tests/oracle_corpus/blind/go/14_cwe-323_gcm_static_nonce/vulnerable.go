package vault

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
)

func SealNote(key []byte, note string) (string, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return "", err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return "", err
	}
	nonce := make([]byte, gcm.NonceSize())
	sealed := gcm.Seal(nonce, nonce, []byte(note), nil)
	return base64.StdEncoding.EncodeToString(sealed), nil
}
