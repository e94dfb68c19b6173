package kernels

// Float32 Transpose split over the pool's threads: large transposes (the
// head split and merge of attention, NHWC↔NCHW of images) are divided
// along the outermost output axis longer than 1; each part is the same
// strided copy transposeF32 does, on its own slice of the output.

// transposeParMin is the smallest transpose (elements) worth splitting;
// transposeParGrain the elements per part at least.
const (
	transposeParMin   = 1 << 15
	transposeParGrain = 1 << 13
)

// transposeF32Pool is transposeF32 (same arguments) run over c's pool
// when x is large; small inputs and serial pools take transposeF32.
func transposeF32Pool(c *Ctx, y, x []float32, shape []int64, perm []int, tmp []int64) {
	r := len(shape)
	if c.Pool == nil || c.Pool.Threads() < 2 || len(x) < transposeParMin || r < 2 {
		transposeF32(y, x, shape, perm, tmp)
		return
	}
	if ps, ok := planeSwapOf(shape, perm, tmp); ok { // movement_transpose_planes.go
		planeSwapJobs.For(c.Pool, ps.blocks()*ps.p, max(1, transposeParGrain/ps.nc), planeSwapJob{ps: ps, y: y, x: x})
		return
	}
	var strides [8]int
	outShape, st := transposeStrides(shape, perm, tmp, strides[:0])
	k := 0
	for k < r-1 && outShape[k] == 1 {
		k++
	}
	d := int(outShape[k])
	if k == r-1 || d < 2 {
		transposeF32(y, x, shape, perm, tmp)
		return
	}
	inner := len(y) / d
	j := transposePartJob{y: y, x: x, inner: inner, rank: r - k}
	copy(j.shape[:], outShape[k:])
	copy(j.st[:], st[k:])
	transposePartJobs.For(c.Pool, d, max(1, transposeParGrain/inner), j)
}

// transposePartJob is a strided transpose split along its first output
// axis (shape and st hold the output axes from there on and their input
// strides); transposePartJobs recycles them, so the split allocates
// nothing.
type transposePartJob struct {
	y, x        []float32
	inner, rank int
	shape       [8]int64
	st          [8]int
}

var transposePartJobs = newJobPool(func(j *transposePartJob, lo, hi int) {
	var shb, idxb [8]int64
	sh := append(append(shb[:0], int64(hi-lo)), j.shape[1:j.rank]...)
	idx := append(idxb[:0], sh...)
	stridedF32(j.y[lo*j.inner:hi*j.inner], j.x, sh, j.st[:j.rank], lo*j.st[0], idx)
})
