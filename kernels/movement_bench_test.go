package kernels

import (
	"testing"

	"github.com/nncc/nncc/ir"
)

// BenchmarkMovementTranspose moves an NCHW activation to NHWC.
func BenchmarkMovementTranspose(b *testing.B) {
	x := ir.NewTensor(ir.Float32, []int64{1, 64, 56, 56})
	y := ir.NewTensor(ir.Float32, []int64{1, 56, 56, 64})
	b.SetBytes(int64(x.Len() * 4))
	for i := 0; i < b.N; i++ {
		mvPermute(mvOf(y.Data), mvOf(x.Data), x.Shape, []int{0, 2, 3, 1})
	}
}
