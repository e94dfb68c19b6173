package amd64

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"golang.org/x/sys/cpu"
)

type genCopyKernel func(k int, a []float32, rsa, csa int, b []float32, ldb, bnext int, c []float32, ldc int, alpha, beta float32, bias []float32, act, tiles int, src []float32, lds int, dst []float32, rows int)

// TestSgemmTileGenCopyAgainstTwin checks the micro-kernels that copy rows
// beside their product against their twins: the product as in
// TestSgemmTileGenAgainstTwin (k = 0..70 and 1000, A packed, in place and
// transposed, B packed and in place, one to three tiles, NaN guards), and
// the copy of 0 to more rows than the k loop has steps for, with NaN
// guards around dst and src left unmodified.
func TestSgemmTileGenCopyAgainstTwin(t *testing.T) {
	avx2 := cpu.X86.HasAVX2 && cpu.X86.HasFMA
	avx512 := avx2 && cpu.X86.HasAVX512F && cpu.X86.HasAVX512BW && cpu.X86.HasAVX512VL
	variants := []struct {
		name   string
		mr, nr int
		fn     genCopyKernel
		twin   genCopyKernel
		ok     bool
	}{
		{"avx512/6x64", 6, 64, Sgemm6x64GenCopyAVX512, Sgemm6x64GenCopyGo, avx512},
	}
	r := rand.New(rand.NewPCG(7, 8))
	for _, v := range variants {
		if !v.ok {
			t.Logf("%s: not supported on this CPU, skipped", v.name)
			continue
		}
		t.Run(v.name, func(t *testing.T) {
			ks := make([]int, 0, 72)
			for k := 0; k <= 70; k++ {
				ks = append(ks, k)
			}
			ks = append(ks, 1000)
			for _, k := range ks {
				for ri, rows := range []int{0, 1, 2, k/4 + 3} {
					lds := v.nr + 5*(ri%2)
					ns := 0
					if rows > 0 {
						ns = (rows-1)*lds + v.nr
					}
					srcFull, src := guarded(ns)
					smallInts(r, src)
					srcCopy := append([]float32(nil), src...)
					dstFull, dst := guarded(rows * v.nr)
					want := make([]float32, rows*v.nr)
					CopyRowsGo(v.nr, src, lds, want, rows)
					fn := func(k int, a []float32, rsa, csa int, b []float32, ldb, bnext int, c []float32, ldc int, alpha, beta float32, bias []float32, act, tiles int) {
						clear(dst)
						v.fn(k, a, rsa, csa, b, ldb, bnext, c, ldc, alpha, beta, bias, act, tiles, src, lds, dst, rows)
					}
					twin := func(k int, a []float32, rsa, csa int, b []float32, ldb, bnext int, c []float32, ldc int, alpha, beta float32, bias []float32, act, tiles int) {
						got := make([]float32, rows*v.nr)
						v.twin(k, a, rsa, csa, b, ldb, bnext, c, ldc, alpha, beta, bias, act, tiles, src, lds, got, rows)
						for i := range got {
							if got[i] != want[i] {
								t.Fatalf("twin copy differs from CopyRowsGo at %d", i)
							}
						}
					}
					for li, lay := range [][2]int{{1, v.mr}, {k + 3, 1}, {1, v.mr + 5}} {
						for bi, bl := range [][3]int{{v.nr, k*v.nr + 7, 2}, {3*v.nr + 5, v.nr, 3}, {v.nr + 5, 0, 1}} {
							ab := [][2]float32{{1, 0}, {-1, 2}, {0.5, -0.5}}[(k+li+bi)%3]
							act := ActNone
							if (k+bi)%2 == 1 {
								act = ActReLU
							}
							runGenTile(t, r, v.mr, v.nr, fn, twin, k, lay[0], lay[1], bl[0], bl[1], bl[2], ab[0], ab[1], act, (k+bl[0])%3 == 0)
							what := fmt.Sprintf("k=%d rows=%d lds=%d layout %d/%d", k, rows, lds, li, bi)
							checkGuards(t, what+" dst", dstFull, len(dst))
							checkGuards(t, what+" src", srcFull, len(src))
							for i := range dst {
								if math.Float32bits(dst[i]) != math.Float32bits(want[i]) {
									t.Fatalf("%s: dst[%d] = %v, want %v", what, i, dst[i], want[i])
								}
							}
							for i := range src {
								if math.Float32bits(src[i]) != math.Float32bits(srcCopy[i]) {
									t.Fatalf("%s: src modified", what)
								}
							}
						}
					}
				}
			}
		})
	}
}
