package kernels

import (
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/qgemm"
)

// MatMulInteger and QLinearMatMul with a constant 2-D B on the integer
// GEMM (kernels/qgemm), when the build's level has its assembly kernel
// and A's zero point is one value. qgemm's weights are the output rows,
// so the product is computed transposed, Yᵀ = (B − bz)ᵀ·(A − az)ᵀ: B's
// columns (with their zero points) are packed once as weight rows, A's
// rows are read as columns (int8 A with the top bit flipped and the zero
// point raised by 128), and Yᵀ, in scratch, is transposed into Y. The
// sums are exact, bit for bit those of the float path and the int32
// loops.

// matmulIntQWeights packs Bᵀ (B constant, k×n, 8-bit) for qgemm: nil when
// the level has no integer kernel or the operands do not fit.
func matmulIntQWeights(b *Build, bt, zp *ir.Tensor, k, n int) *qgemm.Weights {
	if !qgemmWanted(b) {
		return nil
	}
	bv, ok := qInt32s(bt)
	if !ok || len(bv) != k*n {
		return nil
	}
	z := []int32{0}
	if zp != nil {
		if zp.DType != bt.DType {
			return nil
		}
		if z, ok = qInt32s(zp); !ok || len(z) != 1 && len(z) != n {
			return nil
		}
	}
	t := make([]int32, len(bv))
	for p := range k {
		for j := range n {
			t[j*k+p] = bv[p*n+j]
		}
	}
	pw, err := qgemm.PackWeights(t, n, k, z, bt.DType == ir.Uint8)
	if err != nil {
		return nil
	}
	return pw
}

// runQ computes y (rows·N) = (A − az)·(B − bz) on the integer GEMM for a
// single A zero point az.
func (k *matmulIntAcc) runQ(c *Ctx, a *ir.Tensor, az int32, y []int32) (bool, error) {
	rows := int(a.Len()) / k.k
	src, _ := k.srcs.Get().(*matTransposed)
	if src == nil {
		src = new(matTransposed)
	}
	defer k.srcs.Put(src)
	defer src.release()
	*src = matTransposed{k: k.k}
	switch d := a.Data.(type) {
	case []uint8:
		if a.DType != ir.Uint8 {
			return true, c.Errorf("input A has dtype %v, expected int8 or uint8", a.DType)
		}
		src.a = d
	case []int8:
		src.a, src.flip, az = int8Bytes(d), 0x80, az+128
	default:
		return true, c.Errorf("input A has dtype %v, expected int8 or uint8", a.DType)
	}
	yt := qI32View(c.ScratchF32(k.n * rows))
	if err := qgemm.Compute(k.level, k.q, src, rows, az, yt, rows, c.Pool); err != nil {
		return true, c.Errorf("%v", err)
	}
	for r := range rows {
		out := y[r*k.n : (r+1)*k.n]
		for j := range out {
			out[j] = yt[j*rows+r]
		}
	}
	return true, nil
}

// matTransposed is the transpose of the row-major rows×k byte matrix a,
// each byte XORed with flip, as a qgemm.Source.
type matTransposed struct {
	a    []uint8
	k    int
	flip uint8
}

// release drops the reference to the input (the source is pooled).
func (s *matTransposed) release() { *s = matTransposed{} }

// Rows implements qgemm.Source: dst[p·ld + j] = a[(j0+j)·k + p] ^ flip.
func (s *matTransposed) Rows(dst []uint8, ld, j0, cols int) {
	for j := range cols {
		row := s.a[(j0+j)*s.k : (j0+j+1)*s.k]
		for p, v := range row {
			dst[p*ld+j] = v ^ s.flip
		}
	}
}
