package verify

import (
	"fmt"
	"math/rand"
	"time"
)

func NewResetCode() (string, error) {
	r := rand.New(rand.NewSource(time.Now().UnixNano()))
	n := r.Intn(1000000)
	return fmt.Sprintf("%06d", n), nil
}
