package kernels

import (
	"fmt"
	"math"
	"testing"

	"github.com/nncc/nncc/ir"
)

// advRun infers and runs one node of the advanced group with the given
// inputs (nil = omitted) and nOut outputs (an empty name in outs omits
// one). Inputs are graph inputs (not constants) unless consts is set. When
// inference claims a known output shape the result must match it.
func advRun(op string, opset int64, attrs ir.Attrs, nOut int, consts bool, in ...*ir.Tensor) ([]*ir.Tensor, error) {
	n := &ir.Node{Name: "t", Op: op, Opset: opset, Attrs: attrs}
	if n.Attrs == nil {
		n.Attrs = ir.Attrs{}
	}
	for k, a := range n.Attrs {
		a.Name = k
	}
	types := make([]*ir.Type, len(in))
	for i, t := range in {
		if t == nil {
			n.Inputs = append(n.Inputs, nil)
			continue
		}
		v := &ir.Value{Name: fmt.Sprint("in", i), Type: ir.TypeOfTensor(t)}
		if consts {
			v.Const = t
		}
		types[i] = &v.Type
		n.Inputs = append(n.Inputs, v)
	}
	for i := 0; i < nOut; i++ {
		n.Outputs = append(n.Outputs, &ir.Value{Name: fmt.Sprint("out", i)})
	}
	if err := ir.InferNode(n); err != nil {
		return nil, fmt.Errorf("infer: %w", err)
	}
	f, err := BuildNode(&Build{Node: n, InTypes: types})
	if err != nil {
		return nil, err
	}
	c := &Ctx{Outs: make([]*ir.Tensor, nOut), Pool: Serial{}, Node: n}
	if err := f(c, in); err != nil {
		return nil, err
	}
	for i, o := range n.Outputs {
		got := c.Outs[i]
		if got == nil {
			return nil, fmt.Errorf("output %d not produced", i)
		}
		if got.DType != o.Type.DType {
			return nil, fmt.Errorf("output %d: inferred dtype %v, got %v", i, o.Type.DType, got.DType)
		}
		if o.Type.RankKnown {
			if len(o.Type.Shape) != len(got.Shape) {
				return nil, fmt.Errorf("output %d: inferred %v, got shape %v", i, o.Type, got.Shape)
			}
			for k, d := range o.Type.Shape {
				if d.Known() && d.Size != got.Shape[k] {
					return nil, fmt.Errorf("output %d: inferred %v, got shape %v", i, o.Type, got.Shape)
				}
			}
		}
	}
	return c.Outs, nil
}

// advClose checks got against want (as float64) within tol.
func advClose(t *testing.T, name string, got *ir.Tensor, shape []int64, want []float64, tol float64) {
	t.Helper()
	if !sameShape(got.Shape, shape) {
		t.Fatalf("%s: shape %v, want %v", name, got.Shape, shape)
	}
	for i, w := range want {
		g := got.Float64At(i)
		if math.IsNaN(w) != math.IsNaN(g) || math.Abs(g-w) > tol {
			t.Fatalf("%s: element %d = %v, want %v (all: %v)", name, i, g, w, got)
		}
	}
}

func advAttrs(kv ...any) ir.Attrs {
	a := ir.Attrs{}
	for i := 0; i < len(kv); i += 2 {
		name := kv[i].(string)
		switch v := kv[i+1].(type) {
		case int:
			a.SetInt(name, int64(v))
		case float64:
			a.SetFloat(name, float32(v))
		case string:
			a.SetString(name, v)
		case []int64:
			a.SetInts(name, v)
		case []float32:
			a[name] = &ir.Attr{Name: name, Kind: ir.AttrFloats, Floats: v}
		}
	}
	return a
}

func TestAttentionBasic(t *testing.T) {
	// One query against two keys, head size 1, scale 1:
	// scores (0, 1) → p = (1, e)/(1+e); Y = 10 p0 + 20 p1.
	q := ir.FromSlice([]float32{1}, 1, 1, 1, 1)
	k := ir.FromSlice([]float32{0, 1}, 1, 1, 2, 1)
	v := ir.FromSlice([]float32{10, 20}, 1, 1, 2, 1)
	out, err := advRun("Attention", 23, advAttrs("scale", 1.0), 4, false, q, k, v)
	if err != nil {
		t.Fatal(err)
	}
	e := math.E
	advClose(t, "Y", out[0], []int64{1, 1, 1, 1}, []float64{(10 + 20*e) / (1 + e)}, 1e-5)
	advClose(t, "present_key", out[1], []int64{1, 1, 2, 1}, []float64{0, 1}, 0)
	advClose(t, "qk", out[3], []int64{1, 1, 1, 2}, []float64{0, 1}, 0)
}

func TestAttentionCausalAndMasks(t *testing.T) {
	q := ir.FromSlice([]float32{1, 1}, 1, 1, 2, 1)
	k := ir.FromSlice([]float32{0, 1}, 1, 1, 2, 1)
	v := ir.FromSlice([]float32{10, 20}, 1, 1, 2, 1)
	e := math.E
	// Causal: query 0 sees key 0 only.
	out, err := advRun("Attention", 23, advAttrs("scale", 1.0, "is_causal", 1), 1, false, q, k, v)
	if err != nil {
		t.Fatal(err)
	}
	advClose(t, "causal", out[0], []int64{1, 1, 2, 1}, []float64{10, (10 + 20*e) / (1 + e)}, 1e-5)
	// Boolean mask with a fully masked row: that row is zero, not NaN;
	// mode 3 exposes the probabilities (also zero there).
	mask := ir.FromSlice([]bool{false, false, true, false}, 2, 2)
	out, err = advRun("Attention", 24, advAttrs("scale", 1.0, "qk_matmul_output_mode", 3), 4, false, q, k, v, mask)
	if err != nil {
		t.Fatal(err)
	}
	advClose(t, "masked Y", out[0], []int64{1, 1, 2, 1}, []float64{0, 10}, 1e-6)
	advClose(t, "masked P", out[3], []int64{1, 1, 2, 2}, []float64{0, 0, 1, 0}, 1e-6)
	// Additive mask of -1 on key 1 and softcap 0.5 (mode 1: after softcap).
	add := ir.FromSlice([]float32{0, -1}, 2)
	out, err = advRun("Attention", 23, advAttrs("scale", 1.0, "softcap", 0.5, "qk_matmul_output_mode", 1), 4, false, q, k, v, add)
	if err != nil {
		t.Fatal(err)
	}
	sc := 0.5 * math.Tanh(2)
	p1 := math.Exp(sc-1) / (1 + math.Exp(sc-1))
	advClose(t, "softcap Y", out[0], []int64{1, 1, 2, 1}, []float64{10 + 10*p1, 10 + 10*p1}, 1e-5)
	advClose(t, "softcap qk", out[3], []int64{1, 1, 2, 2}, []float64{0, sc, 0, sc}, 1e-6)
}

func TestAttention3DGQAAndPast(t *testing.T) {
	// Two query heads share one KV head; 3-D layout (batch, seq, heads*size).
	q := ir.FromSlice([]float32{1, 0}, 1, 1, 2)
	k := ir.FromSlice([]float32{0}, 1, 1, 1)
	v := ir.FromSlice([]float32{5}, 1, 1, 1)
	pk := ir.FromSlice([]float32{1}, 1, 1, 1, 1)
	pv := ir.FromSlice([]float32{3}, 1, 1, 1, 1)
	out, err := advRun("Attention", 23, advAttrs("q_num_heads", 2, "kv_num_heads", 1, "scale", 1.0), 3, false, q, k, v, nil, pk, pv)
	if err != nil {
		t.Fatal(err)
	}
	// Head 0: scores (1, 0) over values (3, 5); head 1: scores (0, 0).
	e := math.E
	advClose(t, "Y", out[0], []int64{1, 1, 2}, []float64{(3*e + 5) / (1 + e), 4}, 1e-5)
	advClose(t, "present_value", out[2], []int64{1, 1, 2, 1}, []float64{3, 5}, 0)
	if _, err := advRun("Attention", 23, advAttrs("q_num_heads", 3, "kv_num_heads", 2), 1, false, ir.FromSlice(make([]float32, 6), 1, 1, 6), ir.FromSlice(make([]float32, 4), 1, 1, 4), ir.FromSlice(make([]float32, 4), 1, 1, 4)); err == nil {
		t.Fatal("3 query heads over 2 kv heads should fail")
	}
}

func TestAttentionNonpad(t *testing.T) {
	// External cache of 3 slots, 2 valid; causal offset 2-1 = 1: the single
	// query sees keys 0 and 1 but not the padding slot 2.
	q := ir.FromSlice([]float32{0}, 1, 1, 1, 1)
	k := ir.FromSlice([]float32{0, 0, 0}, 1, 1, 3, 1)
	v := ir.FromSlice([]float32{2, 4, 100}, 1, 1, 3, 1)
	out, err := advRun("Attention", 24, advAttrs("is_causal", 1), 1, false, q, k, v, nil, nil, nil, ir.FromSlice([]int64{2}, 1))
	if err != nil {
		t.Fatal(err)
	}
	advClose(t, "Y", out[0], []int64{1, 1, 1, 1}, []float64{3}, 1e-6)
}

func TestRotaryEmbedding(t *testing.T) {
	// Angle 90° (cos 0, sin 1): (x1, x2) → (-x2, x1); the second position
	// uses angle 0 (identity). Non-interleaved halves for head size 2.
	x := ir.FromSlice([]float32{1, 2, 3, 4}, 1, 1, 2, 2)
	cos := ir.FromSlice([]float32{0, 1}, 2, 1)
	sin := ir.FromSlice([]float32{1, 0}, 2, 1)
	pos := ir.FromSlice([]int64{0, 1}, 1, 2)
	out, err := advRun("RotaryEmbedding", 23, nil, 1, false, x, cos, sin, pos)
	if err != nil {
		t.Fatal(err)
	}
	advClose(t, "rotary", out[0], []int64{1, 1, 2, 2}, []float64{-2, 1, 3, 4}, 0)
	// Partial rotation, interleaved, 3-D input: only features 0,1 rotate.
	x3 := ir.FromSlice([]float32{1, 2, 7, 8}, 1, 1, 4)
	out, err = advRun("RotaryEmbedding", 23, advAttrs("num_heads", 1, "rotary_embedding_dim", 2, "interleaved", 1), 1, false,
		x3, ir.FromSlice([]float32{0}, 1, 1, 1), ir.FromSlice([]float32{1}, 1, 1, 1))
	if err != nil {
		t.Fatal(err)
	}
	advClose(t, "partial", out[0], []int64{1, 1, 4}, []float64{-2, 1, 7, 8}, 0)
}
