package passes

import (
	"math"
	"strings"
	"testing"

	"github.com/nncc/nncc/ir"
)

// Golden cases of the attention pass (testdata/fuse_attention_*.golden);
// TestAttentionGoldenGraphsNumerically runs them against the unfused graph.

func init() { goldenCases = append(goldenCases, attentionGoldenCases...) }

var attentionGoldenCases = []goldenCase{
	{"fuse_attention_torch_mha", "attention", buildTorchMHA},
	{"fuse_attention_hf_causal", "attention", buildHFCausal},
	{"fuse_attention_hf_mask_inside", "attention", buildHFMaskInside},
	{"fuse_attention_scaled_kv", "attention", buildScaledKV},
	{"fuse_attention_packed_qkv", "attention", buildPackedQKV},
	{"fuse_attention_two_masks", "attention", buildTwoMasks},
}

func i64s(v ...int64) *ir.Tensor { return ir.FromSlice(v, int64(len(v))) }

// buildTorchMHA is the self-attention block of torch.nn.MultiheadAttention
// as PyTorch 1.13 exports it (opset 17), after shape folding: one packed
// QKV projection [S, B, 3E] sliced into Q, K and V, heads split by
// Reshape [S, B·H, D] + Transpose, Q divided by √D, an additive [S, S]
// mask, and the heads merged back by Transpose + Reshape [S·B, E].
func buildTorchMHA() *ir.Graph {
	const S, B, H, D = 5, 2, 2, 4
	const E = H * D
	b := newGB("torch_mha")
	qkv := b.input("qkv", ir.TensorType(ir.Float32, S, B, 3*E))
	mask := b.input("mask", ir.TensorType(ir.Float32, S, S))
	axes := b.constant("axes", i64s(-1))
	shape := b.constant("heads", i64s(S, B*H, D))
	part := func(i int64) *ir.Value {
		st := b.constant("start"+itoa(int(i)), i64s(i*E))
		en := b.constant("end"+itoa(int(i)), i64s((i+1)*E))
		sl := b.op("Slice", nil, 1, qkv, st, en, axes)[0]
		return b.op("Reshape", nil, 1, sl, shape)[0]
	}
	q, k, v := part(0), part(1), part(2)
	qt := b.op("Transpose", ir.Attrs{"perm": intsAttr("perm", 1, 0, 2)}, 1, q)[0]
	vt := b.op("Transpose", ir.Attrs{"perm": intsAttr("perm", 1, 0, 2)}, 1, v)[0]
	qs := b.op("Div", nil, 1, qt, b.constant("sqrt_d", scalarF(float32(math.Sqrt(D)))))[0]
	kt := b.op("Transpose", ir.Attrs{"perm": intsAttr("perm", 1, 2, 0)}, 1, k)[0]
	s := b.op("MatMul", nil, 1, qs, kt)[0]
	sm := b.op("Add", nil, 1, s, mask)[0]
	p := b.op("Softmax", ir.Attrs{"axis": intAttr("axis", -1)}, 1, sm)[0]
	o := b.op("MatMul", nil, 1, p, vt)[0]
	ot := b.op("Transpose", ir.Attrs{"perm": intsAttr("perm", 1, 0, 2)}, 1, o)[0]
	y := b.op("Reshape", nil, 1, ot, b.constant("merged", i64s(S*B, E)))[0]
	return b.output(y)
}

// buildHFCausal is a decoder self-attention in the Hugging Face form on
// 4-D heads: Q, K, V [B, S, E] split by Reshape [B, S, H, D] + Transpose
// (K straight to [B, H, D, S]), scores divided by √D, the causal triangle
// applied with Where(tril, s, -1e9), a key-padding mask [B, 1, 1, S]
// added, and the result merged back to [B, S, E].
func buildHFCausal() *ir.Graph { return buildHFCausalMask(false) }

// buildHFMaskInside is buildHFCausal with the key-padding mask added
// inside the Where's kept branch, Where(tril, s + pad, -1e9), as some
// exporters write it. Its fill is -3, not -1e9, so that the order shows
// in the numbers: masked scores are exactly -3, not -3 + pad.
func buildHFMaskInside() *ir.Graph { return buildHFCausalMask(true) }

func buildHFCausalMask(inside bool) *ir.Graph {
	const S, B, H, D = 6, 2, 3, 4
	const E = H * D
	b := newGB("hf_causal")
	x := []*ir.Value{
		b.input("q", ir.TensorType(ir.Float32, B, S, E)),
		b.input("k", ir.TensorType(ir.Float32, B, S, E)),
		b.input("v", ir.TensorType(ir.Float32, B, S, E)),
	}
	pad := b.input("pad", ir.TensorType(ir.Float32, B, 1, 1, S))
	split := b.constant("split", i64s(B, S, H, D))
	var heads []*ir.Value
	for i, perm := range [][]int64{{0, 2, 1, 3}, {0, 2, 3, 1}, {0, 2, 1, 3}} {
		r := b.op("Reshape", nil, 1, x[i], split)[0]
		heads = append(heads, b.op("Transpose", ir.Attrs{"perm": intsAttr("perm", perm...)}, 1, r)[0])
	}
	s := b.op("MatMul", nil, 1, heads[0], heads[1])[0]
	s = b.op("Div", nil, 1, s, b.constant("sqrt_d", scalarF(2)))[0]
	tril := make([]bool, S*S)
	for i := range S {
		for j := 0; j <= i; j++ {
			tril[i*S+j] = true
		}
	}
	cond := b.constant("tril", ir.FromSlice(tril, 1, 1, S, S))
	if inside {
		s = b.op("Add", nil, 1, s, pad)[0]
		s = b.op("Where", nil, 1, cond, s, b.constant("neg", scalarF(-3)))[0]
	} else {
		s = b.op("Where", nil, 1, cond, s, b.constant("neg", scalarF(-1e9)))[0]
		s = b.op("Add", nil, 1, s, pad)[0]
	}
	p := b.op("Softmax", ir.Attrs{"axis": intAttr("axis", 3)}, 1, s)[0]
	o := b.op("MatMul", nil, 1, p, heads[2])[0]
	ot := b.op("Transpose", ir.Attrs{"perm": intsAttr("perm", 0, 2, 1, 3)}, 1, o)[0]
	y := b.op("Reshape", nil, 1, ot, b.constant("merged", i64s(B, S, E)))[0]
	return b.output(y)
}

// buildTwoMasks: scores plus a key-padding mask [B, 1, 1, S] and then an
// additive causal mask [S, S] (encoder-decoder exports add both, in
// either order): the fused node takes their sum, computed once by an Add
// of its own.
func buildTwoMasks() *ir.Graph {
	const S, B, H, D = 5, 2, 2, 3
	b := newGB("two_masks")
	q := b.input("q", ir.TensorType(ir.Float32, B, H, S, D))
	k := b.input("k", ir.TensorType(ir.Float32, B, H, D, S))
	v := b.input("v", ir.TensorType(ir.Float32, B, H, S, D))
	pad := b.input("pad", ir.TensorType(ir.Float32, B, 1, 1, S))
	causal := make([]float32, S*S)
	for i := range S {
		for j := i + 1; j < S; j++ {
			causal[i*S+j] = -1e4
		}
	}
	s := b.op("MatMul", nil, 1, q, k)[0]
	s = b.op("Mul", nil, 1, s, b.constant("scale", scalarF(0.5)))[0]
	s = b.op("Add", nil, 1, pad, s)[0]
	s = b.op("Add", nil, 1, s, b.constant("causal", ir.FromSlice(causal, S, S)))[0]
	p := b.op("Softmax", ir.Attrs{"axis": intAttr("axis", -1)}, 1, s)[0]
	return b.output(b.op("MatMul", nil, 1, p, v)[0])
}

// buildScaledKV: 3-D heads given directly, Q and K each scaled by a
// fourth root (ONNX Attention's function body), a score scale by Mul,
// cross-attention (sk ≠ sq, dv ≠ dk) and no mask; plus a second Softmax
// whose scores are also a graph output, which must stay unfused.
func buildScaledKV() *ir.Graph {
	b := newGB("scaled_kv")
	q := b.input("q", ir.TensorType(ir.Float32, 3, 5, 4))
	k := b.input("k", ir.TensorType(ir.Float32, 3, 7, 4))
	v := b.input("v", ir.TensorType(ir.Float32, 3, 7, 6))
	r := b.constant("root", scalarF(0.7))
	qs := b.op("Mul", nil, 1, q, r)[0]
	ks := b.op("Mul", nil, 1, r, k)[0]
	kt := b.op("Transpose", ir.Attrs{"perm": intsAttr("perm", 0, 2, 1)}, 1, ks)[0]
	s := b.op("MatMul", nil, 1, qs, kt)[0]
	s = b.op("Mul", nil, 1, s, b.constant("half", scalarF(0.5)))[0]
	p := b.op("Softmax", ir.Attrs{"axis": intAttr("axis", -1)}, 1, s)[0]
	y := b.op("MatMul", nil, 1, p, v)[0]

	kt2 := b.op("Transpose", ir.Attrs{"perm": intsAttr("perm", 0, 2, 1)}, 1, k)[0]
	s2 := b.op("MatMul", nil, 1, q, kt2)[0]
	p2 := b.op("Softmax", ir.Attrs{"axis": intAttr("axis", -1)}, 1, s2)[0]
	y2 := b.op("MatMul", nil, 1, p2, v)[0]
	return b.output(y, y2, s2)
}

// buildPackedQKV: one projection to [B, S, 3E] cut by Split into Q, K
// and V (equal parts on the last axis), each split into heads by Reshape
// + Transpose (K to [B, H, D, S]), scaled scores, an additive causal mask
// [S, S], and the heads merged back — the form of a packed-QKV export.
// The fused node reads Q, K and V straight from the projection.
func buildPackedQKV() *ir.Graph {
	const S, B, H, D = 5, 2, 2, 3
	const E = H * D
	b := newGB("packed_qkv")
	x := b.input("x", ir.TensorType(ir.Float32, B, S, E))
	w := b.constant("w", ir.FromSlice(f32s(E*3*E, func(i int) float32 { return float32(i%11)*0.07 - 0.3 }), E, 3*E))
	qkv := b.op("MatMul", nil, 1, x, w)[0]
	parts := b.op("Split", ir.Attrs{"axis": intAttr("axis", 2)}, 3, qkv)
	split := b.constant("split", i64s(B, S, H, D))
	var heads []*ir.Value
	for i, perm := range [][]int64{{0, 2, 1, 3}, {0, 2, 3, 1}, {0, 2, 1, 3}} {
		r := b.op("Reshape", nil, 1, parts[i], split)[0]
		heads = append(heads, b.op("Transpose", ir.Attrs{"perm": intsAttr("perm", perm...)}, 1, r)[0])
	}
	s := b.op("MatMul", nil, 1, heads[0], heads[1])[0]
	s = b.op("Mul", nil, 1, s, b.constant("scale", scalarF(0.5)))[0]
	causal := make([]float32, S*S)
	for i := range S {
		for j := i + 1; j < S; j++ {
			causal[i*S+j] = float32(math.Inf(-1))
		}
	}
	s = b.op("Add", nil, 1, s, b.constant("causal", ir.FromSlice(causal, S, S)))[0]
	p := b.op("Softmax", ir.Attrs{"axis": intAttr("axis", -1)}, 1, s)[0]
	o := b.op("MatMul", nil, 1, p, heads[2])[0]
	ot := b.op("Transpose", ir.Attrs{"perm": intsAttr("perm", 0, 2, 1, 3)}, 1, o)[0]
	y := b.op("Reshape", nil, 1, ot, b.constant("merged", i64s(B, S, E)))[0]
	return b.output(y)
}

// AttentionGoldenGraphs exposes the attention golden graphs to the
// numerical tests (package passes_test).
func AttentionGoldenGraphs() map[string]func() *ir.Graph {
	out := map[string]func() *ir.Graph{}
	for _, c := range attentionGoldenCases {
		out[c.name] = c.build
	}
	return out
}

func TestAttentionFusesEachBlockOnce(t *testing.T) {
	for _, c := range attentionGoldenCases {
		g := c.build()
		if err := Run(g, &Context{Verify: true}); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		text := ir.Format(g)
		if got := strings.Count(text, "nncc.FusedAttention("); got != 1 {
			t.Errorf("%s: %d FusedAttention nodes, want 1:\n%s", c.name, got, text)
		}
		if c.name == "fuse_attention_scaled_kv" && strings.Count(text, "Softmax(") != 1 {
			t.Errorf("%s: the Softmax whose scores are an output must stay:\n%s", c.name, text)
		}
	}
}

// TestAttentionLeavesMismatchesAlone: a Softmax over another axis, dynamic
// shapes and a mask that broadcasts the scores larger are not attention.
func TestAttentionLeavesMismatchesAlone(t *testing.T) {
	b := newGB("mismatch")
	q := b.input("q", ir.TensorType(ir.Float32, 2, 3, 4))
	k := b.input("k", ir.TensorType(ir.Float32, 2, 4, 3))
	v := b.input("v", ir.TensorType(ir.Float32, 2, 3, 4))
	s := b.op("MatMul", nil, 1, q, k)[0]
	p := b.op("Softmax", ir.Attrs{"axis": intAttr("axis", 1)}, 1, s)[0]
	y := b.op("MatMul", nil, 1, p, v)[0]

	qd := b.input("qd", ir.TensorOf(ir.Float32, ir.Shape{ir.Sym("n"), ir.D(3), ir.D(4)}))
	sd := b.op("MatMul", nil, 1, qd, k)[0]
	pd := b.op("Softmax", nil, 1, sd)[0]
	yd := b.op("MatMul", nil, 1, pd, v)[0]

	big := b.input("big", ir.TensorType(ir.Float32, 5, 2, 3, 3))
	sb := b.op("MatMul", nil, 1, q, k)[0]
	ab := b.op("Add", nil, 1, sb, big)[0]
	pb := b.op("Softmax", nil, 1, ab)[0]
	yb := b.op("MatMul", nil, 1, pb, v)[0]
	g := b.output(y, yd, yb)
	if err := Run(g, &Context{Verify: true}); err != nil {
		t.Fatal(err)
	}
	if text := ir.Format(g); strings.Contains(text, "FusedAttention") {
		t.Errorf("nothing here is attention:\n%s", text)
	}
}

func TestRefineNests(t *testing.T) {
	a := view{dims: [][]atom{{{2, 384}, {4, 32}}}}
	c := view{dims: [][]atom{{{8, 0}}}}
	sizes, strides, ok := refine([]view{a, c}, 1)
	if !ok || len(sizes) != 2 || sizes[0] != 2 || sizes[1] != 4 || strides[0][0] != 384 || strides[0][1] != 32 || strides[1][0] != 0 {
		t.Fatalf("refine = %v %v %v", sizes, strides, ok)
	}
	x := view{dims: [][]atom{{{2, 1}, {3, 2}}}}
	y := view{dims: [][]atom{{{3, 1}, {2, 3}}}}
	if _, _, ok := refine([]view{x, y}, 1); ok {
		t.Fatal("2·3 and 3·2 do not nest")
	}
}
