package passes

import (
	"math"

	"github.com/nncc/nncc/ir"
)

// fakeQuantToFloat rewrites the activation pairs of QDQ-format models
// (ONNX Runtime's static quantizer, PyTorch and TensorRT-style exporters),
// QuantizeLinear of a float32 tensor straight into DequantizeLinear with
// the same one-element constant scale s and zero point z, as one float op:
//
//	DequantizeLinear(QuantizeLinear(x, s, z), s, z)
//	  → nncc.FakeQuant(x) {scale=s, lo=qmin-z, hi=qmax-z}
//	  = roundEven(clamp(x/s, qmin-z, qmax-z)) · s
//
// For uint8 and int8 codes q = saturate(roundEven(x/s) + z) and the
// pair's result is (q - z)·s; rounding is monotone and keeps integers, so
// clamping x/s before rounding equals saturating after, and every step
// but the division and the final product is exact. The division stays a
// division (as QuantizeLinear and ONNX Runtime compute it) and a NaN
// quotient is clamped to qmin-z as QuantizeLinear's kernel does, so the
// result is the pair's bit for bit.
//
// The pair was two passes over the tensor through a byte intermediate,
// and neither op is one the NCHWc layout carries, so each pair between
// two convolutions also cost two reorders; FakeQuant is one vector pass
// (kernels/fake_quant.go) that the layout carries through blocked
// regions. The DequantizeLinear of constant int8 weights and int32 biases
// is already folded into float constants by the fold pass, so the
// convolutions, MatMuls and Gemms between the pairs run as float
// products with the epilogues and layouts of float models.
func fakeQuantToFloat(g *ir.Graph, c *Context) error {
	s := newFuseState(g)
	for _, q := range append([]*ir.Node(nil), g.Nodes...) {
		p, ok := fakeQuantPair(s, q)
		if !ok {
			continue
		}
		for _, dq := range p.dqs {
			a := ir.Attrs{}
			a.SetFloat("scale", p.scale)
			a.SetFloat("lo", p.lo)
			a.SetFloat("hi", p.hi)
			fq := &ir.Node{Name: s.name(dq.Name + "_fake_quant"), Op: "FakeQuant", Domain: ir.FusedDomain, Opset: 1,
				Inputs: []*ir.Value{q.In(0)}, Attrs: a}
			replaceNode(g, dq, fq)
			if err := ir.InferNode(fq); err != nil {
				return err
			}
		}
		useFusedDomain(g)
		removeNodes(g, map[*ir.Node]bool{q: true})
		s.refresh()
	}
	return nil
}

// fakeQuantMatch is one QuantizeLinear → DequantizeLinear pair's
// parameters: the scale, the clamp bounds qmin-z and qmax-z, and the
// DequantizeLinear nodes that read the codes.
type fakeQuantMatch struct {
	scale, lo, hi float32
	dqs           []*ir.Node
}

// fakeQuantPair reports whether q is a per-tensor 8-bit QuantizeLinear of
// a float32 tensor whose codes only DequantizeLinear nodes with the same
// scale and zero point read, and returns the match.
func fakeQuantPair(s *fuseState, q *ir.Node) (fakeQuantMatch, bool) {
	var m fakeQuantMatch
	if !isOp(q, "QuantizeLinear") || len(q.Outputs) != 1 || len(q.Inputs) < 2 || !isFloat32(q.In(0)) ||
		q.Attrs.Int("block_size", 0) != 0 || !fakeQuantFloatAttr(q, "precision") {
		return m, false
	}
	codes := q.Out(0)
	qmin, qmax, ok := fakeQuantRange(codes.Type.DType)
	if !ok || isGraphOutput(s.g, codes) {
		return m, false
	}
	scale, ok := fakeQuantScale(q.In(1))
	if !ok {
		return m, false
	}
	z, ok := fakeQuantZero(q, codes.Type.DType)
	if !ok {
		return m, false
	}
	users := s.users[codes]
	if len(users) == 0 || s.uses[codes] != len(users) {
		return m, false // no reader, or one inside a nested graph
	}
	for _, dq := range users {
		if !isOp(dq, "DequantizeLinear") || len(dq.Inputs) < 2 || dq.In(0) != codes || len(dq.Outputs) != 1 ||
			!isFloat32(dq.Out(0)) || dq.Attrs.Int("block_size", 0) != 0 || !fakeQuantFloatAttr(dq, "output_dtype") {
			return m, false
		}
		if ds, ok := fakeQuantScale(dq.In(1)); !ok || math.Float32bits(ds) != math.Float32bits(scale) {
			return m, false
		}
		if dz, ok := fakeQuantZero(dq, codes.Type.DType); !ok || dz != z {
			return m, false
		}
	}
	m.scale, m.lo, m.hi, m.dqs = scale, float32(qmin-z), float32(qmax-z), users
	return m, true
}

// fakeQuantRange gives the code range of the 8-bit types the rewrite
// handles.
func fakeQuantRange(d ir.DType) (qmin, qmax int64, ok bool) {
	switch d {
	case ir.Uint8:
		return 0, 255, true
	case ir.Int8:
		return -128, 127, true
	}
	return 0, 0, false
}

// fakeQuantScale returns a one-element float32 constant scale that is
// finite and positive.
func fakeQuantScale(v *ir.Value) (float32, bool) {
	d, ok := floatConst(v)
	if !ok || len(d) != 1 || !(d[0] > 0) || math.IsInf(float64(d[0]), 0) {
		return 0, false
	}
	return d[0], true
}

// fakeQuantZero returns the zero point of Q or DQ node n (its input 2, a
// one-element constant of dtype d, or 0 when absent).
func fakeQuantZero(n *ir.Node, d ir.DType) (int64, bool) {
	if len(n.Inputs) < 3 || n.In(2) == nil {
		return 0, true
	}
	z := n.In(2)
	if z.Const == nil || z.Const.Kind != ir.KindTensor || z.Const.Len() != 1 || z.Const.DType != d {
		return 0, false
	}
	v, err := z.Const.Int64s()
	if err != nil {
		return 0, false
	}
	return v[0], true
}

// fakeQuantFloatAttr reports whether n's dtype attribute name (precision,
// output_dtype) is absent or float32.
func fakeQuantFloatAttr(n *ir.Node, name string) bool {
	d := ir.DType(n.Attrs.Int(name, 0))
	return d == ir.Undefined || d == ir.Float32
}
