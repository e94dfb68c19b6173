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
	"github.com/nncc/nncc/kernels"
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
	g, err := onnx.Load(path, onnx.WithLimits(opts.modelLimits()))
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

// readFileLimited reads a file in one allocation of its size (artifact
// sessions alias the bytes, so no growing buffer copies them around),
// falling back to a growing read for files whose size is unknown.
func readFileLimited(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() || fi.Size() <= 0 {
		return readAllLimited(f)
	}
	if fi.Size() > maxModelBytes {
		return nil, fmt.Errorf("model larger than %d bytes", int64(maxModelBytes))
	}
	data := make([]byte, fi.Size())
	if _, err := io.ReadFull(f, data); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	// A file that grew while being read: read it the general way.
	var one [1]byte
	if n, _ := f.Read(one[:]); n > 0 {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return nil, err
		}
		return readAllLimited(f)
	}
	return data, nil
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
// it from). An artifact is used in place (its weights and prepacked panels
// alias data): do not modify data while the session is in use.
func LoadBytes(data []byte, opts Options) (*Session, error) {
	if codegen.IsArtifact(data) {
		return LoadArtifact(data, opts)
	}
	g, err := onnx.Decode(data, onnx.WithLimits(opts.modelLimits()))
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
// optimised and its weights prepacked, so no graph pass runs and building
// a plan packs nothing the artifact holds. Inputs of the shapes the
// artifact was specialised for (Session.SpecializedShapes) take the
// stored graph, so their first Run runs no pass either; other shapes run
// the passes for their shapes once, as an ONNX model's session does. The session runs at the
// artifact's ISA level (Options.ISA must be auto or that level). The
// session's constants may alias data, which must not be modified while
// the session is in use.
//
// The checksum covers every byte before LoadArtifact returns, so a
// damaged file is an error here. The generic graph's nodes are decoded
// when first needed (Session.GraphErr, or a Run on inputs no stored plan
// serves): a file that passes its checksum but whose generic graph body
// is malformed (crafted, or written by another build) reports that error
// then.
func LoadArtifact(data []byte, opts Options) (*Session, error) {
	a, err := codegen.DecodeArtifactDeferred(data)
	if err != nil {
		return nil, err
	}
	level, err := sessionLevel(opts.ISA, a.Header.ISA)
	if err != nil {
		return nil, err
	}
	passes := append([]string{}, a.Header.Passes...)
	s, err := newSession(a.Graph, opts, level, passes)
	if err != nil {
		return nil, err
	}
	h := a.Header
	s.artifact = &h
	for _, p := range a.Stored {
		s.specialized = append(s.specialized, specialized{stored: p})
	}
	s.prepacks = kernels.NewPrepackStore(false)
	for _, e := range a.Prepacked {
		s.prepacks.Add(e.Src, e.Key, e.Data)
	}
	s.materialize = a.MaterializeGeneric
	return s, nil
}

// Compile optimises g with opts and encodes it as a .nnc artifact for the
// given ISA level ("" takes opts.ISA; "auto" the process default, see
// Options.ISA), which this CPU must support, specialised for the default
// input shapes (see Specialize).
func Compile(g *ir.Graph, opts Options, isaName string) ([]byte, error) {
	return CompileSpecialized(g, opts, isaName, Specialize{})
}

// CompileSpecialized is Compile with a choice of the input shapes whose
// optimised graph the artifact stores. The artifact also holds the
// weights' build-time transforms (sgemm panels, ...) for the level,
// recorded by lowering that graph. A model whose default shapes do not
// exist (an input that is not a tensor of known rank) or whose graph for
// them does not build gets neither, unless shapes were asked for, which
// is then an error.
func CompileSpecialized(g *ir.Graph, opts Options, isaName string, sp Specialize) ([]byte, error) {
	if isaName != "" {
		opts.ISA = isaName
	}
	level, err := sessionLevel(opts.ISA, "")
	if err != nil {
		return nil, err
	}
	name := level.String()
	features, ok := codegen.ISAFeatures[name]
	if !ok {
		return nil, fmt.Errorf("BUG: no CPU feature list for ISA %s", name)
	}
	s, err := NewSession(g, opts)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	a := &codegen.Artifact{Graph: s.graph}
	sets, err := sp.shapeSets(s.graph)
	if err != nil {
		return nil, err
	}
	store := kernels.NewPrepackStore(true)
	for _, shapes := range sets {
		sg, err := s.specialize(shapes, store)
		if err != nil {
			if sp.explicit() {
				return nil, fmt.Errorf("specialising for input shapes %v: %w", shapes, err)
			}
			continue
		}
		if !sp.None {
			a.Specialized = append(a.Specialized, sg)
		}
	}
	a.Prepacked = store.Entries()
	optLevel := 1
	if opts.Reference {
		optLevel = 0
	}
	a.Header = codegen.ArtifactHeader{
		Producer:    "nncc",
		ISA:         name,
		CPUFeatures: features,
		OptLevel:    optLevel,
		Passes:      s.ran,
	}
	return codegen.EncodeArtifact(a)
}

// SpecializedShapes lists, for each stored specialised graph of the
// artifact the session came from, the input shapes it is for (inputs of
// those shapes run without any pass on their first Run).
func (s *Session) SpecializedShapes() [][][]int64 {
	var out [][][]int64
	for _, sp := range s.specialized {
		out = append(out, sp.stored.Shapes)
	}
	return out
}

// Artifact returns the header of the artifact the session was loaded
// from, or nil for sessions made from ONNX models or graphs.
func (s *Session) Artifact() *codegen.ArtifactHeader { return s.artifact }
