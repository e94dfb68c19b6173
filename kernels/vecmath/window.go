package vecmath

import "fmt"

// Window2D is the geometry of a 2-D sliding window over one H×W plane of
// an NCHW tensor: pooling, depthwise convolution and im2col use it.
// Output element (oy, ox) covers input rows oy·SH - PadT + ky·DH and
// columns ox·SW - PadL + kx·DW for ky < KH, kx < KW; positions outside the
// plane are padding. OH and OW are given (the caller applies ceil_mode,
// auto_pad and the ONNX output-size rules); windows may reach past PadB
// and PadR when ceil_mode makes the output larger.
type Window2D struct {
	H, W                   int // input plane
	KH, KW                 int // kernel
	SH, SW                 int // strides, ≥ 1
	DH, DW                 int // dilations, ≥ 1
	PadT, PadL, PadB, PadR int // padding, ≥ 0
	OH, OW                 int // output plane
}

// Check returns an error when the geometry is inconsistent.
func (w *Window2D) Check() error {
	switch {
	case w.H < 0 || w.W < 0 || w.OH < 0 || w.OW < 0:
		return fmt.Errorf("vecmath: negative plane size in %+v", *w)
	case w.KH < 1 || w.KW < 1 || w.SH < 1 || w.SW < 1 || w.DH < 1 || w.DW < 1:
		return fmt.Errorf("vecmath: kernel, strides and dilations must be ≥ 1 in %+v", *w)
	case w.PadT < 0 || w.PadL < 0 || w.PadB < 0 || w.PadR < 0:
		return fmt.Errorf("vecmath: negative padding in %+v", *w)
	}
	return nil
}

// OutSize returns the ONNX output size of one axis: floor (or ceil, with
// ceilMode) of (in + pads - dilation·(k-1) - 1)/stride + 1; with ceilMode
// the last window must start inside the input or the leading padding.
func OutSize(in, k, stride, dilation, padBegin, padEnd int, ceilMode bool) int {
	span := in + padBegin + padEnd - dilation*(k-1) - 1
	if span < 0 {
		return 0
	}
	out := span/stride + 1
	if ceilMode && span%stride != 0 {
		out++
		if (out-1)*stride >= in+padBegin {
			out--
		}
	}
	return out
}

// Span returns [lo, hi), the outputs o (of out) along one axis whose
// tap o·s - p + t is inside [0, n): the range where a window needs no
// padding checks. Convolution and pooling kernels of every dimension use it.
func Span(n, out, s, p, t int) (lo, hi int) {
	off := t - p
	if off < 0 {
		lo = (-off + s - 1) / s
	}
	if n-off <= 0 {
		return out, out
	}
	hi = min(out, (n-off+s-1)/s)
	return min(lo, hi), hi
}

// EachTap calls f, in ascending order, with every kernel tap t < k (at
// dilation d) that some output o < out (stride s, leading padding p)
// reads from inside [0, n): t·d ∈ [p - o·s, p - o·s + n). Taps that only
// ever fall in padding are skipped without being visited, so a kernel of
// 2^31 taps over a small padded plane costs what its in-plane taps cost.
func EachTap(k, d, n, out, s, p int, f func(t int)) {
	cur := 0 // the first tap not yet visited
	for o := out - 1; o >= 0 && cur < k; o-- {
		lo, hi := p-o*s, p-o*s+n // the tap offsets t·d output o reads in the plane
		if hi <= 0 {
			continue
		}
		a := max(cur, (max(lo, 0)+d-1)/d)
		b := min(k, (hi+d-1)/d)
		for t := a; t < b; t++ {
			f(t)
		}
		cur = max(cur, b)
	}
}

// TapsBelow returns how many taps t < k (dilation d ≥ 1) put start + t·d
// below limit: they are the first ones, t < TapsBelow.
func TapsBelow(start, k, d, limit int) int {
	if limit <= start {
		return 0
	}
	return min(k, (limit-start+d-1)/d)
}

// tapCount returns how many taps t < k (dilation d) put start + t·d in
// [lo, hi).
func tapCount(start, k, d, lo, hi int) int {
	return max(0, TapsBelow(start, k, d, hi)-TapsBelow(start, k, d, lo))
}

func (w *Window2D) mustCheck(what string, planesIn, planesOut int, x, dst []float32) {
	if err := w.Check(); err != nil {
		panic(what + ": " + err.Error())
	}
	if len(x) != planesIn*w.H*w.W || len(dst) != planesOut*w.OH*w.OW {
		panic(fmt.Sprintf("vecmath: %s: x has %d elements, dst %d; want %d×%d×%d and %d×%d×%d",
			what, len(x), len(dst), planesIn, w.H, w.W, planesOut, w.OH, w.OW))
	}
}
