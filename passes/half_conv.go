package passes

import (
	"github.com/nncc/nncc/ir"
)

// halfConvAsFloat rewrites a float16 Conv with constant weights (and
// bias), the form float16 converters write (a float32 model's weights
// stored as float16, the activations cast to float16 at the input), into
// the float32 Conv between two Casts:
//
//	Conv(x, w, b)           all float16, w and b constant
//	    → Cast(Conv(Cast(x, FLOAT), float32(w), float32(b)), FLOAT16)
//
// This is what the float16 kernel computes anyway (it widens every
// operand, convolves in float32 and rounds the result once), but as a
// plain float32 Conv the weights are widened once at compile time instead
// of on every run, and the convolution takes the fusion, prepacking and
// blocked-layout passes of float32 models.
func halfConvAsFloat(g *ir.Graph, c *Context) error {
	s := newFuseState(g)
	for _, n := range append([]*ir.Node(nil), g.Nodes...) {
		if !isOp(n, "Conv") || len(n.Outputs) != 1 || len(n.Inputs) < 2 {
			continue
		}
		x, out := n.Inputs[0], n.Out(0)
		if x == nil || x.Type.DType != ir.Float16 || out.Type.DType != ir.Float16 {
			continue
		}
		consts := make([]*ir.Value, 0, 2)
		ok := true
		for _, v := range n.Inputs[1:] {
			if v == nil {
				consts = append(consts, nil)
				continue
			}
			f, isHalf := halfConstToFloat(v)
			if !isHalf {
				ok = false
				break
			}
			consts = append(consts, s.constant(v.Name+"_float", f))
		}
		if !ok {
			continue
		}
		xf := &ir.Value{Name: s.name(x.Name + "_float")}
		castIn := castNode(g, s.name(n.Name+"_cast_in"), x, xf, ir.Float32)
		yf := &ir.Value{Name: s.name(out.Name + "_float")}
		conv := &ir.Node{Name: s.name(n.Name + "_float"), Op: "Conv", Opset: n.Opset,
			Inputs: append([]*ir.Value{xf}, consts...), Outputs: []*ir.Value{yf}, Attrs: cloneAttrs(n.Attrs)}
		castOut := castNode(g, s.name(n.Name+"_cast_out"), yf, nil, ir.Float16)
		insertBefore(g, n, castIn)
		insertBefore(g, n, conv)
		replaceNode(g, n, castOut)
		for _, m := range []*ir.Node{castIn, conv, castOut} {
			if err := ir.InferNode(m); err != nil {
				return err
			}
		}
		s.refresh()
	}
	return nil
}

// halfConstToFloat widens a constant float16 tensor to float32.
func halfConstToFloat(v *ir.Value) (*ir.Tensor, bool) {
	if v.Const == nil || v.Const.Kind != ir.KindTensor || v.Const.DType != ir.Float16 {
		return nil, false
	}
	h, ok := v.Const.Data.([]ir.F16)
	if !ok {
		return nil, false
	}
	out := make([]float32, len(h))
	for i, x := range h {
		out[i] = x.Float32()
	}
	return &ir.Tensor{Kind: ir.KindTensor, DType: ir.Float32, Shape: append([]int64(nil), v.Const.Shape...), Data: out}, true
}
