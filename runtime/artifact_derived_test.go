package runtime

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/nncc/nncc/codegen"
	"github.com/nncc/nncc/frontend/onnx"
	"github.com/nncc/nncc/ir"
)

// derivedModels have dense layers whose weights the artifact stores only
// as their sgemm panels (codegen/derived.go).
var derivedModels = []string{"gan_generator", "gan_discriminator", "cnn", "transformer"}

// TestArtifactDerivedWeights checks the artifacts that store weights
// prepacked only: they are smaller than their weights stored twice, and
// a session loaded from one computes what the ONNX model's session
// computes, for the stored plan's input shapes (lowered from the panels)
// and for another batch (the generic graph, whose weights are unpacked
// first); the session's graph and a decoded artifact's graph hold the
// model's weights bit for bit.
func TestArtifactDerivedWeights(t *testing.T) {
	for _, name := range derivedModels {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join("..", "testdata", "models", name)
			onnxBytes, err := os.ReadFile(filepath.Join(dir, "model.onnx"))
			if err != nil {
				t.Skip(err)
			}
			g, err := onnx.Decode(onnxBytes)
			if err != nil {
				t.Fatal(err)
			}
			art, err := CompileSpecialized(g, Options{}, "auto", Specialize{Also: TestDataShapes(dir, g)})
			if err != nil {
				t.Fatal(err)
			}
			plain, err := CompileSpecialized(g, Options{}, "auto", Specialize{None: true})
			if err != nil {
				t.Fatal(err)
			}
			if len(art) >= len(plain) {
				t.Errorf("artifact with stored plans %d bytes, without (every weight raw) %d: no weight is stored prepacked only", len(art), len(plain))
			}
			ref, err := LoadBytes(onnxBytes, Options{Threads: 1})
			if err != nil {
				t.Fatal(err)
			}
			defer ref.Close()
			s, err := LoadBytes(art, Options{Threads: 1})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			ins, ok := testSetInputs(s, dir)
			if !ok {
				t.Fatal("no test inputs")
			}
			for _, batch := range [][]*ir.Tensor{ins, growBatch(ins, 2)} {
				want, got := runOrdered(t, ref, batch), runOrdered(t, s, batch)
				for i := range want {
					assertClose(t, want[i], got[i], name)
				}
			}
			sameWeights(t, ref.Graph(), s.Graph(), "session graph")
			a, err := codegen.DecodeArtifact(art)
			if err != nil {
				t.Fatal(err)
			}
			sameWeights(t, ref.Graph(), a.Graph, "decoded artifact")
		})
	}
}

// growBatch returns inputs with extra rows along axis 0: copies of the
// first ones, halved.
func growBatch(ins []*ir.Tensor, extra int) []*ir.Tensor {
	var out []*ir.Tensor
	for _, in := range ins {
		shape := append([]int64{}, in.Shape...)
		shape[0] += int64(extra)
		t := ir.NewTensor(in.DType, shape)
		src, dst := in.F32(), t.F32()
		for i := range dst {
			v := src[i%len(src)]
			if i >= len(src) {
				v *= 0.5
			}
			dst[i] = v
		}
		out = append(out, t)
	}
	return out
}

func runOrdered(t *testing.T, s *Session, ins []*ir.Tensor) []*ir.Tensor {
	t.Helper()
	outs := make([]*ir.Tensor, len(s.Outputs()))
	if err := s.RunInto(context.Background(), ins, outs); err != nil {
		t.Fatal(err)
	}
	return outs
}

func assertClose(t *testing.T, want, got *ir.Tensor, what string) {
	t.Helper()
	w, g := want.F32(), got.F32()
	if len(w) != len(g) {
		t.Fatalf("%s: %d values, want %d", what, len(g), len(w))
	}
	for i := range w {
		if d := math.Abs(float64(w[i] - g[i])); d > 1e-5+1e-4*math.Abs(float64(w[i])) || math.IsNaN(float64(g[i])) {
			t.Fatalf("%s: value %d is %v, want %v", what, i, g[i], w[i])
		}
	}
}

// sameWeights checks that every float32 constant of got that want has
// (by name, with the same shape) holds the same bits.
func sameWeights(t *testing.T, want, got *ir.Graph, what string) {
	t.Helper()
	byName := map[string]*ir.Tensor{}
	for _, v := range want.Constants {
		byName[v.Name] = v.Const
	}
	n := 0
	for _, v := range got.Constants {
		w := byName[v.Name]
		if w == nil || v.Const.DType != ir.Float32 || w.DType != ir.Float32 || w.Len() != v.Const.Len() {
			continue
		}
		a, b := w.F32(), v.Const.F32()
		for i := range a {
			if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
				t.Fatalf("%s: constant %q element %d is %v, want %v", what, v.Name, i, b[i], a[i])
			}
		}
		n++
	}
	if n == 0 {
		t.Fatalf("%s: no float32 constant to compare", what)
	}
}
