package vault

import (
	"crypto/rand"

	"golang.org/x/crypto/argon2"
)

func DeriveKey(passphrase string) (key, salt []byte, err error) {
	salt = make([]byte, 16)
	if _, err = rand.Read(salt); err != nil {
		return nil, nil, err
	}
	key = argon2.IDKey([]byte(passphrase), salt, 1, 64*1024, 4, 32)
	return key, salt, nil
}
