package export

import (
	"encoding/json"
	"os"
	"path/filepath"
)

type UserData struct {
	ID      int64             `json:"id"`
	Email   string            `json:"email"`
	Address string            `json:"address"`
	Prefs   map[string]string `json:"prefs"`
}

func ExportUser(dir string, u UserData) (string, error) {
	if err := os.MkdirAll(dir, 0777); err != nil {
		return "", err
	}
	data, err := json.MarshalIndent(u, "", "  ")
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "user-export.json")
	if err := os.WriteFile(path, data, 0666); err != nil {
		return "", err
	}
	return path, nil
}
