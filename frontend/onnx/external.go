package onnx

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/nncc/nncc/frontend/onnx/onnxpb"
)

// readExternal reads the want bytes of a tensor stored outside the model.
//
// A model file comes from anyone, so its external_data is treated as
// hostile: the location must be a relative path that stays inside baseDir
// (no absolute paths, no ".." escapes, no symbolic links that lead out of
// the folder), must name a regular file, and offset/length must lie within
// that file and cover exactly the tensor's bytes.
func readExternal(tp *onnxpb.TensorProto, baseDir string, want int64) ([]byte, error) {
	if baseDir == "" {
		return nil, fmt.Errorf("uses external data but no base directory is set (use Load or WithBaseDir)")
	}
	var location string
	offset, length := int64(0), int64(-1)
	for _, kv := range tp.ExternalData {
		switch kv.Key {
		case "location":
			location = kv.Value
		case "offset", "length":
			v, err := strconv.ParseInt(kv.Value, 10, 64)
			if err != nil || v < 0 {
				return nil, fmt.Errorf("external data %s %q is not a non-negative integer", kv.Key, kv.Value)
			}
			if kv.Key == "offset" {
				offset = v
			} else {
				length = v
			}
		case "checksum":
			// Optional SHA-1 of the file; integrity is not a safety
			// property here, so it is not verified.
		}
	}
	path, err := resolveInside(baseDir, location)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("external data: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("external data: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("external data location %q is not a regular file", location)
	}
	size := fi.Size()
	if offset > size {
		return nil, fmt.Errorf("external data offset %d is beyond the end of %q (%d bytes)", offset, location, size)
	}
	if length < 0 {
		length = size - offset
	}
	if length > size-offset {
		return nil, fmt.Errorf("external data offset %d + length %d is beyond the end of %q (%d bytes)", offset, length, location, size)
	}
	if length != want {
		return nil, fmt.Errorf("external data in %q has %d bytes, the tensor needs %d", location, length, want)
	}
	buf := make([]byte, length)
	if _, err := f.ReadAt(buf, offset); err != nil && !(err == io.EOF && length == 0) {
		return nil, fmt.Errorf("external data: reading %q: %w", location, err)
	}
	return buf, nil
}

// resolveInside maps a model-relative location to a path and checks that,
// after resolving symbolic links, it is still inside baseDir.
func resolveInside(baseDir, location string) (string, error) {
	if location == "" {
		return "", fmt.Errorf("external data has no location")
	}
	if strings.ContainsRune(location, 0) {
		return "", fmt.Errorf("external data location %q is not a valid path", location)
	}
	// Both separators count: a location written on Windows must not
	// become a single odd file name here, nor "..\\" an escape there.
	loc := filepath.FromSlash(strings.ReplaceAll(location, `\`, "/"))
	if filepath.IsAbs(loc) || strings.HasPrefix(location, "/") || strings.HasPrefix(location, `\`) || filepath.VolumeName(loc) != "" {
		return "", fmt.Errorf("external data location %q is absolute; it must be relative to the model's folder", location)
	}
	if !filepath.IsLocal(loc) {
		return "", fmt.Errorf("external data location %q leaves the model's folder", location)
	}
	base, err := filepath.EvalSymlinks(baseDir)
	if err != nil {
		return "", fmt.Errorf("external data base directory: %w", err)
	}
	if base, err = filepath.Abs(base); err != nil {
		return "", fmt.Errorf("external data base directory: %w", err)
	}
	full, err := filepath.EvalSymlinks(filepath.Join(base, loc))
	if err != nil {
		return "", fmt.Errorf("external data location %q: %w", location, err)
	}
	if full, err = filepath.Abs(full); err != nil {
		return "", fmt.Errorf("external data location %q: %w", location, err)
	}
	rel, err := filepath.Rel(base, full)
	if err != nil || !filepath.IsLocal(rel) {
		return "", fmt.Errorf("external data location %q resolves to %q, outside the model's folder", location, full)
	}
	return full, nil
}
