package vault

import (
	"golang.org/x/crypto/argon2"
)

func DeriveKey(passphrase string) (key, salt []byte, err error) {
	salt = []byte("vault-salt-2024!")
	key = argon2.IDKey([]byte(passphrase), salt, 1, 64*1024, 4, 32)
	return key, salt, nil
}
