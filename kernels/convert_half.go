package kernels

import (
	"unsafe"

	"github.com/nncc/nncc/internal/recycle"
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/amd64"
)

// halfConv converts between float16 and float32 with the kernels of one
// ISA level (halfConvFor): VCVTPH2PS/VCVTPS2PH on amd64 with AVX2 (F16C)
// or AVX-512, FCVTL/FCVTN on arm64 with NEON, the Go twins elsewhere. All
// round to nearest even and agree bit for bit with ir.F16.Float32 and
// ir.NewFloat16, NaNs included.
type halfConv struct {
	block int // the length multiple toF32 and toF16 need
	toF32 func(dst []float32, src []uint16)
	toF16 func(dst []uint16, src []float32)
}

// halfGo is the portable halfConv.
var halfGo = halfConv{block: 1, toF32: amd64.HalfToFloat32Go, toF16: amd64.Float32ToHalfGo}

// halfParallelMin is the element count from which a conversion is split
// over the pool: below it a hand-off costs more than the copy.
const halfParallelMin = 1 << 16

// widen sets dst[i] = float32(src[i]) for i < len(src), split over pool
// when large.
func (h *halfConv) widen(pool Pool, dst []float32, src []ir.F16) {
	s := unsafe.Slice((*uint16)(unsafe.SliceData(src)), len(src))
	h.run(pool, dst[:len(s)], s, true)
}

// narrow sets dst[i] = float16(src[i]) (nearest even) for i < len(src),
// split over pool when large.
func (h *halfConv) narrow(pool Pool, dst []ir.F16, src []float32) {
	d := unsafe.Slice((*uint16)(unsafe.SliceData(dst)), len(src))
	h.run(pool, src, d, false)
}

// run converts f16 into f32 (toF32) or f32 into f16, on the caller or,
// when large, over the pool in pieces whose starts are multiples of
// halfStep values (whole cache lines, so no two threads write one).
func (h *halfConv) run(pool Pool, f32 []float32, f16 []uint16, toF32 bool) {
	n := len(f32)
	if pool == nil || pool.Threads() < 2 || n < halfParallelMin {
		h.convert(f32, f16, toF32)
		return
	}
	j := halfJobs.Get().(*halfJob)
	j.h, j.f32, j.f16, j.toF32 = h, f32, f16, toF32
	pool.For((n+halfStep-1)/halfStep, halfParallelMin/halfStep, j.fn)
	j.h, j.f32, j.f16 = nil, nil, nil
	halfJobs.Put(j)
}

// convert runs the level's kernel on the whole blocks and the twin on
// the rest.
func (h *halfConv) convert(f32 []float32, f16 []uint16, toF32 bool) {
	n := len(f32) / h.block * h.block
	if toF32 {
		if n > 0 {
			h.toF32(f32[:n], f16[:n])
		}
		amd64.HalfToFloat32Go(f32[n:], f16[n:len(f32)])
		return
	}
	if n > 0 {
		h.toF16(f16[:n], f32[:n])
	}
	amd64.Float32ToHalfGo(f16[n:], f32[n:])
}

// halfStep is the granule of a split conversion, in values.
const halfStep = 64

// halfJob is one split conversion; fn is its run method bound once, so
// that handing it to the pool allocates nothing.
type halfJob struct {
	h     *halfConv
	f32   []float32
	f16   []uint16
	toF32 bool
	fn    func(lo, hi int)
}

var halfJobs = recycle.Pool{New: func() any {
	j := &halfJob{}
	j.fn = j.run
	return j
}}

func (j *halfJob) run(lo, hi int) {
	lo, hi = lo*halfStep, min(hi*halfStep, len(j.f32))
	j.h.convert(j.f32[lo:hi], j.f16[lo:hi], j.toF32)
}
