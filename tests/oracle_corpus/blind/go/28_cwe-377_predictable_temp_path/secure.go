package importer

import (
	"io"
	"os"
)

func SpoolUpload(userID string, src io.Reader) (string, error) {
	f, err := os.CreateTemp("", "import-*.csv")
	if err != nil {
		return "", err
	}
	defer f.Close()
	if _, err := io.Copy(f, src); err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}
