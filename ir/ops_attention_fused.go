package ir

import (
	"fmt"
	"math"
)

// nncc.FusedAttention: scaled dot-product attention over strided operands,
// which the "attention" pass creates from the MatMul/Softmax/MatMul
// subgraph exporters write (PyTorch's MultiheadAttention among them). The
// transposes, reshapes and slices that move Q, K, V and the result between
// [seq, batch, heads·size] and [batch·heads, seq, size] are folded into
// the operands' layouts, so nothing is copied.
//
//	nncc.FusedAttention(Q, K, V, M?, C?) -> Y
//
// Let the batch atoms be the sizes in "batch" (n is a mixed-radix index
// over them) and "sizes" be [sq, sk, dk, dv]. Each layout attribute is
// [offset, one stride per batch atom, seq stride, dim stride] and places
// element (n, i, t) of its operand at offset + Σ n_a·stride_a + i·seq +
// t·dim in the input's flat (row-major) data. Then for i < sq, j < sk:
//
//	s[i,j] = scale · Σ_{t<dk} Q[n,i,t]·K[n,j,t]      (q_layout, k_layout)
//	s[i,j] = C[n,i,j] == keep ? s[i,j] : fill      (cond_layout; when C is given)
//	s[i,j] = s[i,j] + M[n,i,j]                     (mask_layout; when M is given)
//	s[i,j] = s[i,j] + -inf  if causal and j > i + causal_offset
//	Y[n,i,t] = Σ_j softmax_j(s[i,:])·V[n,j,t]      (v_layout; y_layout into Y)
//
// With mask_first = 1 the additive mask is applied before the condition
// (s = C == keep ? s + M : fill), the order of Where(C, scores + M, F).
//
// Y is a float32 tensor of shape "y_shape"; elements y_layout does not
// reach are zero. softmax is ONNX Softmax over the key axis (a row of -inf
// gives NaN). Q, K, V and M are float32, C is bool.

func init() {
	RegisterOp(&OpSchema{Domain: FusedDomain, Name: "FusedAttention", MinOpset: 1,
		MinInputs: 3, MaxInputs: 5, MinOutputs: 1, MaxOutputs: 1,
		Attrs: []AttrSpec{
			{Name: "batch", Kind: AttrInts},
			{Name: "sizes", Kind: AttrInts, Required: true},
			{Name: "scale", Kind: AttrFloat, Required: true},
			{Name: "q_layout", Kind: AttrInts, Required: true},
			{Name: "k_layout", Kind: AttrInts, Required: true},
			{Name: "v_layout", Kind: AttrInts, Required: true},
			{Name: "y_layout", Kind: AttrInts, Required: true},
			{Name: "y_shape", Kind: AttrInts, Required: true},
			{Name: "mask_layout", Kind: AttrInts},
			{Name: "cond_layout", Kind: AttrInts},
			{Name: "fill", Kind: AttrFloat},
			{Name: "keep", Kind: AttrInt},
			{Name: "mask_first", Kind: AttrInt},
			{Name: "causal", Kind: AttrInt},
			{Name: "causal_offset", Kind: AttrInt},
		},
		Infer: inferFusedAttention})
}

// FusedAttentionLayoutExtent returns one past the largest flat offset a
// FusedAttention layout reaches for the given batch atoms and seq/dim
// sizes, or an error when the layout is malformed.
func FusedAttentionLayoutExtent(layout, batch []int64, seq, dim int64) (int64, error) {
	if len(layout) != len(batch)+3 {
		return 0, fmt.Errorf("layout %v needs %d entries (offset, %d batch strides, seq and dim strides)", layout, len(batch)+3, len(batch))
	}
	for _, x := range layout {
		if x < 0 {
			return 0, fmt.Errorf("layout %v has a negative entry", layout)
		}
	}
	sizes := append(append([]int64{}, batch...), seq, dim)
	hi := layout[0]
	for a, n := range sizes {
		if n <= 0 {
			return 0, nil // nothing is read
		}
		if st := layout[a+1]; st != 0 && (n-1 > (math.MaxInt64-1-hi)/st) {
			return 0, fmt.Errorf("layout %v overflows for sizes %v", layout, sizes)
		}
		hi += (n - 1) * layout[a+1]
	}
	return hi + 1, nil
}

func inferFusedAttention(c *InferCtx) error {
	a := c.Attrs()
	if err := c.RequireDType(0, Float32); err != nil {
		return err
	}
	if err := c.RequireSameDType(0, 1, 2, 3); err != nil {
		return err
	}
	if err := c.RequireDType(4, Bool); err != nil {
		return err
	}
	batch := a.Ints("batch", nil)
	sizes := a.Ints("sizes", nil)
	if len(sizes) != 4 {
		return c.Errorf("sizes must be [sq, sk, dk, dv], got %v", sizes)
	}
	for _, n := range append(append([]int64{}, batch...), sizes...) {
		if n < 0 {
			return c.Errorf("negative size in batch %v or sizes %v", batch, sizes)
		}
	}
	if k := a.Int("mask_first", 0); k != 0 && k != 1 {
		return c.Errorf("mask_first must be 0 or 1, got %d", k)
	}
	if k := a.Int("keep", 1); k != 0 && k != 1 {
		return c.Errorf("keep must be 0 or 1, got %d", k)
	}
	if k := a.Int("causal", 0); k != 0 && k != 1 {
		return c.Errorf("causal must be 0 or 1, got %d", k)
	}
	yShape := a.Ints("y_shape", nil)
	yLen, err := CheckedNumElements(yShape, 1<<40)
	if err != nil {
		return c.Errorf("y_shape: %v", err)
	}
	sq, sk, dk, dv := sizes[0], sizes[1], sizes[2], sizes[3]
	// Bound the work by the tensors: Y holds each (n, i, t) result once,
	// and Q, K, V advance along every axis longer than 1, so no size can
	// exceed the operand it indexes (the passes only make such layouts).
	if n, err := CheckedNumElements(append(append([]int64{}, batch...), sq, dv), math.MaxInt64); err != nil || n > yLen {
		return c.Errorf("y_shape %v cannot hold the %v×[%d, %d] results", yShape, batch, sq, dv)
	}
	for _, o := range []struct {
		name     string
		seq, dim int64
	}{{"q_layout", sq, dk}, {"k_layout", sk, dk}, {"v_layout", sk, dv}, {"y_layout", sq, dv}} {
		l := a.Ints(o.name, nil)
		if len(l) == len(batch)+3 && ((o.seq > 1 && l[len(l)-2] == 0) || (o.dim > 1 && l[len(l)-1] == 0)) {
			return c.Errorf("%s %v has a zero seq or dim stride for sizes [%d, %d]", o.name, l, o.seq, o.dim)
		}
	}
	for _, o := range []struct {
		name     string
		in       int
		seq, dim int64
	}{{"q_layout", 0, sq, dk}, {"k_layout", 1, sk, dk}, {"v_layout", 2, sk, dv}, {"y_layout", -1, sq, dv}, {"mask_layout", 3, sq, sk}, {"cond_layout", 4, sq, sk}} {
		present := o.in < 0 || c.Has(o.in)
		if !a.Has(o.name) {
			if present {
				return c.Errorf("%s is required", o.name)
			}
			continue
		}
		if !present {
			return c.Errorf("%s given without its input", o.name)
		}
		hi, err := FusedAttentionLayoutExtent(a.Ints(o.name, nil), batch, o.seq, o.dim)
		if err != nil {
			return c.Errorf("%s: %v", o.name, err)
		}
		limit := yLen
		if o.in >= 0 {
			t := c.In[o.in]
			if !t.RankKnown {
				continue
			}
			n, ok := t.Shape.Concrete()
			if !ok {
				continue
			}
			limit = int64(NumElements(n))
		}
		if hi > limit {
			return c.Errorf("%s reaches element %d of a tensor of %d", o.name, hi-1, limit)
		}
	}
	c.SetOut(0, TensorOf(Float32, KnownShape(yShape)))
	return nil
}
