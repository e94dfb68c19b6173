package amd64

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"golang.org/x/sys/cpu"
)

type genKernel func(k int, a []float32, rsa, csa int, b []float32, ldb, bnext int, c []float32, ldc int, alpha, beta float32, bias []float32, act, tiles int)

// TestSgemmTileGenAgainstTwin checks the general-stride micro-kernels
// against their twins for k = 0..70 and 1000, with A packed, in place and
// transposed, B strips packed and in place, one to three tiles per call,
// NaN in the guard regions and in every element of A and B the kernel
// must not read; and the twin against SgemmTileGo on packed copies.
func TestSgemmTileGenAgainstTwin(t *testing.T) {
	avx2 := cpu.X86.HasAVX2 && cpu.X86.HasFMA
	avx512 := avx2 && cpu.X86.HasAVX512F && cpu.X86.HasAVX512BW && cpu.X86.HasAVX512VL
	r := rand.New(rand.NewPCG(5, 6))
	for _, v := range genVariants(avx2, avx512) {
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
				for li, lay := range [][2]int{{1, v.mr}, {k + 3, 1}, {1, v.mr + 5}} {
					// B strips: packed one after another (ldb nr, bnext
					// k*nr + gap), or side by side in one matrix.
					for bi, bl := range [][3]int{{v.nr, k*v.nr + 7, 2}, {3*v.nr + 5, v.nr, 3}, {v.nr + 5, 0, 1}} {
						ldb, bnext, tiles := bl[0], bl[1], bl[2]
						ab := [][2]float32{{1, 0}, {-1, 2}, {0.5, -0.5}}[(k+li+bi)%3]
						act := ActNone
						if (k+bi)%2 == 1 {
							act = ActReLU
						}
						runGenTile(t, r, v.mr, v.nr, v.fn, v.twin, k, lay[0], lay[1], ldb, bnext, tiles, ab[0], ab[1], act, (k+ldb)%3 == 0)
					}
				}
			}
		})
	}
}

type genVariant struct {
	name   string
	mr, nr int
	fn     genKernel
	twin   genKernel
	ok     bool
}

func runGenTile(t *testing.T, r *rand.Rand, mr, nr int, fn, twin genKernel, k, rsa, csa, ldb, bnext, tiles int, alpha, beta float32, act int, withBias bool) {
	t.Helper()
	w := tiles * nr // columns of C written
	ldc := w + 3
	nc := (mr-1)*ldc + w
	na, nb := 0, 0
	if k > 0 {
		na = (mr-1)*rsa + (k-1)*csa + 1
		nb = (tiles-1)*bnext + (k-1)*ldb + nr
	}
	aFull, a := guarded(na)
	bFull, b := guarded(nb)
	for i := range a {
		a[i] = float32(math.NaN())
	}
	for i := range b {
		b[i] = float32(math.NaN())
	}
	pa := make([]float32, k*mr)
	pb := make([][]float32, tiles) // each tile's strip, packed
	for p := range k {
		for i := range mr {
			v := float32(r.IntN(9) - 4)
			a[i*rsa+p*csa] = v
			pa[p*mr+i] = v
		}
	}
	for tt := range tiles {
		pb[tt] = make([]float32, k*nr)
		for p := range k {
			for j := range nr {
				v := float32(r.IntN(9) - 4)
				b[tt*bnext+p*ldb+j] = v
				pb[tt][p*nr+j] = v
			}
		}
	}
	var bias []float32
	biasFull, biasIn := guarded(w)
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
	twin(k, a, rsa, csa, b, ldb, bnext, want, ldc, alpha, beta, bias, act, tiles)
	for tt := range tiles {
		var tb []float32
		if bias != nil {
			tb = bias[tt*nr : tt*nr+nr]
		}
		SgemmTileGo(mr, nr, k, pa, pb[tt], ref[tt*nr:], ldc, alpha, beta, tb, act)
	}
	fn(k, a, rsa, csa, b, ldb, bnext, c, ldc, alpha, beta, bias, act, tiles)
	what := fmt.Sprintf("k=%d rsa=%d csa=%d ldb=%d bnext=%d tiles=%d alpha=%v beta=%v act=%d bias=%v", k, rsa, csa, ldb, bnext, tiles, alpha, beta, act, withBias)
	checkGuards(t, what+" a", aFull, len(a))
	checkGuards(t, what+" b", bFull, len(b))
	checkGuards(t, what+" bias", biasFull, w)
	checkGuards(t, what+" c", cFull, nc)
	bits := func(x []float32, y []float32) bool {
		for i := range x {
			if math.Float32bits(x[i]) != math.Float32bits(y[i]) {
				return false
			}
		}
		return true
	}
	if !bits(a, aCopy) {
		t.Fatalf("%s: A modified", what)
	}
	if !bits(b, bCopy) {
		t.Fatalf("%s: B modified", what)
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
