package media

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
)

func ResizeImage(path string, width int) (string, error) {
	ext := filepath.Ext(path)
	out := strings.TrimSuffix(path, ext) + fmt.Sprintf("_w%d", width) + ext
	cmd := exec.Command("sh", "-c", fmt.Sprintf("convert %s -resize %dx %s", path, width, out))
	if output, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("convert failed: %v: %s", err, output)
	}
	return out, nil
}
