package passes

import (
	"math"

	"github.com/nncc/nncc/ir"
)

// Pad carried through an NCHWc region. Padding the spatial axes of a
// blocked tensor [N, C/b, H, W, b] is the same Pad on axes 2 and 3 of the
// rank-5 tensor: every mode (constant, reflect, edge, wrap) treats each
// axis on its own, so the block axis, left unpadded, carries the channels
// through. Reflection and edge copies keep padding channels as they are;
// a constant fills them with its value, which must be finite (see the
// region's invariant in layout_nchwc.go). Style-transfer and image-to-
// image GAN generators pad by reflection before most convolutions; a
// region used to end at each of those Pads with a ReorderFromNCHWc, the
// Pad, and a ReorderToNCHWc.

// blockedPadSpec returns the per-axis pads of a Pad node that pads only
// axes 2 and 3 of a rank-4 input, with static pads and a finite constant.
func blockedPadSpec(n *ir.Node) (begin, end []int64, ok bool) {
	x := n.In(0)
	if x == nil || !x.Type.RankKnown || x.Type.Rank() != 4 {
		return nil, nil, false
	}
	var pads, axes []int64
	if n.Opset < 11 {
		if !finite(float64(n.Attrs.Float("value", 0))) {
			return nil, nil, false
		}
		pads = n.Attrs.Ints("pads", n.Attrs.Ints("paddings", nil))
	} else {
		if pads, ok = constInts(n.In(1)); !ok {
			return nil, nil, false
		}
		if v := n.In(2); v != nil && !(v.Const != nil && v.Const.Len() == 0) {
			if c, ok := scalarConst(v); !ok || !finite(c) {
				return nil, nil, false
			}
		}
		if v := n.In(3); v != nil {
			if axes, ok = constInts(v); !ok {
				return nil, nil, false
			}
		}
	}
	begin, end, err := ir.PadSpec(4, pads, axes)
	if err != nil || begin[0] != 0 || end[0] != 0 || begin[1] != 0 || end[1] != 0 {
		return nil, nil, false
	}
	return begin, end, true
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// blockedPadNode returns the Pad of the rank-5 blocked tensor xb for the
// rank-4 Pad n (whose spec blockedPadSpec accepted), in n's opset: pads
// [0, 0, top, left, 0, 0, 0, bottom, right, 0], the mode and constant
// kept, axes resolved.
func (l *nchwcLayout) blockedPadNode(n *ir.Node, xb *ir.Value) (*ir.Node, error) {
	begin, end, ok := blockedPadSpec(n)
	if !ok {
		return nil, nchwcError("BUG: Pad " + n.Name + " was chosen for the blocked layout but its pads do not qualify")
	}
	pads := []int64{0, 0, begin[2], begin[3], 0, 0, 0, end[2], end[3], 0}
	attrs := cloneAttrs(n.Attrs)
	ins := []*ir.Value{xb}
	if n.Opset < 11 {
		delete(attrs, "paddings")
		attrs.SetInts("pads", pads)
	} else {
		ins = append(ins, l.s.constant(n.Name+"_nchwc_pads", ir.FromSlice(pads, int64(len(pads)))))
		if v := n.In(2); v != nil {
			ins = append(ins, v)
		}
	}
	return &ir.Node{Name: l.s.name(n.Name + "_nchwc"), Op: "Pad", Opset: n.Opset, Inputs: ins, Attrs: attrs}, nil
}

// A mean over the spatial axes of a blocked tensor is a global average
// pool: ReduceMean(x, axes={2, 3}) with keepdims is
// GlobalAveragePoolNCHWc and stays in the region; without keepdims (the
// way exporters write Keras' GlobalAveragePooling2D) it ends the region
// as GlobalAveragePoolNCHWc, a ReorderFromNCHWc of the N×C×1×1 result and
// a Flatten, instead of reordering the whole feature map back to NCHW to
// reduce it there.

// spatialMean reports whether n is a ReduceMean of a rank-4 tensor over
// exactly axes 2 and 3, and whether it keeps the reduced axes.
func spatialMean(n *ir.Node) (keepdims, ok bool) {
	x := n.In(0)
	if !isOp(n, "ReduceMean") || x == nil || !x.Type.RankKnown || x.Type.Rank() != 4 {
		return false, false
	}
	var axes []int64
	if n.Opset < 18 {
		axes = n.Attrs.Ints("axes", nil)
	} else if v := n.In(1); v != nil {
		if axes, ok = constInts(v); !ok {
			return false, false
		}
	}
	var seen [4]bool
	for _, a := range axes {
		ax, err := ir.NormAxis(a, 4)
		if err != nil {
			return false, false
		}
		seen[ax] = true
	}
	if len(axes) == 0 || seen != [4]bool{false, false, true, true} {
		return false, false
	}
	return n.Attrs.Int("keepdims", 1) != 0, true
}

// emitSpatialMeanExit replaces the ReduceMean n (keepdims 0) of blocked
// input xb by GlobalAveragePoolNCHWc, ReorderFromNCHWc and Flatten, the
// last writing n's output value.
func (l *nchwcLayout) emitSpatialMeanExit(n *ir.Node, xb *ir.Value) error {
	ch := staticChannels(n.In(0))
	pooled := &ir.Value{Name: l.s.name(n.Name + "_gap_nchwc")}
	plain := &ir.Value{Name: l.s.name(n.Name + "_gap")}
	o := n.Outputs[0]
	chain := []*ir.Node{
		{Name: l.s.name(n.Name + "_nchwc"), Op: "GlobalAveragePoolNCHWc", Domain: ir.FusedDomain, Opset: 1,
			Inputs: []*ir.Value{xb}, Outputs: []*ir.Value{pooled}, Attrs: ir.Attrs{"block": nchwcIntAttr("block", l.blk)}},
		{Name: l.s.name(n.Name + "_from_nchwc"), Op: "ReorderFromNCHWc", Domain: ir.FusedDomain, Opset: 1,
			Inputs: []*ir.Value{pooled}, Outputs: []*ir.Value{plain},
			Attrs: ir.Attrs{"block": nchwcIntAttr("block", l.blk), "channels": nchwcIntAttr("channels", ch)}},
		{Name: l.s.name(n.Name + "_flatten"), Op: "Flatten", Opset: 13,
			Inputs: []*ir.Value{plain}, Outputs: []*ir.Value{o}, Attrs: ir.Attrs{"axis": nchwcIntAttr("axis", 1)}},
	}
	for _, c := range chain {
		c.Outputs[0].Producer, c.Outputs[0].Index = c, 0
		if err := ir.InferNode(c); err != nil {
			return err
		}
		l.out = append(l.out, c)
	}
	return nil
}
