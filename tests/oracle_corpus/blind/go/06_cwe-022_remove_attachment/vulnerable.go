package tickets

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
)

var ErrBadName = errors.New("invalid attachment name")

func DeleteAttachment(storageRoot string, ticketID int64, fileName string) error {
	dir := filepath.Join(storageRoot, "tickets", strconv.FormatInt(ticketID, 10))
	target := filepath.Join(dir, fileName)
	return os.Remove(target)
}
