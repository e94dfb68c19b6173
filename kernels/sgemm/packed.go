package sgemm

import (
	"fmt"

	"github.com/nncc/nncc/kernels/isa"
)

// PackedB is a k×n right-hand operand packed once for the micro-kernel of
// one ISA level: strips of nr columns, each stored k×nr contiguously
// (data[s*k*nr + p*nr + j] = op(B)[p, s*nr+j], zero past column n). Any k
// block of a strip is then one contiguous micro-panel, so SgemmPacked
// streams it without copying. Immutable after PackB; safe to share.
type PackedB struct {
	kern *kernel
	k, n int
	data []float32
}

// K returns the inner dimension of the packed operand.
func (pb *PackedB) K() int { return pb.k }

// N returns the number of columns of the packed operand.
func (pb *PackedB) N() int { return pb.n }

// Level returns the ISA level whose kernel the layout is for.
func (pb *PackedB) Level() isa.Level { return pb.kern.level }

// Len returns the number of float32 values held (for memory accounting).
func (pb *PackedB) Len() int { return len(pb.data) }

// PackB packs op(B) (k×n; B stored n×k when transB, row stride ldb) for
// the currently selected ISA level. It is meant to run once at compile
// time on constant weights.
func PackB(transB bool, k, n int, b []float32, ldb int) *PackedB {
	return PackBLevel(isa.Current(), transB, k, n, b, ldb)
}

// PackBLevel is PackB for an explicit level (Generic when l has no kernel).
func PackBLevel(l isa.Level, transB bool, k, n int, b []float32, ldb int) *PackedB {
	if k < 0 || n < 0 {
		panic(fmt.Sprintf("sgemm: PackB negative size k=%d n=%d", k, n))
	}
	kern := kernelFor(l)
	if k == 0 || n == 0 {
		// Nothing to pack; n (or k) need not be bounded by b's data, so no
		// check buffer is sized by it.
		return &PackedB{kern: kern, k: k, n: n}
	}
	p := problem{transB: transB, m: 1, n: n, k: k, alpha: 1, b: b, ldb: ldb, c: make([]float32, n), ldc: n, a: make([]float32, k), lda: k}
	p.check()
	nr := kern.nr
	strips := (n + nr - 1) / nr
	pb := &PackedB{kern: kern, k: k, n: n, data: make([]float32, strips*k*nr)}
	for s := range strips {
		j := s * nr
		packBStrip(transB, b, ldb, 0, k, j, min(nr, n-j), nr, pb.data[s*k*nr:])
	}
	return pb
}

// SgemmPacked computes C = epilogue(alpha*op(A)*B + beta*C) with B
// prepacked by PackB: op(A) is m×pb.K() (stored k×m when transA), C is
// m×pb.N(). It uses the kernel the operand was packed for. ep and pool may
// be nil.
func SgemmPacked(transA bool, m int, alpha float32, a []float32, lda int, pb *PackedB, beta float32, c []float32, ldc int, ep *Epilogue, pool Pool) {
	p := problem{transA: transA, m: m, n: pb.n, k: pb.k, alpha: alpha, a: a, lda: lda,
		pb: pb, beta: beta, c: c, ldc: ldc, ep: ep}
	p.check()
	p.run(pb.kern, pool)
}

// Data returns the packed values, for storing in an artifact; the caller
// must not modify them. PackedBFromData restores the operand.
func (pb *PackedB) Data() []float32 { return pb.data }
