package kernels

import (
	"unsafe"

	"github.com/nncc/nncc/ir"
)

// Pad's fast path: instead of mapping every output element back to the
// input (mvMapped), each output row copies the interior of its input row
// in one copy and writes only its border elements; whole padded rows and
// planes of the outer axes are constant fills or copies of rows already
// written. Elements are moved as raw words of their byte width, so the
// result is bit-identical to the element-wise path for every dtype.

// padFast is the per-shape plan of the fast path, on the input and output
// shapes after merging runs of adjacent unpadded axes. Its size is
// proportional to the rank: the border of an axis, the output indices
// outside [lo, hi), and the input index each reads are computed as they
// are written (padSource), never listed, so a plan for a pad of 2^30
// elements is as small as one for a pad of 1.
type padFast struct {
	out    []int // output dims
	in     []int // input dims
	outSt  []int // output strides, in elements
	inSt   []int // input strides, in elements
	begin  []int // pad before each axis (negative crops)
	lo, hi []int // output interior [lo, hi) of each axis: o-begin is in range
	mode   int
}

// borders returns the two output ranges of axis a outside its interior,
// [0, lo) and [hi, out) (when the interior is empty, lo = hi = 0: the
// whole axis).
func (p *padFast) borders(a int) [2][2]int {
	return [2][2]int{{0, p.lo[a]}, {p.hi[a], p.out[a]}}
}

// source returns the input index border index o of axis a reads (-1: the
// fill).
func (p *padFast) source(a, o int) int {
	return int(padSource(int64(o-p.begin[a]), int64(p.in[a]), p.mode))
}

// planPadFast plans the fast path for input shape in, output shape out and
// leading pads begin, in the given mode. It returns nil when an axis has
// to be padded from nothing (an empty input axis in a non-constant mode);
// the generic path then reports the error.
func planPadFast(in, out, begin []int64, mode int) *padFast {
	// Merge runs of adjacent unpadded axes: they form one unpadded axis.
	var din, dout, dbeg []int64
	for a := range in {
		unpadded := begin[a] == 0 && out[a] == in[a]
		if k := len(din) - 1; unpadded && k >= 0 && dbeg[k] == 0 && dout[k] == din[k] {
			din[k] *= in[a]
			dout[k] *= in[a]
			continue
		}
		din = append(din, in[a])
		dout = append(dout, out[a])
		dbeg = append(dbeg, begin[a])
	}
	r := len(din)
	p := &padFast{
		out: make([]int, r), in: make([]int, r), outSt: make([]int, r), inSt: make([]int, r), begin: make([]int, r),
		lo: make([]int, r), hi: make([]int, r), mode: mode,
	}
	so, si := 1, 1
	for a := r - 1; a >= 0; a-- {
		p.outSt[a], p.inSt[a] = so, si
		so *= int(dout[a])
		si *= int(din[a])
	}
	for a := range r {
		n, o, b := din[a], dout[a], dbeg[a]
		p.out[a], p.in[a], p.begin[a] = int(o), int(n), int(b)
		lo, hi := max(b, 0), min(o, n+b)
		if hi < lo {
			lo, hi = 0, 0
		}
		p.lo[a], p.hi[a] = int(lo), int(hi)
		if hi-lo < o && padSource(0, n, mode) == padSourceEmpty {
			return nil // a border with nothing to read
		}
	}
	return p
}

// padSourceEmpty is padSource's answer when there is nothing to read.
const padSourceEmpty = -2

// padSource maps an out-of-range input index i of an axis of length n
// back into range as mode does (-1: the constant fill; padSourceEmpty: n
// is 0 in a non-constant mode). mvPadMaps and planPadFast share it.
func padSource(i, n int64, mode int) int64 {
	switch {
	case mode == mvPadConstant:
		return -1
	case n == 0:
		return padSourceEmpty
	case mode == mvPadEdge:
		return min(max(i, 0), n-1)
	case mode == mvPadWrap:
		return ((i % n) + n) % n
	case n == 1:
		return 0
	}
	period := 2 * (n - 1) // reflect, repeatedly, as numpy does
	i = ((i % period) + period) % period
	if i >= n {
		i = period - i
	}
	return i
}

// padWords views the storage slices of a Pad step as words of the element
// byte width and runs the plan; ok is false for element types the fast
// path cannot move as raw words (strings).
func padWords(p *padFast, dst, src, fill any) bool {
	dp, n, w := padRaw(dst)
	sp, m, _ := padRaw(src)
	if w == 0 {
		return false
	}
	var fp unsafe.Pointer
	if fill != nil {
		var k int
		if fp, k, _ = padRaw(fill); k == 0 {
			fp = nil
		}
	}
	switch w {
	case 1:
		padRunWords[uint8](p, dp, n, sp, m, fp)
	case 2:
		padRunWords[uint16](p, dp, n, sp, m, fp)
	case 4:
		padRunWords[uint32](p, dp, n, sp, m, fp)
	case 8:
		padRunWords[uint64](p, dp, n, sp, m, fp)
	case 16:
		padRunWords[[2]uint64](p, dp, n, sp, m, fp)
	default:
		return false
	}
	return true
}

// padRunWords runs p on dst and src of n and m words of type W; fill
// points at the fill word (nil when no border is a fill).
func padRunWords[W any](p *padFast, dp unsafe.Pointer, n int, sp unsafe.Pointer, m int, fp unsafe.Pointer) {
	if n == 0 {
		return
	}
	dst := unsafe.Slice((*W)(dp), n)
	var src []W
	if m > 0 {
		src = unsafe.Slice((*W)(sp), m)
	}
	var fill W
	if fp != nil {
		fill = *(*W)(fp)
	}
	padRun(p, dst, src, fill)
}

// padRaw returns the data pointer, length and element byte width of a
// storage slice (width 0: not movable as raw words).
func padRaw(data any) (unsafe.Pointer, int, int) {
	switch s := data.(type) {
	case []float32:
		return unsafe.Pointer(unsafe.SliceData(s)), len(s), 4
	case []float64:
		return unsafe.Pointer(unsafe.SliceData(s)), len(s), 8
	case []ir.F16:
		return unsafe.Pointer(unsafe.SliceData(s)), len(s), 2
	case []ir.BF16:
		return unsafe.Pointer(unsafe.SliceData(s)), len(s), 2
	case []int8:
		return unsafe.Pointer(unsafe.SliceData(s)), len(s), 1
	case []int16:
		return unsafe.Pointer(unsafe.SliceData(s)), len(s), 2
	case []int32:
		return unsafe.Pointer(unsafe.SliceData(s)), len(s), 4
	case []int64:
		return unsafe.Pointer(unsafe.SliceData(s)), len(s), 8
	case []uint8:
		return unsafe.Pointer(unsafe.SliceData(s)), len(s), 1
	case []uint16:
		return unsafe.Pointer(unsafe.SliceData(s)), len(s), 2
	case []uint32:
		return unsafe.Pointer(unsafe.SliceData(s)), len(s), 4
	case []uint64:
		return unsafe.Pointer(unsafe.SliceData(s)), len(s), 8
	case []bool:
		return unsafe.Pointer(unsafe.SliceData(s)), len(s), 1
	case []complex64:
		return unsafe.Pointer(unsafe.SliceData(s)), len(s), 8
	case []complex128:
		return unsafe.Pointer(unsafe.SliceData(s)), len(s), 16
	}
	return nil, 0, 0
}

// padRun writes the padded dst (the plan's output, row-major) from src.
func padRun[T any](p *padFast, dst, src []T, fill T) {
	if len(p.out) == 0 {
		dst[0] = src[0]
		return
	}
	padAxis(p, 0, dst, src, 0, 0, fill)
}

// padAxis writes the output block of axis a at dst offset d, whose
// interior reads the input block at src offset s.
func padAxis[T any](p *padFast, a int, dst, src []T, d, s int, fill T) {
	lo, hi, b := p.lo[a], p.hi[a], p.begin[a]
	last := len(p.out) - 1
	if a == last {
		padRow(p, dst[d:d+p.out[a]], src[s:], fill)
		return
	}
	os, is := p.outSt[a], p.inSt[a]
	if a == last-1 { // rows of the last axis
		w := p.out[last]
		for o := lo; o < hi; o++ {
			padRow(p, dst[d+o*os:d+o*os+w], src[s+(o-b)*is:], fill)
		}
	} else {
		for o := lo; o < hi; o++ {
			padAxis(p, a+1, dst, src, d+o*os, s+(o-b)*is, fill)
		}
	}
	for _, rg := range p.borders(a) {
		for o := rg[0]; o < rg[1]; o++ {
			blk := dst[d+o*os : d+(o+1)*os]
			j := p.source(a, o)
			switch q := j + b; {
			case j < 0:
				padFillWords(blk, fill)
			case q >= lo && q < hi: // the interior block it repeats is written
				copy(blk, dst[d+q*os:d+(q+1)*os])
			default:
				padAxis(p, a+1, dst, src, d+o*os, s+j*is, fill)
			}
		}
	}
}

// padRow writes one output row of the last axis from its input row src
// (which may run on past the row).
func padRow[T any](p *padFast, row, src []T, fill T) {
	a := len(p.out) - 1
	lo, hi, b := p.lo[a], p.hi[a], p.begin[a]
	if hi > lo {
		copy(row[lo:hi], src[lo-b:hi-b])
	}
	for _, rg := range p.borders(a) {
		for o := rg[0]; o < rg[1]; o++ {
			if j := p.source(a, o); j >= 0 {
				row[o] = src[j]
			} else {
				row[o] = fill
			}
		}
	}
}

// padFillWords sets every element of dst to v, doubling the filled prefix.
func padFillWords[T any](dst []T, v T) {
	if len(dst) == 0 {
		return
	}
	dst[0] = v
	for i := 1; i < len(dst); i *= 2 {
		copy(dst[i:], dst[:i])
	}
}
