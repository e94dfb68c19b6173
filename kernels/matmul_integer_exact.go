package kernels

import (
	"sync"

	"github.com/nncc/nncc/internal/recycle"
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/isa"
	"github.com/nncc/nncc/kernels/qgemm"
	"github.com/nncc/nncc/kernels/sgemm"
)

// The int32 accumulator of MatMulInteger and QLinearMatMul whose B is a
// constant matrix, exactly, on the float32 SGEMM (qgemm_exact.go): A's
// rows (every batch entry folded into M) minus their zero point are
// widened to float32 in scratch and each chunk of K is one
// sgemm.SgemmPacked product with B − zero point packed once at build.

// matmulIntAcc is the exact-accumulator plan of one integer MatMul node
// with a constant 2-D B.
type matmulIntAcc struct {
	k, n   int
	chunks []int
	pb     []*sgemm.PackedB
	q      *qgemm.Weights // Bᵀ, when the level has the integer GEMM
	srcs   recycle.Pool   // *matTransposed: the qgemm path's pooled sources
	level  isa.Level

	mu     sync.Mutex
	as     []int64 // the last A shape seen and its output shape
	oshape []int64
}

// newMatMulIntAcc prepares the exact path for a node whose B (input bi)
// and B zero point (input zi) are constants and B has rank 2; nil
// otherwise.
func newMatMulIntAcc(b *Build, bi, zi int) *matmulIntAcc {
	bv := b.Node.In(bi)
	if bv == nil || bv.Const == nil || bv.Const.Kind != ir.KindTensor || len(bv.Const.Shape) != 2 {
		return nil
	}
	var zp *ir.Tensor
	if z := b.Node.In(zi); z != nil {
		if z.Const == nil || z.Const.Kind != ir.KindTensor {
			return nil
		}
		zp = z.Const
	}
	k, n := int(bv.Const.Shape[0]), int(bv.Const.Shape[1])
	if k == 0 || n == 0 {
		return nil
	}
	bf, ok := qShiftedWeights(bv.Const, zp, 0, n)
	if !ok {
		return nil
	}
	acc := &matmulIntAcc{k: k, n: n, chunks: qExactChunks(bf, n, k, 1, n), level: b.Level}
	acc.q = matmulIntQWeights(b, bv.Const, zp, k, n)
	for ci := 0; ci+1 < len(acc.chunks); ci++ {
		k0, k1 := acc.chunks[ci], acc.chunks[ci+1]
		acc.pb = append(acc.pb, b.PackB(false, k1-k0, n, bf[k0*n:], n))
	}
	return acc
}

// outShape returns the output shape for A's shape (cached for the last
// one; shared, never modified), or nil when A does not fit B.
func (k *matmulIntAcc) outShape(as []int64) []int64 {
	if len(as) == 0 || int(as[len(as)-1]) != k.k {
		return nil
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.oshape == nil || !sameShape(k.as, as) {
		k.as = append(k.as[:0:0], as...)
		k.oshape = append(append([]int64{}, as[:len(as)-1]...), int64(k.n))
	}
	return k.oshape
}

// run computes the int32 product y (rows·N) of the 8-bit A (rows·K)
// minus its zero point az (nil, one value, one per row of each matrix, or
// one per row of all of them); ok is false for another zero point form.
func (k *matmulIntAcc) run(c *Ctx, a, az *ir.Tensor, y []int32) (bool, error) {
	rows := int(a.Len()) / k.k
	m := rows
	if len(a.Shape) >= 2 {
		m = int(a.Shape[len(a.Shape)-2])
	}
	var zs []int32
	var z0 int32
	switch {
	case az == nil:
	case az.Len() == 1:
		var ok bool
		if z0, ok = qScalarZP(az); !ok {
			return false, nil
		}
	case (int(az.Len()) == m || int(az.Len()) == rows) && m > 0:
		if az.DType != a.DType {
			return false, nil
		}
		zs = qZeroPoints(c, az)
		if zs == nil {
			return false, nil
		}
	default:
		return false, nil
	}
	if k.q != nil && zs == nil {
		return k.runQ(c, a, z0, y)
	}
	nChunks := len(k.chunks) - 1
	accLen := 0
	if nChunks > 1 {
		accLen = rows * k.n
	}
	buf := c.ScratchF32(rows*k.k + accLen)
	af, acc := buf[:rows*k.k], buf[rows*k.k:]
	for r := range rows {
		z := z0
		if zs != nil {
			z = zs[r%len(zs)]
		}
		if !qShiftToF32(af[r*k.k:(r+1)*k.k], a.Data, r*k.k, z) {
			return true, c.Errorf("input A has dtype %v, expected int8 or uint8", a.DType)
		}
	}
	for ci := range nChunks {
		k0 := k.chunks[ci]
		if ci == 0 {
			sgemm.SgemmPacked(false, rows, 1, af[k0:], k.k, k.pb[0], 0, qF32View(y), k.n, nil, c.Pool)
			qToInt32(y)
			continue
		}
		sgemm.SgemmPacked(false, rows, 1, af[k0:], k.k, k.pb[ci], 0, acc, k.n, nil, c.Pool)
		qAddInt32(y, acc)
	}
	return true, nil
}

// qZeroPoints widens an 8-bit zero point tensor into the step's int64
// scratch viewed as int32 (nil for other dtypes).
func qZeroPoints(c *Ctx, z *ir.Tensor) []int32 {
	n := int(z.Len())
	s := c.ScratchI64((n + 1) / 2)
	out := qI32View64(s)[:n]
	switch d := z.Data.(type) {
	case []uint8:
		for i, v := range d {
			out[i] = int32(v)
		}
	case []int8:
		for i, v := range d {
			out[i] = int32(v)
		}
	default:
		return nil
	}
	return out
}
