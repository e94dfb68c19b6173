package codegen

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels"
	"github.com/nncc/nncc/kernels/isa"
	"github.com/nncc/nncc/kernels/sgemm"
)

// TestUnpackSgemmB packs matrices with the SGEMM's PackB for every level
// (as kernels.Build.PackB names them) and checks that unpackSgemmB gives
// back their exact bits, for sizes 1..70 and a large one.
func TestUnpackSgemmB(t *testing.T) {
	sizes := [][2]int{{1000, 300}}
	for k := 1; k <= 70; k += 3 {
		for n := 1; n <= 70; n += 5 {
			sizes = append(sizes, [2]int{k, n})
		}
	}
	for _, l := range []isa.Level{isa.Generic, isa.AVX2, isa.AVX512, isa.NEON} {
		for _, trans := range []bool{false, true} {
			for _, kn := range sizes {
				k, n := kn[0], kn[1]
				b := make([]float32, k*n)
				for i := range b {
					b[i] = float32(i%97) - 48.5
				}
				b[len(b)/2] = float32(math.Copysign(0, -1))
				ld := n
				if trans {
					ld = k
				}
				key := fmt.Sprintf("sgemm.B/%s/t%v/k%d/n%d/ld%d", sgemm.Layout(l), trans, k, n, ld)
				p, ok := parseSgemmBKey(key)
				if !ok {
					t.Fatalf("%s: not parsed", key)
				}
				pb := sgemm.PackBLevel(l, trans, k, n, b, ld)
				if int64(len(pb.Data())) != p.packedLen() {
					t.Fatalf("%s: %d packed values, the key says %d", key, len(pb.Data()), p.packedLen())
				}
				packed := append([]float32{}, pb.Data()...)
				if got := unpackSgemmB(p, packed); !sameBits(got, b) {
					t.Fatalf("%s: unpacking does not give the matrix back", key)
				}
				if !sameBits(packed, pb.Data()) {
					t.Fatalf("%s: unpacking modified its input", key)
				}
			}
		}
	}
}

func TestParseSgemmBKey(t *testing.T) {
	for _, bad := range []string{
		"", "sgemm.B", "sgemm.A/avx512/6x64/ttrue/k4/n4/ld4", "gemv/avx512/w64/ttrue/k4/n4/ld4",
		"sgemm.B/avx512/6x64/ttrue/k4/n4/ld5", "sgemm.B/avx512/6x64/tfalse/k4/n4/ld5",
		"sgemm.B/avx512/6x0/ttrue/k4/n4/ld4", "sgemm.B/avx512/6x99999/ttrue/k4/n4/ld4",
		"sgemm.B/avx512/6x64/tmaybe/k4/n4/ld4", "sgemm.B/avx512/6x64/ttrue/k-4/n4/ld-4",
		"sgemm.B/avx512/6x64/ttrue/k0/n4/ld0", "sgemm.B/avx512/6x64/ttrue/k99999999999/n4/ld99999999999",
		"sgemm.B/avx512/64/ttrue/k4/n4/ld4",
	} {
		if _, ok := parseSgemmBKey(bad); ok {
			t.Errorf("%q parsed", bad)
		}
	}
}

// TestCheckDerivedUses: a stored plan may use a constant stored prepacked
// only as a packed-only operand, nowhere else.
func TestCheckDerivedUses(t *testing.T) {
	w := &ir.Value{Name: "w", Type: ir.TensorOf(ir.Float32, ir.KnownShape([]int64{4, 4})),
		Const: &ir.Tensor{Kind: ir.KindTensor, DType: ir.Float32, Shape: []int64{4, 4}, Data: make([]float32, 16)}}
	x := &ir.Value{Name: "x", Type: ir.TensorOf(ir.Float32, ir.KnownShape([]int64{1, 4}))}
	y := &ir.Value{Name: "y"}
	derived := map[*ir.Tensor]bool{w.Const: true}
	graph := func(op string, in []*ir.Value, outs ...*ir.Value) *ir.Graph {
		return &ir.Graph{Nodes: []*ir.Node{{Name: "n", Op: op, Inputs: in, Outputs: []*ir.Value{y}}}, Outputs: outs}
	}
	if err := checkDerivedUses(graph("Gemm", []*ir.Value{x, w}, y), derived); err != nil {
		t.Fatal(err)
	}
	for _, g := range []*ir.Graph{
		graph("Gemm", []*ir.Value{w, x}, y),
		graph("Gemm", []*ir.Value{x, x, w}, y),
		graph("Add", []*ir.Value{x, w}, y),
		graph("Gemm", []*ir.Value{x, w}, w),
	} {
		if err := checkDerivedUses(g, derived); err == nil || !strings.Contains(err.Error(), "prepacked only") {
			t.Errorf("%v: %v", g.Nodes[0].Inputs, err)
		}
	}
}

// TestDerivedGuard: lowering a stored plan whose transform of a constant
// stored prepacked only is missing, or held at a size its key does not
// give (a kernel would transform the alias instead), fails instead of
// packing the alias.
func TestDerivedGuard(t *testing.T) {
	alias := make([]float32, 64)
	other := make([]float32, 8)
	p := &StoredPlan{derived: []derivedRef{{t: &ir.Tensor{Kind: ir.KindTensor, DType: ir.Float32, Data: alias}}}}
	held := "sgemm.B/generic/4x8/tfalse/k8/n8/ld8" // 64 values
	gemvShort := "gemv/avx512/w16/tfalse/k4/n20/ld20"
	store := kernels.NewPrepackStore(false)
	store.Add(alias, held, make([]float32, 64))
	store.Add(alias[:32], gemvShort, make([]float32, 4*20)) // the key gives 4·32 values
	store.Add(alias[:16], "winograd/other", make([]float32, 16))
	store.Add(other, "anything", []float32{1})
	pp, check := p.GuardPrepacks(store)
	if _, ok := pp.Lookup(alias, held); !ok {
		t.Fatal("a held transform was not found")
	}
	if _, ok := pp.Lookup(other, "anything"); !ok || check() != nil {
		t.Fatalf("a transform of another constant: %v", check())
	}
	if _, ok := pp.Lookup(other, "missing"); ok || check() != nil {
		t.Fatalf("a miss on another constant: %v", check())
	}
	if _, ok := pp.Lookup(alias[16:32], "missing"); ok {
		t.Fatal("found a missing transform")
	}
	if err := check(); err == nil || !strings.Contains(err.Error(), "recompile") {
		t.Fatalf("a miss on the alias: %v", err)
	}
	for _, key := range []string{gemvShort, "winograd/other"} {
		pp, check := p.GuardPrepacks(store)
		if _, ok := pp.Lookup(alias[:32], key); ok && key == gemvShort {
			t.Fatalf("%s: served a transform of the wrong size", key)
		}
		if _, ok := pp.Lookup(alias[:16], key); ok {
			t.Fatalf("%s: served a transform whose size the guard cannot check", key)
		}
		var mt *MissingTransformError
		if err := check(); !errors.As(err, &mt) || mt.Key != key {
			t.Fatalf("%s: %v", key, err)
		}
	}
}

// TestTransformLen checks the sizes the guard expects of the families
// of packedOnlyInputs against the kernels' own packing.
func TestTransformLen(t *testing.T) {
	for _, c := range []struct {
		key   string
		n     int64
		known bool
	}{
		{"sgemm.B/avx512/6x64/ttrue/k64/n256/ld64", 64 * 256, true},
		{"sgemm.B/avx512/6x64/ttrue/k64/n5/ld64", 64 * 64, true},
		{"gemv/avx512/w64/ttrue/k64/n5/ld64", 64 * 64, true},
		{"gemv/avx2/w16/tfalse/k3/n17/ld17", 32 * 3, true},
		{"gemv/avx2/w16/tmaybe/k3/n17/ld17", 0, false},
		{"gemv/avx2/w0/tfalse/k3/n17/ld17", 0, false},
		{"gemv/avx512/w64/n256/k64", 0, false}, // the recurrent form: not a packed-only operand's
		{"nchwc/x", 0, false},
	} {
		n, known := transformLen(c.key)
		if known != c.known || (known && n != c.n) {
			t.Errorf("%s: %d %v, want %d %v", c.key, n, known, c.n, c.known)
		}
	}
}

// derivedArtifact encodes specializedPair with its MatMul turned into a
// Gemm (a packed-only operand) and w's sgemm panels recorded: w is then
// stored prepacked only.
func derivedArtifact(t testing.TB) (data []byte, w *ir.Tensor) {
	g, sg, w := specializedPair()
	for _, gr := range []*ir.Graph{g, sg} {
		gr.Nodes[0].Op = "Gemm"
	}
	pb := sgemm.PackBLevel(isa.Generic, false, 8, 16, w.F32(), 16)
	key := fmt.Sprintf("sgemm.B/%s/tfalse/k8/n16/ld16", sgemm.Layout(isa.Generic))
	data, err := EncodeArtifact(&Artifact{Graph: g, Specialized: []*ir.Graph{sg}, Header: ArtifactHeader{ISA: "generic"},
		Prepacked: []kernels.PrepackEntry{{Src: w.F32(), Key: key, Data: pb.Data()}}})
	if err != nil {
		t.Fatal(err)
	}
	return data, w
}

// TestDerivedRoundTrip: a weight stored prepacked only is left out of the
// weights section; decoding for a session leaves it aliasing its panels
// (in the generic and the stored graph, bound to the same transform)
// until MaterializeGeneric, and DecodeArtifact gives its values back.
func TestDerivedRoundTrip(t *testing.T) {
	data, w := derivedArtifact(t)
	a, err := DecodeArtifactDeferred(data)
	if err != nil {
		t.Fatal(err)
	}
	if a.Header.WeightBytes != 0 {
		t.Fatalf("weights section of %d bytes: w was stored raw", a.Header.WeightBytes)
	}
	alias := a.Graph.Constants[0].Const.F32()
	if len(alias) != 128 || len(a.Prepacked) != 1 || &a.Prepacked[0].Src[0] != &alias[0] {
		t.Fatalf("the generic graph's w (%d values) is not bound to its transform", len(alias))
	}
	sg, packs, err := a.Stored[0].Graph()
	if err != nil {
		t.Fatal(err)
	}
	if len(packs) != 0 || &sg.Constants[0].Const.F32()[0] != &alias[0] {
		t.Fatal("the stored graph's w does not share the alias")
	}
	packs, err = a.MaterializeGeneric()
	if err != nil {
		t.Fatal(err)
	}
	raw := a.Graph.Constants[0].Const.F32()
	if !sameBits(raw, w.F32()) || len(packs) != 1 || &packs[0].Src[0] != &raw[0] {
		t.Fatal("materialising did not give w back, bound to its transform")
	}
	if &sg.Constants[0].Const.F32()[0] != &alias[0] {
		t.Fatal("materialising the generic graph changed the stored graph")
	}
	b, err := DecodeArtifact(data)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.DecodeStored(); err != nil {
		t.Fatal(err)
	}
	for _, g := range append([]*ir.Graph{b.Graph}, b.Specialized...) {
		if !sameBits(g.Constants[0].Const.F32(), w.F32()) {
			t.Fatal("DecodeArtifact and DecodeStored do not give w back")
		}
	}
	for _, e := range b.Prepacked {
		if &e.Src[0] != &b.Graph.Constants[0].Const.F32()[0] && &e.Src[0] != &b.Specialized[0].Constants[0].Const.F32()[0] {
			t.Fatal("a transform is still bound to the alias")
		}
	}
	// Re-encoding what the tools decoded stores w prepacked only again.
	again, err := EncodeArtifact(b)
	if err != nil {
		t.Fatal(err)
	}
	if c, err := DecodeArtifact(again); err != nil || c.Header.WeightBytes != 0 || !sameBits(c.Graph.Constants[0].Const.F32(), w.F32()) {
		t.Fatalf("re-encoded: %v", err)
	}
}

// TestDerivedChoiceNamedShape: a transform's record names the first
// constant holding its source; when that constant has another shape than
// the transform's operand (here a flat view of the same storage), it is
// written raw, so its record binds to the raw values, and the operand
// must not be stored prepacked only either: the stored plan would find no
// transform of its alias.
func TestDerivedChoiceNamedShape(t *testing.T) {
	g, sg, w := specializedPair()
	for _, gr := range []*ir.Graph{g, sg} {
		gr.Nodes[0].Op = "Gemm"
	}
	flat := &ir.Tensor{Kind: ir.KindTensor, DType: ir.Float32, Shape: []int64{128}, Data: w.F32()}
	g.Constants = append([]*ir.Value{{Name: "w_flat", Type: ir.TensorType(ir.Float32, 128), Const: flat}}, g.Constants...)
	pb := sgemm.PackBLevel(isa.Generic, false, 8, 16, w.F32(), 16)
	key := fmt.Sprintf("sgemm.B/%s/tfalse/k8/n16/ld16", sgemm.Layout(isa.Generic))
	data, err := EncodeArtifact(&Artifact{Graph: g, Specialized: []*ir.Graph{sg}, Header: ArtifactHeader{ISA: "generic"},
		Prepacked: []kernels.PrepackEntry{{Src: w.F32(), Key: key, Data: pb.Data()}}})
	if err != nil {
		t.Fatal(err)
	}
	a, err := DecodeArtifactDeferred(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Header.Prepacked) != 1 || a.Header.Prepacked[0].Const != "w_flat" {
		t.Fatalf("records %+v: the test no longer names the flat constant", a.Header.Prepacked)
	}
	sgd, packs, err := a.Stored[0].Graph()
	if err != nil {
		t.Fatal(err)
	}
	store := kernels.NewPrepackStore(false)
	for _, e := range append(append([]kernels.PrepackEntry{}, a.Prepacked...), packs...) {
		store.Add(e.Src, e.Key, e.Data)
	}
	pp, check := a.Stored[0].GuardPrepacks(store)
	if _, ok := pp.Lookup(sgd.Constants[0].Const.F32(), key); !ok || check() != nil {
		t.Fatalf("the stored plan's weight has no transform: %v", check())
	}
	if !sameBits(sgd.Constants[0].Const.F32(), w.F32()) {
		t.Fatal("the stored plan's weight does not hold its values")
	}
}
