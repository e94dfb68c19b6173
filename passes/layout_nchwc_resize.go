package passes

import (
	"slices"

	"github.com/nncc/nncc/ir"
)

// Resize carried through an NCHWc region. Resizing the spatial axes of a
// blocked tensor [N, C/b, H, W, b] is a Resize of the rank-5 tensor with
// scale 1 (or the same size) on the block axes: a Resize treats each axis
// on its own, and an axis whose output size equals its input size with
// factor 1 is the identity for every mode the pass accepts:
//
//	half_pixel, pytorch_half_pixel, half_pixel_symmetric, asymmetric and
//	align_corners map output coordinate x to input coordinate x exactly
//	(x+0.5-0.5, x·(L-1)/(L-1), and the symmetric offset is 0 when the
//	output length equals the input's), an integer, so nearest (any
//	nearest_mode) picks x, and linear and cubic interpolation put weight 1
//	on x and 0 elsewhere; antialiasing only widens the filter when
//	scaling down. The kernel skips such an axis altogether (no taps, so
//	no 0·∞ from a neighbour).
//	tf_half_pixel_for_nn maps x to x+0.5 (round_prefer_ceil and ceil pick
//	x+1) and tf_crop_and_resize reads the roi: both are refused.
//
// Only nearest and linear (bilinear) without antialias are carried (see
// blockedResizeFilters). The N and C scales must be 1 (sizes: C unchanged); an axes attribute
// may only list H and W, which are axes 2 and 3 of both tensors, so its
// scales or sizes inputs carry over unchanged. Padding channels stay
// finite: nearest copies them, linear blends finite values with weights in
// [0, 1]. U-Net decoders upsample before every skip Concat; a
// region used to end at each of those Resizes. The kernel's channels-last
// path (kernels/nchwc_resize.go) moves whole 16-channel vectors.

// blockedResizeModes are the coordinate transformation modes under which
// an axis of scale 1 is the identity.
var blockedResizeModes = map[string]bool{
	"half_pixel": true, "pytorch_half_pixel": true, "half_pixel_symmetric": true, "asymmetric": true, "align_corners": true,
}

// blockedResizeFilters are the modes carried: those whose blocked form
// the channels-last kernel path computes with whole vectors (cubic and
// antialiased filters would fall back to the general float64 path, slower
// than leaving the region).
var blockedResizeFilters = map[string]bool{"nearest": true, "linear": true, "bilinear": true}

// blockedResizeSpec reports whether a Resize or Upsample node resizes
// only axes 2 and 3 of a rank-4 input in a form carried by a region, and
// returns its scales or sizes for rank 4 (nil when an axes attribute lists
// H and W only and the inputs carry over unchanged).
func blockedResizeSpec(n *ir.Node) (scales []float32, sizes []int64, ok bool) {
	x := n.In(0)
	if n.Domain != "" || (n.Op != "Resize" && n.Op != "Upsample") || x == nil || !x.Type.RankKnown || x.Type.Rank() != 4 {
		return nil, nil, false
	}
	if !blockedResizeModes[n.Attrs.String("coordinate_transformation_mode", "half_pixel")] {
		return nil, nil, false
	}
	if mode := n.Attrs.String("mode", "nearest"); !blockedResizeFilters[mode] || n.Attrs.Int("antialias", 0) != 0 {
		return nil, nil, false
	}
	if axes := n.Attrs.Ints("axes", nil); axes != nil {
		for _, a := range axes {
			if a != 2 && a != 3 && a != -2 && a != -1 {
				return nil, nil, false
			}
		}
		return nil, nil, true
	}
	if n.Attrs.String("keep_aspect_ratio_policy", "stretch") != "stretch" {
		return nil, nil, false
	}
	_, si, zi := ir.ResizeInputs(n.Op, n.Opset)
	if si < 0 {
		scales = n.Attrs.Floats("scales", nil)
	} else if v := n.In(si); v != nil && v.Const != nil && v.Const.Len() > 0 {
		f, isF32 := v.Const.Data.([]float32)
		if !isF32 {
			return nil, nil, false
		}
		scales = f
	}
	if zi >= 0 {
		if v := n.In(zi); v != nil && v.Const != nil && v.Const.Len() > 0 {
			if scales != nil {
				return nil, nil, false
			}
			if sizes, ok = constInts(v); !ok {
				return nil, nil, false
			}
		}
	}
	switch {
	case len(scales) == 4:
		return scales, nil, scales[0] == 1 && scales[1] == 1
	case len(sizes) == 4:
		c := x.Type.Shape[1]
		return nil, sizes, c.Known() && sizes[1] == c.Size
	}
	return nil, nil, false
}

// blockedResizeNode returns the Resize of the rank-5 blocked tensor xb
// for the rank-4 node n (accepted by blockedResizeSpec), in n's op and
// opset: scales [1, 1, sh, sw, 1] or sizes [n, C/b, h, w, b].
func (l *nchwcLayout) blockedResizeNode(n *ir.Node, xb *ir.Value) (*ir.Node, error) {
	scales, sizes, ok := blockedResizeSpec(n)
	if !ok {
		return nil, nchwcError("BUG: Resize " + n.Name + " was chosen for the blocked layout but does not qualify")
	}
	attrs := cloneAttrs(n.Attrs)
	ins := slices.Clone(n.Inputs)
	ins[0] = xb
	_, si, zi := ir.ResizeInputs(n.Op, n.Opset)
	switch {
	case scales != nil:
		s5 := []float32{1, 1, scales[2], scales[3], 1}
		if si < 0 {
			attrs["scales"] = &ir.Attr{Name: "scales", Kind: ir.AttrFloats, Floats: s5}
		} else {
			ins[si] = l.s.constant(n.Name+"_nchwc_scales", ir.FromSlice(s5, 5))
		}
	case sizes != nil:
		s5 := []int64{sizes[0], ir.NCHWcBlocks(sizes[1], l.blk), sizes[2], sizes[3], l.blk}
		ins[zi] = l.s.constant(n.Name+"_nchwc_sizes", ir.FromSlice(s5, 5))
	}
	return &ir.Node{Name: l.s.name(n.Name + "_nchwc"), Op: n.Op, Opset: n.Opset, Inputs: ins, Attrs: attrs}, nil
}
