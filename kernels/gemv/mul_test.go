package gemv

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/nncc/nncc/internal/allocstest"
	"github.com/nncc/nncc/kernels/isa"
)

const guard = 29 // NaN elements on each side of every buffer

// guarded returns a buffer of n elements surrounded by NaN guards and the
// inner slice (capacity limited to n).
func guarded(n int) (full, inner []float32) {
	full = make([]float32, n+2*guard)
	for i := range full {
		full[i] = float32(math.NaN())
	}
	return full, full[guard : guard+n : guard+n]
}

func checkGuards(t *testing.T, what string, full []float32, n int) {
	t.Helper()
	for i := range guard {
		if !math.IsNaN(float64(full[i])) || !math.IsNaN(float64(full[guard+n+i])) {
			t.Fatalf("%s: guard region overwritten", what)
		}
	}
}

// smallInts fills s with integers in [-4, 4]: every product and sum below
// is exact in float32, so all kernels must agree bit for bit.
func smallInts(r *rand.Rand, s []float32) {
	for i := range s {
		s[i] = float32(r.IntN(9) - 4)
	}
}

// levels are the ISA levels to test: every supported one, plus Generic.
func levels() []isa.Level {
	return isa.Supported()
}

// reference is the math of Mul on the unpacked A (n×k, stride lda).
func reference(m, n, k int, alpha float32, a []float32, lda int, x []float32, ldx int, beta float32, y []float32, ldy int) {
	for i := range m {
		for j := range n {
			var s float32
			for q := range k {
				s += a[j*lda+q] * x[i*ldx+q]
			}
			v := alpha * s
			if beta != 0 {
				v += beta * y[i*ldy+j]
			}
			y[i*ldy+j] = v
		}
	}
}

func TestMulSizes(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, l := range levels() {
		t.Run(l.String(), func(t *testing.T) {
			for n := 0; n <= 70; n++ {
				for _, k := range []int{0, 1, 2, 3, 7, 16, 33, 70} {
					for _, m := range []int{0, 1, 2, 3, 4, 5} {
						ab := [][2]float32{{1, 0}, {1, 1}, {-1, 2}, {0.5, -0.5}}[(n+k+m)%4]
						runMul(t, r, l, m, n, k, ab[0], ab[1])
					}
				}
			}
			for k := 0; k <= 70; k++ {
				runMul(t, r, l, 2, 64+k, k, 1, 1)
				runMul(t, r, l, 1, 128, k, 2, 0)
			}
			runMul(t, r, l, 2, 1030, 517, 1, 1)
			runMul(t, r, l, 4, 512, 128, 1, 1)
			runMul(t, r, l, 3, 777, 300, -1, 0)
		})
	}
}

func runMul(t *testing.T, r *rand.Rand, l isa.Level, m, n, k int, alpha, beta float32) {
	t.Helper()
	lda, ldx, ldy := k+3, k+2, n+5
	na := n * lda
	nx, ny := 0, 0
	if m > 0 {
		nx, ny = (m-1)*ldx+k, (m-1)*ldy+n
	}
	aFull, a := guarded(na)
	xFull, x := guarded(nx)
	smallInts(r, a)
	smallInts(r, x)
	yFull, y := guarded(ny)
	want := make([]float32, ny)
	for i := range y {
		if beta == 0 {
			y[i] = float32(math.NaN()) // must not be read
		} else {
			y[i] = float32(r.IntN(9) - 4)
		}
		want[i] = y[i]
	}
	aCopy := append([]float32(nil), a...)
	xCopy := append([]float32(nil), x...)
	reference(m, n, k, alpha, a, lda, x, ldx, beta, want, ldy)
	p := Pack(l, n, k, a, lda)
	p.Mul(m, alpha, x, ldx, beta, y, ldy)
	what := fmt.Sprintf("level=%v m=%d n=%d k=%d alpha=%v beta=%v", l, m, n, k, alpha, beta)
	checkGuards(t, what+" a", aFull, na)
	checkGuards(t, what+" x", xFull, nx)
	checkGuards(t, what+" y", yFull, ny)
	for i := range a {
		if a[i] != aCopy[i] {
			t.Fatalf("%s: A modified", what)
		}
	}
	for i := range x {
		if x[i] != xCopy[i] {
			t.Fatalf("%s: x modified", what)
		}
	}
	for i := range y {
		same := y[i] == want[i] || (math.IsNaN(float64(y[i])) && math.IsNaN(float64(want[i])))
		if !same {
			t.Fatalf("%s: y[%d,%d] = %v, want %v", what, i/ldy, i%ldy, y[i], want[i])
		}
	}
}

// TestMulRounding checks random real data against a float64 reference.
func TestMulRounding(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, l := range levels() {
		m, n, k := 2, 515, 129
		a, x, y := make([]float32, n*k), make([]float32, m*k), make([]float32, m*n)
		for i := range a {
			a[i] = float32(r.NormFloat64())
		}
		for i := range x {
			x[i] = float32(r.NormFloat64())
		}
		Pack(l, n, k, a, k).Mul(m, 1, x, k, 0, y, n)
		for i := range m {
			for j := range n {
				var s, abs float64
				for q := range k {
					s += float64(a[j*k+q]) * float64(x[i*k+q])
					abs += math.Abs(float64(a[j*k+q]) * float64(x[i*k+q]))
				}
				if d := math.Abs(float64(y[i*n+j]) - s); d > 1e-6*abs*float64(k) {
					t.Fatalf("level %v: y[%d,%d] = %v, want %v", l, i, j, y[i*n+j], s)
				}
			}
		}
	}
}

func TestMulNoAllocs(t *testing.T) {
	for _, l := range levels() {
		m, n, k := 2, 517, 64
		p := Pack(l, n, k, make([]float32, n*k), k)
		x, y := make([]float32, m*k), make([]float32, m*n)
		if got := allocstest.PerRun(20, func() { p.Mul(m, 1, x, k, 1, y, n) }); got != 0 {
			t.Errorf("level %v: %v allocations per Mul, want 0", l, got)
		}
	}
}

func TestBadArgumentsPanic(t *testing.T) {
	p := Pack(isa.Generic, 4, 3, make([]float32, 12), 3)
	for name, f := range map[string]func(){
		"short x":   func() { p.Mul(1, 1, make([]float32, 2), 3, 0, make([]float32, 4), 4) },
		"short y":   func() { p.Mul(2, 1, make([]float32, 6), 3, 0, make([]float32, 7), 4) },
		"small ldy": func() { p.Mul(2, 1, make([]float32, 6), 3, 0, make([]float32, 8), 3) },
		"short a":   func() { Pack(isa.Generic, 4, 3, make([]float32, 11), 3) },
		"negative":  func() { p.Mul(-1, 1, nil, 3, 0, nil, 4) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

func TestPackedAccessors(t *testing.T) {
	for _, l := range levels() {
		p := Pack(l, 70, 5, make([]float32, 350), 5)
		if p.N() != 70 || p.K() != 5 || p.Level() != kernelFor(l).level || p.Len()%(5*kernelFor(l).width) != 0 || p.Len() < 350 {
			t.Errorf("level %v: N=%d K=%d Level=%v Len=%d", l, p.N(), p.K(), p.Level(), p.Len())
		}
	}
}

func TestNative(t *testing.T) {
	if Native(isa.Generic) {
		t.Error("Native(Generic) = true")
	}
	for _, l := range isa.Supported() {
		if l == isa.AVX512 || l == isa.AVX2 {
			if !Native(l) {
				t.Errorf("Native(%v) = false on a CPU that has it", l)
			}
		}
	}
}
