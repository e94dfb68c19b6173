package passes

import (
	"math"

	"github.com/nncc/nncc/ir"
)

// A channel Pad written as a Concat with zeros, carried through an NCHWc
// region. tf2onnx exports the residual blocks of MediaPipe's BlazeFace
// (and other Keras models that widen a shortcut by zero channels) as
// Concat(x, ConstantOfShape(...)) along the channels, which constant
// folding turns into a Concat with an all-zero constant. Such a Concat
// used to end the region with a ReorderFromNCHWc, concatenate in NCHW and
// re-enter it with a ReorderToNCHWc, eleven times in BlazeFace's front
// model. The zero inputs become absent inputs of nncc.ConcatNCHWc, which
// clears the output blocks holding their channels and copies the
// blocked inputs' lanes around them (kernels/nchwc_concat.go).

// concatZeroInputs reports, when n is a channel Concat, which of its
// inputs are all-zero float32 constants, when at least one is and every
// other input is blocked (leading zeros too); otherwise nil.
func concatZeroInputs(n *ir.Node, isBlocked map[*ir.Value]int64) []bool {
	if !isOp(n, "Concat") {
		return nil
	}
	if ax := n.Attrs.Int("axis", 0); ax != 1 && ax != -3 {
		return nil
	}
	zero := make([]bool, len(n.Inputs))
	zeros, blocked := 0, 0
	for i, in := range n.Inputs {
		if ch, ok := isBlocked[in]; ok && ch > 0 {
			blocked++
			continue
		}
		if !allZeroConst(in) || staticChannels(in) <= 0 {
			return nil
		}
		zero[i] = true
		zeros++
	}
	if zeros == 0 || blocked == 0 {
		return nil
	}
	return zero
}

// allZeroConst reports whether v is a float32 constant whose every
// element is +0 (a -0 channel would turn into +0 in the blocked form).
func allZeroConst(v *ir.Value) bool {
	d, ok := floatConst(v)
	if !ok {
		return false
	}
	for _, x := range d {
		if math.Float32bits(x) != 0 {
			return false
		}
	}
	return true
}
