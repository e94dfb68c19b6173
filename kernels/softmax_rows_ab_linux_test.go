package kernels

import (
	"math/rand/v2"
	"os"
	"sort"
	"testing"

	"github.com/nncc/nncc/kernels/isa"
	"github.com/nncc/nncc/kernels/vecmath"
)

// TestSoftmaxRowsAB (NNCC_SMAB=1) times the Softmax op's float32 rows of
// 256, 1000 and 4096 elements with the level's three-pass vecmath softmax
// (A) and the row softmax the op takes (B, softmaxRowFor), interleaved,
// thread CPU time, medians; rows are N(0, 3) scores, and the same with a
// quarter of each row masked at -1e4.
func TestSoftmaxRowsAB(t *testing.T) {
	if os.Getenv("NNCC_SMAB") == "" {
		t.Skip("set NNCC_SMAB=1")
	}
	l := isa.Best()
	vec := vecmath.For(l)
	a, b := vec.Softmax, softmaxRowFor(l, vec)
	r := rand.New(rand.NewPCG(7, 8))
	for _, masked := range []bool{false, true} {
		for _, n := range []int{256, 1000, 4096} {
			rows := max(1, 64*1024/n)
			x := make([]float32, rows*n)
			for i := range x {
				x[i] = float32(r.NormFloat64() * 3)
				if masked && i%n >= n*3/4 {
					x[i] = -1e4
				}
			}
			y := make([]float32, len(x))
			var ta, tb []float64
			for range 30 {
				for k, f := range []func(dst, x []float32){a, b} {
					const inner = 20
					c0 := nchwcThreadCPU()
					for range inner {
						smRowsF32(vec, f, smSoftmax, x, y, n, 0, rows)
					}
					ns := float64(nchwcThreadCPU()-c0) / inner / float64(rows*n)
					if k == 0 {
						ta = append(ta, ns)
					} else {
						tb = append(tb, ns)
					}
				}
			}
			sort.Float64s(ta)
			sort.Float64s(tb)
			t.Logf("%v n=%4d masked=%v: three-pass %.3f ns/elem, row kernel %.3f ns/elem, ratio %.2f",
				l, n, masked, ta[len(ta)/2], tb[len(tb)/2], tb[len(tb)/2]/ta[len(ta)/2])
		}
	}
}
