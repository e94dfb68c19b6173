package runtime

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/nncc/nncc/codegen"
	"github.com/nncc/nncc/frontend/onnx"
	"github.com/nncc/nncc/ir"
)

// maxModelBytes bounds what the byte-oriented loaders read.
const maxModelBytes = 2 << 30

// Load opens a model: an .onnx file, a compiled .nnc artifact, or a folder
// holding model.nnc or model.onnx. External tensor data of ONNX files is
// read from the model's folder only.
func Load(path string, opts Options) (*Session, error) {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		if _, err := os.Stat(filepath.Join(path, "model.nnc")); err == nil {
			path = filepath.Join(path, "model.nnc")
		} else {
			path = filepath.Join(path, "model.onnx")
		}
	}
	if isArtifactFile(path) {
		data, err := readFileLimited(path)
		if err != nil {
			return nil, err
		}
		s, err := LoadArtifact(data, opts)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return s, nil
	}
	g, err := onnx.Load(path, onnx.WithLimits(opts.ModelLimits))
	if err != nil {
		return nil, err
	}
	s, err := NewSession(g, opts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

func isArtifactFile(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	magic := make([]byte, len(codegen.ArtifactMagic))
	if _, err := io.ReadFull(f, magic); err != nil {
		return false
	}
	return codegen.IsArtifact(magic)
}

func readFileLimited(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readAllLimited(f)
}

func readAllLimited(r io.Reader) ([]byte, error) {
	var buf bytes.Buffer
	n, err := io.Copy(&buf, io.LimitReader(r, maxModelBytes+1))
	if err != nil {
		return nil, err
	}
	if n > maxModelBytes {
		return nil, fmt.Errorf("model larger than %d bytes", int64(maxModelBytes))
	}
	return buf.Bytes(), nil
}

// LoadBytes loads a serialized ONNX model or .nnc artifact. An ONNX model
// with external data cannot be loaded this way (there is no folder to read
// it from).
func LoadBytes(data []byte, opts Options) (*Session, error) {
	if codegen.IsArtifact(data) {
		return LoadArtifact(data, opts)
	}
	g, err := onnx.Decode(data, onnx.WithLimits(opts.ModelLimits))
	if err != nil {
		return nil, err
	}
	return NewSession(g, opts)
}

// LoadReader reads a serialized ONNX model or .nnc artifact from r.
func LoadReader(r io.Reader, opts Options) (*Session, error) {
	data, err := readAllLimited(r)
	if err != nil {
		return nil, err
	}
	return LoadBytes(data, opts)
}

// LoadReaderAt reads size bytes of a model or artifact from r.
func LoadReaderAt(r io.ReaderAt, size int64, opts Options) (*Session, error) {
	if size < 0 || size > maxModelBytes {
		return nil, fmt.Errorf("model size %d out of range", size)
	}
	return LoadReader(io.NewSectionReader(r, 0, size), opts)
}

// LoadFS loads the named model or artifact from fsys (for example an
// embed.FS).
func LoadFS(fsys fs.FS, name string, opts Options) (*Session, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	s, err := LoadReader(f, opts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return s, nil
}

// LoadArtifact loads a compiled .nnc artifact: its graph is already
// optimised, so no load-time pass runs.
func LoadArtifact(data []byte, opts Options) (*Session, error) {
	g, h, err := codegen.ReadArtifact(data)
	if err != nil {
		return nil, err
	}
	passes := append([]string{}, h.Passes...)
	if passes == nil {
		passes = []string{}
	}
	s, err := newSession(g, opts, passes)
	if err != nil {
		return nil, err
	}
	s.artifact = &h
	return s, nil
}

// Compile optimises g with opts and encodes it as a .nnc artifact for the
// given ISA level ("auto" picks this CPU's best).
func Compile(g *ir.Graph, opts Options, isa string) ([]byte, error) {
	if isa == "" || isa == "auto" {
		isa = codegen.HostISA()
	}
	features, ok := codegen.ISAFeatures[isa]
	if !ok {
		return nil, fmt.Errorf("unknown ISA %q (want auto, generic, avx2, avx512 or neon)", isa)
	}
	s, err := NewSession(g, opts)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	level := 1
	if opts.Reference {
		level = 0
	}
	return codegen.WriteArtifact(s.graph, codegen.ArtifactHeader{
		Producer:    "nncc",
		ISA:         isa,
		CPUFeatures: features,
		OptLevel:    level,
		Passes:      s.ran,
	})
}

// Artifact returns the header of the artifact the session was loaded
// from, or nil for sessions made from ONNX models or graphs.
func (s *Session) Artifact() *codegen.ArtifactHeader { return s.artifact }
