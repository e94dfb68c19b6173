package runtime

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/nncc/nncc/frontend/onnx"
)

// Load opens a model: an .onnx file, or a folder holding model.onnx.
// External tensor data is read from the model's folder only.
func Load(path string, opts Options) (*Session, error) {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		path = filepath.Join(path, "model.onnx")
	}
	g, err := onnx.Load(path)
	if err != nil {
		return nil, err
	}
	s, err := NewSession(g, opts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// LoadBytes decodes a serialized ONNX model. A model with external data
// cannot be loaded this way (there is no folder to read it from).
func LoadBytes(data []byte, opts Options) (*Session, error) {
	g, err := onnx.Decode(data)
	if err != nil {
		return nil, err
	}
	return NewSession(g, opts)
}

// LoadReader reads a serialized ONNX model from r.
func LoadReader(r io.Reader, opts Options) (*Session, error) {
	g, err := onnx.DecodeReader(r)
	if err != nil {
		return nil, err
	}
	return NewSession(g, opts)
}
