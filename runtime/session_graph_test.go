package runtime

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nncc/nncc/frontend/onnx"
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels"
)

// derivedArtifactSession loads an artifact of the cnn test model that
// stores some weights prepacked only, so that its generic graph needs
// unpacking, and returns it with the model's test inputs.
func derivedArtifactSession(t *testing.T) (*Session, []*ir.Tensor) {
	t.Helper()
	dir := filepath.Join("..", "testdata", "models", "cnn")
	data, err := os.ReadFile(filepath.Join(dir, "model.onnx"))
	if err != nil {
		t.Skip(err)
	}
	g, err := onnx.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	art, err := CompileSpecialized(g, Options{}, "auto", Specialize{Also: TestDataShapes(dir, g)})
	if err != nil {
		t.Fatal(err)
	}
	s, err := LoadBytes(art, Options{Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	ins, ok := testSetInputs(s, dir)
	if !ok {
		t.Fatal("no test inputs")
	}
	return s, ins
}

// TestGraphNeverPanics: Graph returns nil (and GraphErr the reason) when
// the weights an artifact stores prepacked only cannot be unpacked,
// whether unpacking reports an error or panics on hostile data, and the
// failure is sticky: a later call cannot see half-unpacked weights, and a
// Run that needs the generic graph fails with it. A closed session's
// Graph still answers.
func TestGraphNeverPanics(t *testing.T) {
	for _, c := range []struct {
		what string
		fail func() ([]kernels.PrepackEntry, error)
	}{
		{"error", func() ([]kernels.PrepackEntry, error) { return nil, errors.New("record 3 is damaged") }},
		{"panic", func() ([]kernels.PrepackEntry, error) { panic("index out of range [9] with length 4") }},
	} {
		t.Run(c.what, func(t *testing.T) {
			s, ins := derivedArtifactSession(t)
			defer s.Close()
			if s.materialize == nil {
				t.Skip("the artifact stores no weight prepacked only")
			}
			s.materialize = c.fail
			for range 2 {
				if g := s.Graph(); g != nil {
					t.Fatal("Graph returned a graph whose weights could not be unpacked")
				}
				if _, err := s.GraphErr(); err == nil || !strings.Contains(err.Error(), "unpacking") {
					t.Fatalf("GraphErr: %v, want the unpacking error", err)
				}
			}
			// Another batch takes the generic graph.
			err := s.RunInto(context.Background(), growBatch(ins, 1), make([]*ir.Tensor, len(s.Outputs())))
			if err == nil || !strings.Contains(err.Error(), "unpacking") || strings.Contains(err.Error(), "BUG") {
				t.Fatalf("Run on the generic graph: %v, want the unpacking error", err)
			}
		})
	}
	t.Run("closed", func(t *testing.T) {
		s, _ := derivedArtifactSession(t)
		s.Close()
		if g, err := s.GraphErr(); g == nil || err != nil {
			t.Fatalf("closed session: Graph %v, %v", g, err)
		}
	})
	t.Run("zero", func(t *testing.T) {
		var s Session
		if g, err := s.GraphErr(); g != nil || err == nil {
			t.Fatalf("zero Session: Graph %v, %v", g, err)
		}
	})
}
