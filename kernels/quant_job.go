package kernels

import (
	"github.com/nncc/nncc/internal/recycle"
	"unsafe"
)

// quantJob is one 8-bit quantization or dequantization over chunks of a
// tensor that the pool may run in parallel (DynamicQuantizeLinear's range
// and quantization, and the per-tensor fast paths of QuantizeLinear and
// DequantizeLinear). Its fn fields are its methods bound once, so that
// handing them to the pool allocates nothing; no result depends on the
// split.
type quantJob struct {
	vec    *quantVec
	xs     []float32 // the float side: the input to quantize or the dequantized output
	ys     []float32 // fake quantization: the output
	qs     []uint8   // the byte side (int8 read as its bytes when signed)
	signed bool      // dequantize: qs holds int8
	scale  float32
	lo, hi float32 // quantize: the clamp bounds qmin-zp and qmax-zp
	zp     int32   // quantize: the zero point
	zpf    float32 // dequantize: the zero point
	chunk  int     // values per chunk, a multiple of quantChunkAlign

	rlo, rhi                          [quantMaxChunks]float32 // each chunk's range
	fnRange, fnQuant, fnDeque, fnFake func(lo, hi int)
}

// quantMaxChunks bounds the split; quantParallelMin is the element count
// from which it pays; chunks start at multiples of quantChunkAlign values
// so that no two threads write one cache line of the byte side.
const (
	quantMaxChunks   = 64
	quantParallelMin = 1 << 15
	quantChunkAlign  = 64
)

var quantJobs = recycle.Pool{New: func() any {
	j := &quantJob{}
	j.fnRange, j.fnQuant, j.fnDeque, j.fnFake = j.rangeChunks, j.quantChunks, j.dequantChunks, j.fakeChunks
	return j
}}

// newQuantJob returns a pooled job for n values with the routines of
// vec, split for pool; the caller sets its operands and releases it.
func newQuantJob(vec *quantVec, pool Pool, n int) (*quantJob, int) {
	j := quantJobs.Get().(*quantJob)
	j.vec = vec
	return j, j.split(pool, n)
}

// release drops the job's references to the Run's tensors and returns it
// to quantJobs.
func (j *quantJob) release() {
	j.xs, j.ys, j.qs, j.vec = nil, nil, nil, nil
	quantJobs.Put(j)
}

// split sets the chunk size for n values and returns the chunk count.
func (j *quantJob) split(pool Pool, n int) int {
	chunks := 1
	if pool != nil && pool.Threads() > 1 && n >= quantParallelMin {
		chunks = min(quantMaxChunks, 4*pool.Threads())
	}
	j.chunk = (n + chunks - 1) / chunks
	j.chunk = (j.chunk + quantChunkAlign - 1) / quantChunkAlign * quantChunkAlign
	if n == 0 {
		return 1
	}
	return (n + j.chunk - 1) / j.chunk
}

// run calls fn over [0, chunks), on the pool when there is more than one.
func (j *quantJob) run(pool Pool, chunks int, fn func(lo, hi int)) {
	if chunks <= 1 || pool == nil {
		fn(0, chunks)
		return
	}
	pool.For(chunks, 1, fn)
}

// bounds returns the value range of chunk i.
func (j *quantJob) bounds(i, n int) (int, int) {
	return min(i*j.chunk, n), min((i+1)*j.chunk, n)
}

// rangeChunks records each chunk's min(0, x...) and max(0, x...).
func (j *quantJob) rangeChunks(c0, c1 int) {
	for i := c0; i < c1; i++ {
		a, b := j.bounds(i, len(j.xs))
		j.rlo[i], j.rhi[i] = j.vec.rangeOf(j.xs[a:b])
	}
}

// rangeAll combines the chunks' ranges.
func (j *quantJob) rangeAll(chunks int) (lo, hi float32) {
	for i := range chunks {
		lo, hi = min(lo, j.rlo[i]), max(hi, j.rhi[i])
	}
	return lo, hi
}

// quantChunks quantizes xs into qs.
func (j *quantJob) quantChunks(c0, c1 int) {
	for i := c0; i < c1; i++ {
		a, b := j.bounds(i, len(j.xs))
		j.vec.quantize(j.qs[a:b], j.xs[a:b], j.scale, j.lo, j.hi, j.zp)
	}
}

// dequantChunks dequantizes qs into xs.
func (j *quantJob) dequantChunks(c0, c1 int) {
	for i := c0; i < c1; i++ {
		a, b := j.bounds(i, len(j.qs))
		j.vec.dequantize(j.xs[a:b], j.qs[a:b], j.signed, j.scale, j.zpf)
	}
}

// fakeChunks fake-quantizes xs into ys.
func (j *quantJob) fakeChunks(c0, c1 int) {
	for i := c0; i < c1; i++ {
		a, b := j.bounds(i, len(j.xs))
		j.vec.fakeQuant(j.ys[a:b], j.xs[a:b], j.scale, j.lo, j.hi)
	}
}

// int8Bytes views an int8 slice as its bytes.
func int8Bytes(s []int8) []uint8 {
	return unsafe.Slice((*uint8)(unsafe.Pointer(unsafe.SliceData(s))), len(s))
}
