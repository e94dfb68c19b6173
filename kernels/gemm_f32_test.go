package kernels

import (
	"math"
	"math/rand"
	"sync"
	"testing"

	"github.com/nncc/nncc/kernels/isa"
)

// sgemmNaive is the twin of Sgemm: the definition, one dot product per
// element, accumulated in float64.
func sgemmNaive(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	for i := range m {
		for j := range n {
			var s float64
			for p := range k {
				av := a[i*lda+p]
				if transA {
					av = a[p*lda+i]
				}
				bv := b[p*ldb+j]
				if transB {
					bv = b[j*ldb+p]
				}
				s += float64(av) * float64(bv)
			}
			old := float64(0)
			if beta != 0 {
				old = float64(beta) * float64(c[i*ldc+j])
			}
			c[i*ldc+j] = float32(float64(alpha)*s + old)
		}
	}
}

// testPool runs chunks on goroutines to exercise the parallel paths.
type testPool struct{ n int }

func (p testPool) Threads() int { return p.n }
func (p testPool) For(n, grain int, fn func(lo, hi int)) {
	if n <= 0 {
		return
	}
	chunk := max((n+p.n-1)/p.n, grain, 1)
	var wg sync.WaitGroup
	for lo := 0; lo < n; lo += chunk {
		hi := min(lo+chunk, n)
		wg.Add(1)
		go func() { defer wg.Done(); fn(lo, hi) }()
	}
	wg.Wait()
}

func TestSgemmAgainstNaive(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	sizes := [][3]int{{0, 3, 4}, {1, 1, 1}, {3, 5, 7}, {4, 4, 4}, {5, 9, 300}, {17, 33, 65}, {70, 70, 70}, {2, 512, 128}, {130, 7, 513}, {97, 2100, 3}}
	for _, sz := range sizes {
		m, n, k := sz[0], sz[1], sz[2]
		for _, tA := range []bool{false, true} {
			for _, tB := range []bool{false, true} {
				for _, par := range []bool{false, true} {
					lda, ldb, ldc := k+2, n+1, n+3
					if tA {
						lda = m + 1
					}
					if tB {
						ldb = k + 3
					}
					a := make([]float32, max(m, k)*lda+8)
					b := make([]float32, max(n, k)*ldb+8)
					c := make([]float32, m*ldc+8)
					for i := range a {
						a[i] = rng.Float32()*2 - 1
					}
					for i := range b {
						b[i] = rng.Float32()*2 - 1
					}
					for i := range c {
						c[i] = rng.Float32()
					}
					want := append([]float32{}, c...)
					sgemmNaive(tA, tB, m, n, k, 1.5, a, lda, b, ldb, 0.5, want, ldc)
					if par {
						SgemmPar(isa.Current(), testPool{4}, tA, tB, m, n, k, 1.5, a, lda, b, ldb, 0.5, c, ldc)
					} else {
						Sgemm(isa.Current(), tA, tB, m, n, k, 1.5, a, lda, b, ldb, 0.5, c, ldc)
					}
					for i := range c {
						if math.Abs(float64(c[i]-want[i])) > 1e-4*float64(k+1) {
							t.Fatalf("m=%d n=%d k=%d tA=%v tB=%v par=%v: c[%d]=%v want %v", m, n, k, tA, tB, par, i, c[i], want[i])
						}
					}
				}
			}
		}
	}
}

func BenchmarkSgemm256(b *testing.B) {
	const n = 256
	x := make([]float32, n*n)
	y := make([]float32, n*n)
	z := make([]float32, n*n)
	for i := range x {
		x[i], y[i] = float32(i%7), float32(i%5)
	}
	b.SetBytes(2 * n * n * n) // "bytes" = flops
	for b.Loop() {
		Sgemm(isa.Current(), false, false, n, n, n, 1, x, n, y, n, 0, z, n)
	}
}
