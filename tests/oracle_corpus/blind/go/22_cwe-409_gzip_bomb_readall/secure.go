package logs

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"strings"
)

const maxDecompressed = 50 << 20

func DecompressBundle(compressed []byte) ([]string, error) {
	zr, err := gzip.NewReader(bytes.NewReader(compressed))
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	data, err := io.ReadAll(io.LimitReader(zr, maxDecompressed+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxDecompressed {
		return nil, errors.New("bundle too large when decompressed")
	}
	return strings.Split(strings.TrimRight(string(data), "\n"), "\n"), nil
}
