package amd64

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"golang.org/x/sys/cpu"
)

type strideKernel func(k int, a, b []float32, ldb int, c []float32, ldc int, alpha, beta float32, bias []float32, act int)

// TestSgemmTileStrideAgainstTwin checks the strided micro-kernels against
// their twins for k = 0..70 and 1000 and several strides, with NaN in the
// guard regions and in the gaps between the rows of B (which must not be
// read), and the twin against SgemmTileGo on a packed copy of B.
func TestSgemmTileStrideAgainstTwin(t *testing.T) {
	avx2 := cpu.X86.HasAVX2 && cpu.X86.HasFMA
	avx512 := avx2 && cpu.X86.HasAVX512F && cpu.X86.HasAVX512BW && cpu.X86.HasAVX512VL
	r := rand.New(rand.NewPCG(3, 4))
	for _, v := range []struct {
		name   string
		mr, nr int
		fn     strideKernel
		twin   strideKernel
		ok     bool
	}{
		{"avx512/6x64", 6, 64, Sgemm6x64StrideAVX512, Sgemm6x64StrideGo, avx512},
		{"avx2/6x16", 6, 16, Sgemm6x16StrideAVX2, Sgemm6x16StrideGo, avx2},
	} {
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
				for _, ldb := range []int{v.nr, v.nr + 5, 3*v.nr + 1} {
					for _, ab := range [][2]float32{{1, 0}, {-1, 2}, {0.5, -0.5}} {
						act := ActNone
						if k%2 == 1 {
							act = ActReLU
						}
						runStrideTile(t, r, v.mr, v.nr, v.fn, v.twin, k, ldb, ab[0], ab[1], act, k%3 == 0)
					}
				}
			}
		})
	}
}

func runStrideTile(t *testing.T, r *rand.Rand, mr, nr int, fn, twin strideKernel, k, ldb int, alpha, beta float32, act int, withBias bool) {
	t.Helper()
	ldc := nr + 3
	nc := (mr-1)*ldc + nr
	nb := 0
	if k > 0 {
		nb = (k-1)*ldb + nr
	}
	aFull, a := guarded(mr * k)
	bFull, b := guarded(nb)
	smallInts(r, a)
	packed := make([]float32, k*nr)
	for p := range k {
		for j := range nr {
			v := float32(r.IntN(9) - 4)
			b[p*ldb+j] = v
			packed[p*nr+j] = v
		}
	}
	var bias []float32
	biasFull, biasIn := guarded(nr)
	if withBias {
		smallInts(r, biasIn)
		bias = biasIn
	}
	cFull, c := guarded(nc)
	_, want := guarded(nc)
	_, ref := guarded(nc)
	for i := range c {
		if beta == 0 {
			c[i] = float32(math.NaN())
		} else {
			c[i] = float32(r.IntN(9) - 4)
		}
		want[i], ref[i] = c[i], c[i]
	}
	aCopy := append([]float32(nil), a...)
	bCopy := append([]float32(nil), b...)
	twin(k, a, b, ldb, want, ldc, alpha, beta, bias, act)
	SgemmTileGo(mr, nr, k, a, packed, ref, ldc, alpha, beta, bias, act)
	fn(k, a, b, ldb, c, ldc, alpha, beta, bias, act)
	what := fmt.Sprintf("k=%d ldb=%d alpha=%v beta=%v act=%d bias=%v", k, ldb, alpha, beta, act, withBias)
	checkGuards(t, what+" a", aFull, len(a))
	checkGuards(t, what+" b", bFull, len(b))
	checkGuards(t, what+" bias", biasFull, nr)
	checkGuards(t, what+" c", cFull, nc)
	for i := range a {
		if a[i] != aCopy[i] {
			t.Fatalf("%s: A modified", what)
		}
	}
	for i := range b {
		if math.Float32bits(b[i]) != math.Float32bits(bCopy[i]) {
			t.Fatalf("%s: B modified", what)
		}
	}
	same := func(x, y float32) bool { return x == y || (x != x && y != y) }
	for i := range c {
		if !same(want[i], ref[i]) {
			t.Fatalf("%s: twin c[%d,%d] = %v, packed reference %v", what, i/ldc, i%ldc, want[i], ref[i])
		}
		if !same(c[i], want[i]) {
			t.Fatalf("%s: c[%d,%d] = %v, want %v", what, i/ldc, i%ldc, c[i], want[i])
		}
	}
}
