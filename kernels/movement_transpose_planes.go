package kernels

// Transposes between interleaved and planar channels: NHWC → NCHW with
// few channels is the first op of every image model tf2onnx exports
// (BlazeFace, MLSD: [1, H, W, 3 or 4] → [1, 3 or 4, H, W]) and NCHW →
// NHWC the last of its heads. As a strided copy each output row of the
// planar side is a gather with stride C, about 2 ns per element on the
// development machine (0.9 ms for MLSD's 320×320×4 input); here the
// interleaved side is walked once in order, C elements per pixel, and C
// planar rows are written side by side.

// planeMaxChannels is the most channels the plane swap handles; wider
// interleaved tensors have rows long enough for the strided copy.
const planeMaxChannels = 16

// planeTile is the pixels one pass over the planes covers in the generic
// (C > 4) loops, so the interleaved tile stays in L1 while the C planar
// rows are written.
const planeTile = 256

// planeSwap describes a transpose that, with unit axes dropped, is a run
// of outer axes (any strides) over blocks moving between [P, C]
// (interleaved) and [C, P] (planar) layouts, each block contiguous in the
// input and in the output.
type planeSwap struct {
	rank       int      // outer axes
	outer      [8]int64 // their sizes
	ost        [8]int   // their input strides
	p, nc      int      // pixels and channels of one block
	interleave bool     // planar input → interleaved output (NCHW → NHWC)
}

// findPlaneSwap recognises a plane swap in the output shape outShape and
// the input stride of each output axis st (transposeStrides' results).
func findPlaneSwap(outShape []int64, st []int) (planeSwap, bool) {
	var ps planeSwap
	var sh [8]int64
	var s [8]int
	r := 0
	for i, d := range outShape {
		if d != 1 {
			if r == len(sh) {
				return ps, false
			}
			sh[r], s[r] = d, st[i]
			r++
		}
	}
	if r < 2 {
		return ps, false
	}
	// mergeBack returns the first axis of the longest run ending at end
	// whose axes merge into one of stride s[end].
	mergeBack := func(end int) int {
		k := end
		for k > 0 && s[k-1] == s[k]*int(sh[k]) {
			k--
		}
		return k
	}
	if nc := sh[r-1]; nc >= 2 && nc <= planeMaxChannels && r >= 2 {
		// Interleaved output: the last axis is C, the pixel axes before it
		// merge into stride 1, and C's stride is the pixel count.
		if s[r-2] == 1 {
			k := mergeBack(r - 2)
			p := int64(1)
			for _, d := range sh[k : r-1] {
				p *= d
			}
			if int64(s[r-1]) == p {
				return ps.with(sh[:k], s[:k], int(p), int(nc), true), true
			}
		}
	}
	// Planar output: an axis of C with stride 1, then pixel axes that
	// merge into stride C.
	k := mergeBack(r - 1)
	if c := k - 1; c >= 0 && s[c] == 1 && s[r-1] == int(sh[c]) && sh[c] >= 2 && sh[c] <= planeMaxChannels {
		p := int64(1)
		for _, d := range sh[k:r] {
			p *= d
		}
		return ps.with(sh[:c], s[:c], int(p), int(sh[c]), false), true
	}
	return ps, false
}

// planeSwapOf is findPlaneSwap for a transpose of shape by perm (tmp as
// transposeF32's).
func planeSwapOf(shape []int64, perm []int, tmp []int64) (planeSwap, bool) {
	var strides [8]int
	outShape, st := transposeStrides(shape, perm, tmp, strides[:0])
	return findPlaneSwap(outShape, st)
}

// planeSwapJob is one plane swap split over the pool; planeSwapJobs
// recycles them, so a parallel Transpose allocates nothing.
type planeSwapJob struct {
	ps   planeSwap
	y, x []float32
}

var planeSwapJobs = newJobPool(func(j *planeSwapJob, lo, hi int) { j.ps.run(j.y, j.x, lo, hi) })

func (ps planeSwap) with(outer []int64, ost []int, p, nc int, interleave bool) planeSwap {
	ps.rank = len(outer)
	copy(ps.outer[:], outer)
	copy(ps.ost[:], ost)
	ps.p, ps.nc, ps.interleave = p, nc, interleave
	return ps
}

// blocks is the number of [P, C] blocks.
func (ps *planeSwap) blocks() int {
	n := 1
	for _, d := range ps.outer[:ps.rank] {
		n *= int(d)
	}
	return n
}

// base returns the input offset of block b.
func (ps *planeSwap) base(b int) int {
	off := 0
	for a := ps.rank - 1; a >= 0; a-- {
		d := int(ps.outer[a])
		off += (b % d) * ps.ost[a]
		b /= d
	}
	return off
}

// run moves pixels [lo, hi) of the blocks' pixel range (block b's pixels
// are units [b·P, (b+1)·P)) from x into y.
func (ps *planeSwap) run(y, x []float32, lo, hi int) {
	p, nc := ps.p, ps.nc
	for u := lo; u < hi; {
		b, j := u/p, u%p
		n := min(hi-u, p-j)
		in, out := ps.base(b), b*p*nc
		if ps.interleave {
			interleaveF32(y[out+j*nc:], x[in+j:], p, n, nc)
		} else {
			deinterleaveF32(y[out+j:], p, x[in+j*nc:], n, nc)
		}
		u += n
	}
}

// deinterleaveF32 writes y[c·ys + j] = x[j·nc + c] for c < nc, j < n:
// n pixels of nc interleaved channels into nc planar rows ys apart.
func deinterleaveF32(y []float32, ys int, x []float32, n, nc int) {
	if n <= 0 {
		return
	}
	x = x[:n*nc]
	switch nc {
	case 2:
		y0, y1 := y[:n], y[ys:ys+n]
		for j := range y0 {
			v := x[2*j : 2*j+2 : 2*j+2]
			y0[j], y1[j] = v[0], v[1]
		}
	case 3:
		y0, y1, y2 := y[:n], y[ys:ys+n], y[2*ys:2*ys+n]
		for j := range y0 {
			v := x[3*j : 3*j+3 : 3*j+3]
			y0[j], y1[j], y2[j] = v[0], v[1], v[2]
		}
	case 4:
		y0, y1, y2, y3 := y[:n], y[ys:ys+n], y[2*ys:2*ys+n], y[3*ys:3*ys+n]
		for j := range y0 {
			v := x[4*j : 4*j+4 : 4*j+4]
			y0[j], y1[j], y2[j], y3[j] = v[0], v[1], v[2], v[3]
		}
	default:
		for t := 0; t < n; t += planeTile {
			m := min(planeTile, n-t)
			for c := range nc {
				row := y[c*ys+t:][:m]
				for j := range row {
					row[j] = x[(t+j)*nc+c]
				}
			}
		}
	}
}

// interleaveF32 writes y[j·nc + c] = x[c·xs + j] for c < nc, j < n: nc
// planar rows xs apart into n pixels of interleaved channels.
func interleaveF32(y, x []float32, xs, n, nc int) {
	if n <= 0 {
		return
	}
	y = y[:n*nc]
	switch nc {
	case 2:
		x0, x1 := x[:n], x[xs:xs+n]
		for j := range x0 {
			v := y[2*j : 2*j+2 : 2*j+2]
			v[0], v[1] = x0[j], x1[j]
		}
	case 3:
		x0, x1, x2 := x[:n], x[xs:xs+n], x[2*xs:2*xs+n]
		for j := range x0 {
			v := y[3*j : 3*j+3 : 3*j+3]
			v[0], v[1], v[2] = x0[j], x1[j], x2[j]
		}
	case 4:
		x0, x1, x2, x3 := x[:n], x[xs:xs+n], x[2*xs:2*xs+n], x[3*xs:3*xs+n]
		for j := range x0 {
			v := y[4*j : 4*j+4 : 4*j+4]
			v[0], v[1], v[2], v[3] = x0[j], x1[j], x2[j], x3[j]
		}
	default:
		for t := 0; t < n; t += planeTile {
			m := min(planeTile, n-t)
			for c := range nc {
				row := x[c*xs+t:][:m]
				for j, v := range row {
					y[(t+j)*nc+c] = v
				}
			}
		}
	}
}
