package importer

import (
	"io"
	"os"
	"path/filepath"
)

func SpoolUpload(userID string, src io.Reader) (string, error) {
	path := filepath.Join(os.TempDir(), "import-"+userID+".csv")
	f, err := os.Create(path)
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
