package passes

import "github.com/nncc/nncc/ir"

// foldPadIntoConv folds a zero constant Pad of the spatial axes into the
// pads attribute of the Conv that reads it (the way tf2onnx writes
// TensorFlow's asymmetric "same" padding: Pad then a valid Conv):
//
//	Conv(Pad(x, begin, end, 0), pads=p) = Conv(x, pads=p + [begin[2:], end[2:]])
//
// because Conv pads with zeros too. Only non-negative pads on the spatial
// axes (none on batch or channel), mode "constant" with value 0, and a
// Conv without auto_pad qualify. The Conv reads x directly; the Pad stays
// for its other users (dce removes it when there are none).
func foldPadIntoConv(g *ir.Graph, c *Context) error {
	for _, n := range g.Nodes {
		if !isOp(n, "Conv") || n.Attrs.String("auto_pad", "NOTSET") != "NOTSET" {
			continue
		}
		p := producerOf(n.In(0), "Pad")
		if p == nil {
			continue
		}
		begin, end, ok := zeroSpatialPads(p)
		if !ok {
			continue
		}
		spatial := len(begin) - 2
		pads := n.Attrs.Ints("pads", nil)
		if pads == nil {
			pads = make([]int64, 2*spatial)
		}
		if len(pads) != 2*spatial {
			continue
		}
		merged := make([]int64, 2*spatial)
		for i := range spatial {
			merged[i] = pads[i] + begin[2+i]
			merged[spatial+i] = pads[spatial+i] + end[2+i]
		}
		attrs := cloneAttrs(n.Attrs)
		attrs.SetInts("pads", merged)
		n.Attrs = attrs
		inputs := append([]*ir.Value{}, n.Inputs...)
		inputs[0] = p.In(0)
		n.Inputs = inputs
	}
	return nil
}

// zeroSpatialPads returns the per-axis pads of a Pad node that pads only
// axes 2 and up, by non-negative amounts, with constant zeros.
func zeroSpatialPads(p *ir.Node) (begin, end []int64, ok bool) {
	x := p.In(0)
	if x == nil || !x.Type.RankKnown || x.Type.Rank() < 3 || p.Attrs.String("mode", "constant") != "constant" {
		return nil, nil, false
	}
	var pads, axes []int64
	if p.Opset < 11 {
		if p.Attrs.Float("value", 0) != 0 {
			return nil, nil, false
		}
		pads = p.Attrs.Ints("pads", nil)
	} else {
		if pads, ok = constInts(p.In(1)); !ok {
			return nil, nil, false
		}
		if v := p.In(2); v != nil && !(v.Const != nil && v.Const.Len() == 0) {
			if z, ok := scalarConst(v); !ok || z != 0 {
				return nil, nil, false
			}
		}
		if v := p.In(3); v != nil {
			if axes, ok = constInts(v); !ok {
				return nil, nil, false
			}
		}
	}
	begin, end, err := ir.PadSpec(x.Type.Rank(), pads, axes)
	if err != nil || begin[0] != 0 || end[0] != 0 || begin[1] != 0 || end[1] != 0 {
		return nil, nil, false
	}
	for i := range begin {
		if begin[i] < 0 || end[i] < 0 {
			return nil, nil, false
		}
	}
	return begin, end, true
}
