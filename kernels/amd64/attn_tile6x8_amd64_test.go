package amd64

import (
	"math/rand/v2"
	"testing"

	"golang.org/x/sys/cpu"
)

// TestTile6x8StrideAgainstTwin checks Tile6x8StrideAVX2 against its twin
// (and the twin against SgemmTileGo on a packed B) for k = 0..70 and 1000
// and several strides of B, with NaN guard regions around every operand
// and in the gaps between rows of B and C, through the strided tile
// test's harness (beta 0, no bias, no activation: the kernel's only form).
func TestTile6x8StrideAgainstTwin(t *testing.T) {
	if !(cpu.X86.HasAVX2 && cpu.X86.HasFMA) {
		t.Skip("no AVX2 and FMA on this CPU")
	}
	wrap := func(f func(k int, a, b []float32, ldb int, c []float32, ldc int, alpha float32)) strideKernel {
		return func(k int, a, b []float32, ldb int, c []float32, ldc int, alpha, beta float32, bias []float32, act int) {
			if beta != 0 || bias != nil || act != ActNone {
				t.Fatalf("BUG: the 6x8 tile has no beta, bias or activation")
			}
			f(k, a, b, ldb, c, ldc, alpha)
		}
	}
	r := rand.New(rand.NewPCG(7, 8))
	ks := make([]int, 0, 72)
	for k := 0; k <= 70; k++ {
		ks = append(ks, k)
	}
	ks = append(ks, 1000)
	for _, k := range ks {
		for _, ldb := range []int{8, 15, 60, 768} {
			for _, alpha := range []float32{1, -0.5, 0.17677669} {
				runStrideTile(t, r, 6, 8, wrap(Tile6x8StrideAVX2), wrap(Tile6x8StrideGo), k, ldb, alpha, 0, ActNone, false)
			}
		}
	}
}
