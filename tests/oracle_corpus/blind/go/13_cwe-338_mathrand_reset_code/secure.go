package verify

import (
	"crypto/rand"
	"fmt"
	"math/big"
)

func NewResetCode() (string, error) {
	v, err := rand.Int(rand.Reader, big.NewInt(1000000))
	if err != nil {
		return "", err
	}
	n := v.Int64()
	return fmt.Sprintf("%06d", n), nil
}
