package gemv

import (
	"fmt"
	"unsafe"

	"github.com/nncc/nncc/kernels/isa"
)

// Packed is an n×k matrix A packed in panels of width rows for the kernel
// of one ISA level: data[p*width*k + q*width + j] = A[p*width+j, q], zero
// for rows ≥ n. Immutable after Pack; safe to share between goroutines.
type Packed struct {
	kern  *kernel
	n, k  int
	data  []float32
	ready bool // kern's assembly runs on this CPU
}

// N returns the number of rows of A (outputs of the product).
func (p *Packed) N() int { return p.n }

// K returns the number of columns of A (the length of each x row).
func (p *Packed) K() int { return p.k }

// Level returns the ISA level the layout is for.
func (p *Packed) Level() isa.Level { return p.kern.level }

// Len returns the number of float32 values held (for memory accounting).
func (p *Packed) Len() int { return len(p.data) }

// Pack packs the n×k row-major matrix A (row stride lda ≥ k) for level l
// (the portable layout when l has no kernel here). It is meant to run once
// at compile time on constant weights; it panics on sizes that do not fit
// a, which is a caller's bug.
func Pack(l isa.Level, n, k int, a []float32, lda int) *Packed {
	if n < 0 || k < 0 || lda < k || (n > 0 && k > 0 && len(a) < (n-1)*lda+k) {
		panic(fmt.Sprintf("gemv: Pack n=%d k=%d lda=%d with len(a)=%d", n, k, lda, len(a)))
	}
	kern := kernelFor(l)
	w := kern.width
	panels := (n + w - 1) / w
	p := &Packed{kern: kern, n: n, k: k, data: alignedFloats(panels * w * k), ready: isa.Has(kern.level)}
	for pi := range panels {
		dst := p.data[pi*w*k : (pi+1)*w*k]
		for j := range min(w, n-pi*w) {
			row := a[(pi*w+j)*lda : (pi*w+j)*lda+k]
			for q, v := range row {
				dst[q*w+j] = v
			}
		}
	}
	return p
}

// alignedFloats returns n zeroed floats starting on a 64-byte boundary, so
// that the kernels' full-width loads never straddle two cache lines.
func alignedFloats(n int) []float32 {
	if n == 0 {
		return nil
	}
	buf := make([]float32, n+15)
	off := int(uintptr(unsafe.Pointer(&buf[0]))%64) / 4
	if off != 0 {
		off = 16 - off
	}
	return buf[off : off+n : off+n]
}
