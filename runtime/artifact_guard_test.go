package runtime

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nncc/nncc/codegen"
	"github.com/nncc/nncc/frontend/onnx"
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels"
)

// TestArtifactDerivedTransformTampered re-encodes an artifact that stores
// dense weights prepacked only (their sgemm panels) with their gemv
// transforms cut short (a kernel handed a transform of the wrong size
// makes its own, which from the alias of a weight stored prepacked only
// would be of wrong values) or left out (its stored plan then needs a
// transform the artifact does not hold). Either way the session must
// compute what the ONNX model computes, for the stored plans' shapes
// (planned from the generic graph, whose weights are unpacked) and
// others.
func TestArtifactDerivedTransformTampered(t *testing.T) {
	dir := filepath.Join("..", "testdata", "models", "gan_generator")
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
	ref, err := LoadBytes(onnxBytes, Options{Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer ref.Close()
	tamper := map[string]func(e kernels.PrepackEntry) (kernels.PrepackEntry, bool){
		"short": func(e kernels.PrepackEntry) (kernels.PrepackEntry, bool) {
			e.Data = append([]float32{}, e.Data[:len(e.Data)-1]...)
			return e, true
		},
		"missing": func(e kernels.PrepackEntry) (kernels.PrepackEntry, bool) { return e, false },
	}
	for name, change := range tamper {
		t.Run(name, func(t *testing.T) {
			a, err := codegen.DecodeArtifact(art)
			if err != nil {
				t.Fatal(err)
			}
			if err := a.DecodeStored(); err != nil {
				t.Fatal(err)
			}
			var packs []kernels.PrepackEntry
			changed := 0
			for _, e := range a.Prepacked {
				if strings.HasPrefix(e.Key, "gemv/") {
					changed++
					var keep bool
					if e, keep = change(e); !keep {
						continue
					}
				}
				packs = append(packs, e)
			}
			if changed == 0 {
				t.Skip("no gemv transform at this ISA level")
			}
			a.Prepacked = packs
			bad, err := codegen.EncodeArtifact(a)
			if err != nil {
				t.Fatal(err)
			}
			if wb, pb := weightBytes(t, bad), weightBytes(t, plain); wb >= pb {
				t.Fatalf("tampered artifact's weights %d bytes, without stored plans %d: no weight is stored prepacked only", wb, pb)
			}
			s, err := LoadBytes(bad, Options{Threads: 1})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			ins, ok := testSetInputs(s, dir)
			if !ok {
				t.Fatal("no test inputs")
			}
			for _, batch := range [][]*ir.Tensor{ins, growBatch(ins, 1), growBatch(ins, 3)} {
				want, got := runOrdered(t, ref, batch), runOrdered(t, s, batch)
				for i := range want {
					assertClose(t, want[i], got[i], name)
				}
			}
		})
	}
}

// weightBytes returns the size of an artifact's weights section.
func weightBytes(t *testing.T, art []byte) int64 {
	t.Helper()
	a, err := codegen.DecodeArtifactDeferred(art)
	if err != nil {
		t.Fatal(err)
	}
	return a.Header.WeightBytes
}
