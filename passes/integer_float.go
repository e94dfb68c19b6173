package passes

import (
	"math"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels"
)

// integerAsFloat rewrites an 8-bit integer product whose int32 result is
// only converted to float32, the form dynamic quantization writes
// (DynamicQuantizeLinear → ConvInteger/MatMulInteger → Cast → Mul by the
// scales), into the float product of the zero-point-shifted operands:
//
//	Cast(ConvInteger(x, w, xz, wz), to=FLOAT)
//	    → Conv(Cast(x) − Cast(xz), float(w − wz))      same attributes
//	Cast(MatMulInteger(a, b, az, bz), to=FLOAT)
//	    → MatMul(Cast(a) − Cast(az), float(b − bz))
//
// (Cast(x) − Cast(xz) is written DequantizeLinear(x, 1, xz), which
// computes the same exact values in one pass.)
//
// The weights w (b) and their zero point must be constants; the
// activation's zero point may be computed (DynamicQuantizeLinear's) but
// must be one value. Every product of two shifted 8-bit values is an
// integer of magnitude below 2^16 and is exact in float32, and so is every
// partial sum below 2^24. The rewrite is made only where that makes the
// float result bit for bit the Cast of the exact int32 one: the weights
// must bound every output's sum below 2^24 (255·Σ|w−wz| over its taps,
// integerSumsExact), and a float Conv the kernels may run by Winograd
// (kernels.FloatConvExact says so), whose transforms round the integers
// by a few units — which the DynamicQuantizeLinear after the next layer
// turns into different 8-bit codes — becomes an nncc.FusedConv marked
// exact_sums, which no rounding algorithm takes. Elsewhere ConvInteger and
// MatMulInteger stay, on their own exact kernels (kernels/qgemm_exact.go).
// The float product runs on the blocked, vectorised convolution and GEMM
// kernels. At a level where the integer convolution is the faster one
// (kernels.IntegerConvPreferred: AVX-512, whose VNNI integer GEMM
// multiplies four times as many pairs per instruction as the float FMA),
// ConvInteger is left alone.
func integerAsFloat(g *ir.Graph, c *Context) error {
	s := newFuseState(g)
	for _, n := range append([]*ir.Node(nil), g.Nodes...) {
		conv := isOp(n, "ConvInteger")
		if !conv && !isOp(n, "MatMulInteger") || len(n.Outputs) != 1 || len(n.Inputs) < 2 {
			continue
		}
		if conv && kernels.IntegerConvPreferred(c.Level) {
			continue
		}
		cast := s.soleUser(n.Out(0))
		if !isOp(cast, "Cast") || cast.Attrs.Int("to", 0) != int64(ir.Float32) || !isFloat32(cast.Out(0)) {
			continue
		}
		x, w := n.Inputs[0], n.Inputs[1]
		var xz, wz *ir.Value
		if len(n.Inputs) > 2 {
			xz = n.Inputs[2]
		}
		if len(n.Inputs) > 3 {
			wz = n.Inputs[3]
		}
		if x == nil || !x.Type.RankKnown || (xz != nil && !oneElement(xz)) {
			continue
		}
		wf, ok := shiftedWeights(w, wz, conv)
		if !ok || !integerSumsExact(wf, conv) {
			continue
		}
		var added []*ir.Node
		var xf *ir.Value
		if xz != nil {
			// Cast(x) − Cast(xz) as one DequantizeLinear with scale 1: the
			// same exact values in one pass over x (the 8-bit fast path,
			// kernels/quant_fast.go) instead of a Cast and a Sub.
			xf = &ir.Value{Name: s.name(x.Name + "_shifted")}
			shape, ok := xz.Type.Shape.Concrete()
			if !ok {
				shape = []int64{}
			}
			one := s.constant(n.Name+"_unit_scale", &ir.Tensor{Kind: ir.KindTensor, DType: ir.Float32, Shape: shape, Data: []float32{1}})
			added = append(added, &ir.Node{Name: s.name(n.Name + "_sub_zero_point"), Op: "DequantizeLinear", Opset: onnxOpset(g, 13),
				Inputs: []*ir.Value{x, one, xz}, Outputs: []*ir.Value{xf}, Attrs: ir.Attrs{}})
		} else {
			xf = &ir.Value{Name: s.name(x.Name + "_float")}
			added = append(added, castNode(g, s.name(n.Name+"_cast_x"), x, xf, ir.Float32))
		}
		wv := s.constant(w.Name+"_float", wf)
		var prod *ir.Node
		switch {
		case conv && kernels.FloatConvExact(c.Level, x.Type, wf.Shape, n.Attrs):
			prod = &ir.Node{Name: s.name(n.Name + "_float"), Op: "Conv", Opset: onnxOpset(g, 11),
				Inputs: []*ir.Value{xf, wv}, Attrs: cloneAttrs(n.Attrs)}
		case conv:
			// A Conv the kernels might run by Winograd: the fused form,
			// marked so that no algorithm rounding its sums is chosen.
			a := cloneAttrs(n.Attrs)
			a.SetInt("exact_sums", 1)
			prod = &ir.Node{Name: s.name(n.Name + "_float"), Op: "FusedConv", Domain: ir.FusedDomain, Opset: 1,
				Inputs: []*ir.Value{xf, wv}, Attrs: a}
			useFusedDomain(g)
		default:
			prod = &ir.Node{Name: s.name(n.Name + "_float"), Op: "MatMul", Opset: onnxOpset(g, 13),
				Inputs: []*ir.Value{xf, wv}, Attrs: ir.Attrs{}}
		}
		for _, a := range added {
			insertBefore(g, cast, a)
			if err := ir.InferNode(a); err != nil {
				return err
			}
		}
		replaceNode(g, cast, prod)
		if err := ir.InferNode(prod); err != nil {
			return err
		}
		removeNodes(g, map[*ir.Node]bool{n: true})
		s.refresh()
	}
	return nil
}

// oneElement reports whether v is known to hold a single element.
func oneElement(v *ir.Value) bool {
	if !v.Type.RankKnown {
		return false
	}
	for _, d := range v.Type.Shape {
		if !d.Known() || d.Size != 1 {
			return false
		}
	}
	return true
}

// shiftedWeights returns the constant 8-bit weights w minus their
// constant zero point wz (one value, or one per output channel: axis 0 of
// a ConvInteger's weights, the last axis of a rank-2 MatMulInteger B) as
// a float32 tensor of w's shape.
func shiftedWeights(w, wz *ir.Value, conv bool) (*ir.Tensor, bool) {
	if w == nil || w.Const == nil || w.Const.Kind != ir.KindTensor {
		return nil, false
	}
	wv, ok := int8Values(w.Const)
	if !ok || len(w.Const.Shape) < 2 || (!conv && len(w.Const.Shape) != 2) {
		return nil, false
	}
	zp := []int32{0}
	if wz != nil {
		if wz.Const == nil || wz.Const.Kind != ir.KindTensor || wz.Const.DType != w.Const.DType {
			return nil, false
		}
		if zp, ok = int8Values(wz.Const); !ok {
			return nil, false
		}
	}
	shape := w.Const.Shape
	out := make([]float32, len(wv))
	switch {
	case len(zp) == 1:
		for i, v := range wv {
			out[i] = float32(v - zp[0])
		}
	case conv && len(zp) == int(shape[0]) && len(zp) > 0:
		blk := len(wv) / len(zp)
		for i, v := range wv {
			out[i] = float32(v - zp[i/blk])
		}
	case !conv && len(zp) == int(shape[1]):
		for i, v := range wv {
			out[i] = float32(v - zp[i%len(zp)])
		}
	default:
		return nil, false
	}
	return &ir.Tensor{Kind: ir.KindTensor, DType: ir.Float32, Shape: append([]int64(nil), shape...), Data: out}, true
}

// int8Values widens an int8 or uint8 tensor to int32 (ok false for other
// dtypes).
func int8Values(t *ir.Tensor) ([]int32, bool) {
	var out []int32
	switch d := t.Data.(type) {
	case []int8:
		if t.DType != ir.Int8 {
			return nil, false
		}
		out = make([]int32, len(d))
		for i, v := range d {
			out[i] = int32(v)
		}
	case []uint8:
		if t.DType != ir.Uint8 {
			return nil, false
		}
		out = make([]int32, len(d))
		for i, v := range d {
			out[i] = int32(v)
		}
	default:
		return nil, false
	}
	return out, true
}

// integerSumsExact reports whether the shifted weights wf (float32,
// integer-valued; a ConvInteger's [M, C/group, k...] or a MatMulInteger's
// [K, N]) keep every output's sum of products with 8-bit shifted
// activations (magnitude at most 255) below 2^24, so that float32 adds
// them exactly in any order.
func integerSumsExact(wf *ir.Tensor, conv bool) bool {
	w := wf.F32()
	if len(w) == 0 {
		return true // every sum is empty; and rows or cols need not be bounded by data
	}
	var sums []float64
	if conv {
		rows := int(wf.Shape[0])
		if rows == 0 {
			return true
		}
		sums = make([]float64, rows)
		blk := len(w) / rows
		for i, v := range w {
			sums[i/blk] += math.Abs(float64(v))
		}
	} else {
		cols := int(wf.Shape[1])
		sums = make([]float64, cols)
		for i, v := range w {
			sums[i%cols] += math.Abs(float64(v))
		}
	}
	for _, s := range sums {
		if 255*s >= 1<<24 {
			return false
		}
	}
	return true
}
