package amd64

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"golang.org/x/sys/cpu"
)

// TestSgemmTileDownAgainstTwin checks the column-running micro-kernel
// against its twin for k = 0..70 and 1000, with A panels packed one after
// another, read in place and transposed, B packed and in place, one to
// three tiles per call, NaN in the guard regions and in every element of
// A and B the kernel must not read; and the twin against SgemmTileGo on
// packed copies of each tile.
func TestSgemmTileDownAgainstTwin(t *testing.T) {
	if !cpu.X86.HasAVX2 || !cpu.X86.HasFMA {
		t.Skip("no AVX2+FMA")
	}
	r := rand.New(rand.NewPCG(9, 10))
	const mr, nr = 6, 16
	ks := make([]int, 0, 72)
	for k := 0; k <= 70; k++ {
		ks = append(ks, k)
	}
	ks = append(ks, 1000)
	for _, k := range ks {
		for tiles := 1; tiles <= 3; tiles++ {
			// A: packed panels (rsa 1, csa mr, a gap between panels),
			// a row-major matrix in place, its transpose in place.
			lays := [][3]int{{1, mr, k*mr + 5}, {k + 3, 1, mr * (k + 3)}, {1, tiles*mr + 5, mr}}
			for li, lay := range lays {
				for bi, ldb := range []int{nr, nr + 7} {
					ab := [][2]float32{{1, 0}, {-1, 2}, {0.5, -0.5}}[(k+li+bi)%3]
					act := ActNone
					if (k+bi+tiles)%2 == 1 {
						act = ActReLU
					}
					runDownTile(t, r, mr, nr, Sgemm6x16DownGenAVX2, Sgemm6x16DownGenGo, k, lay[0], lay[1], lay[2], ldb, tiles, ab[0], ab[1], act, (k+ldb+tiles)%3 == 0)
				}
			}
		}
	}
}

func runDownTile(t *testing.T, r *rand.Rand, mr, nr int, fn, twin genKernel, k, rsa, csa, anext, ldb, tiles int, alpha, beta float32, act int, withBias bool) {
	t.Helper()
	ldc := nr + 3
	nc := (tiles*mr-1)*ldc + nr
	na, nb := 0, 0
	if k > 0 {
		na = (tiles-1)*anext + (mr-1)*rsa + (k-1)*csa + 1
		nb = (k-1)*ldb + nr
	}
	aFull, a := guarded(na)
	bFull, b := guarded(nb)
	for i := range a {
		a[i] = float32(math.NaN())
	}
	for i := range b {
		b[i] = float32(math.NaN())
	}
	pa := make([][]float32, tiles) // each tile's A panel, packed
	pb := make([]float32, k*nr)
	for tt := range tiles {
		pa[tt] = make([]float32, k*mr)
		for p := range k {
			for i := range mr {
				v := float32(r.IntN(9) - 4)
				a[tt*anext+i*rsa+p*csa] = v
				pa[tt][p*mr+i] = v
			}
		}
	}
	for p := range k {
		for j := range nr {
			v := float32(r.IntN(9) - 4)
			b[p*ldb+j] = v
			pb[p*nr+j] = v
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
	twin(k, a, rsa, csa, b, ldb, anext, want, ldc, alpha, beta, bias, act, tiles)
	for tt := range tiles {
		SgemmTileGo(mr, nr, k, pa[tt], pb, ref[tt*mr*ldc:], ldc, alpha, beta, bias, act)
	}
	fn(k, a, rsa, csa, b, ldb, anext, c, ldc, alpha, beta, bias, act, tiles)
	what := fmt.Sprintf("k=%d rsa=%d csa=%d anext=%d ldb=%d tiles=%d alpha=%v beta=%v act=%d bias=%v", k, rsa, csa, anext, ldb, tiles, alpha, beta, act, withBias)
	checkGuards(t, what+" a", aFull, len(a))
	checkGuards(t, what+" b", bFull, len(b))
	checkGuards(t, what+" bias", biasFull, nr)
	checkGuards(t, what+" c", cFull, nc)
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(aCopy[i]) {
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
