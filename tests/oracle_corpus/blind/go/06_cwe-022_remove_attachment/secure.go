package tickets

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

var ErrBadName = errors.New("invalid attachment name")

func DeleteAttachment(storageRoot string, ticketID int64, fileName string) error {
	dir := filepath.Join(storageRoot, "tickets", strconv.FormatInt(ticketID, 10))
	if fileName == "" || fileName == "." || fileName == ".." || strings.ContainsAny(fileName, `/\`) {
		return ErrBadName
	}
	target := filepath.Join(dir, fileName)
	if !strings.HasPrefix(target, dir+string(os.PathSeparator)) {
		return ErrBadName
	}
	return os.Remove(target)
}
