package sgemm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/nncc/nncc/internal/allocstest"
	"github.com/nncc/nncc/kernels/isa"
)

// goPool is a test Pool that runs chunks on fresh goroutines.
type goPool int

func (t goPool) Threads() int { return int(t) }

func (t goPool) For(n, grain int, fn func(lo, hi int)) {
	if n <= 0 {
		return
	}
	chunks := min(int(t), (n+max(grain, 1)-1)/max(grain, 1))
	size := (n + chunks - 1) / chunks
	var wg sync.WaitGroup
	for lo := size; lo < n; lo += size {
		wg.Add(1)
		go func(lo, hi int) { defer wg.Done(); fn(lo, hi) }(lo, min(lo+size, n))
	}
	fn(0, min(size, n))
	wg.Wait()
}

const guard = 29 // NaN elements on each side of every buffer

var nan32 = float32(math.NaN())

// guarded returns a NaN-filled buffer of n+2*guard and its inner n elements.
func guarded(n int) (full, inner []float32) {
	full = make([]float32, n+2*guard)
	for i := range full {
		full[i] = nan32
	}
	return full, full[guard : guard+n : guard+n]
}

func guardsIntact(full []float32, n int) bool {
	for i := 0; i < guard; i++ {
		if full[i] == full[i] || full[guard+n+i] == full[guard+n+i] {
			return false
		}
	}
	return true
}

// smallInts fills s with integers in [-4, 4]: every product and sum in the
// tests is exact in float32, so all kernels must agree bit for bit.
func smallInts(r *rand.Rand, s []float32) {
	for i := range s {
		s[i] = float32(r.IntN(9) - 4)
	}
}

// reference is the obvious triple loop in float64, with the epilogue.
func reference(tA, tB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int, ep *Epilogue) {
	for i := range m {
		for j := range n {
			var s float64
			if alpha != 0 {
				for p := range k {
					ai, bi := i*lda+p, p*ldb+j
					if tA {
						ai = p*lda + i
					}
					if tB {
						bi = j*ldb + p
					}
					av, bv := a[ai], b[bi]
					s += float64(av) * float64(bv)
				}
			}
			v := float32(float64(alpha) * s)
			if beta != 0 {
				v += beta * c[i*ldc+j]
			}
			if ep != nil {
				if ep.Bias != nil {
					v += ep.Bias[j]
				}
				if ep.Act == ActReLU && v < 0 {
					v = 0
				}
			}
			c[i*ldc+j] = v
		}
	}
	if ep != nil && ep.Hook != nil {
		for i := range m {
			ep.Hook(c[i*ldc:i*ldc+n], i, 0)
		}
	}
}

// gemmCase is one product to check.
type gemmCase struct {
	tA, tB      bool
	m, n, k     int
	alpha, beta float32
	pad         int // extra columns in every leading dimension
	bias, relu  bool
	hook        bool
	packed      bool
	source      bool // A prepacked (PackALevel, restored from Data), B from a BSource
	threads     int
}

func (g gemmCase) String() string {
	return fmt.Sprintf("tA=%v tB=%v m=%d n=%d k=%d alpha=%v beta=%v pad=%d bias=%v relu=%v hook=%v packed=%v source=%v threads=%d",
		g.tA, g.tB, g.m, g.n, g.k, g.alpha, g.beta, g.pad, g.bias, g.relu, g.hook, g.packed, g.source, g.threads)
}

func (g gemmCase) run(t *testing.T, r *rand.Rand) {
	t.Helper()
	ar, ac := g.m, g.k
	if g.tA {
		ar, ac = g.k, g.m
	}
	br, bc := g.k, g.n
	if g.tB {
		br, bc = g.n, g.k
	}
	lda, ldb, ldc := ac+g.pad, bc+g.pad, g.n+g.pad
	size := func(rows, ld int) int { return max(rows*ld, 0) }
	aFull, a := guarded(size(ar, lda))
	bFull, b := guarded(size(br, ldb))
	cFull, c := guarded(size(g.m, ldc))
	smallInts(r, a)
	smallInts(r, b)
	for i := range c {
		if i%ldc < g.n && g.beta != 0 {
			c[i] = float32(r.IntN(9) - 4)
		} // else NaN: must not be read (beta == 0) or written (padding)
	}
	aWas, bWas := append([]float32(nil), a...), append([]float32(nil), b...)
	want := append([]float32(nil), c...)
	var ep *Epilogue
	if g.bias || g.relu || g.hook {
		ep = &Epilogue{}
		if g.bias {
			ep.Bias = make([]float32, g.n)
			smallInts(r, ep.Bias)
		}
		if g.relu {
			ep.Act = ActReLU
		}
		if g.hook {
			ep.Hook = func(row []float32, i, col int) {
				for j := range row {
					row[j] = row[j]*2 + float32(col+j)
				}
			}
		}
	}
	reference(g.tA, g.tB, g.m, g.n, g.k, g.alpha, a, lda, b, ldb, g.beta, want, ldc, ep)
	var pool Pool
	if g.threads > 1 {
		pool = goPool(g.threads)
	}
	if g.source {
		pa := PackALevel(isa.Current(), g.tA, g.m, g.k, a, lda)
		pa, err := PackedAFromData(pa.Level(), pa.M(), pa.K(), append([]float32(nil), pa.Data()...))
		if err != nil {
			t.Fatal(err)
		}
		src := &testSource{t: t, tB: g.tB, k: g.k, n: g.n, b: b, ldb: ldb}
		SgemmSource(pa, g.n, g.alpha, src, g.beta, c, ldc, ep, pool)
	} else if g.packed {
		pb := PackB(g.tB, g.k, g.n, b, ldb)
		SgemmPacked(g.tA, g.m, g.alpha, a, lda, pb, g.beta, c, ldc, ep, pool)
	} else {
		SgemmEpilogue(g.tA, g.tB, g.m, g.n, g.k, g.alpha, a, lda, b, ldb, g.beta, c, ldc, ep, pool)
	}
	if !guardsIntact(aFull, len(a)) || !guardsIntact(bFull, len(b)) || !guardsIntact(cFull, len(c)) {
		t.Fatalf("%v: write outside a buffer", g)
	}
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(aWas[i]) {
			t.Fatalf("%v: A modified", g)
		}
	}
	for i := range b {
		if math.Float32bits(b[i]) != math.Float32bits(bWas[i]) {
			t.Fatalf("%v: B modified", g)
		}
	}
	for i := range c {
		if c[i] != want[i] && !(c[i] != c[i] && want[i] != want[i]) {
			t.Fatalf("%v: C[%d,%d] = %v, want %v", g, i/ldc, i%ldc, c[i], want[i])
		}
	}
}

// forEachLevel runs f with every ISA level this CPU supports forced.
func forEachLevel(t *testing.T, f func(t *testing.T)) {
	for _, l := range isa.Supported() {
		t.Run("isa="+l.String(), func(t *testing.T) {
			defer isa.Force(l)()
			f(t)
		})
	}
}

// TestSizes0to70 sweeps m, n and k over 0…70 in turn, so that every row,
// column and k tail of every kernel runs, with both transposes.
func TestSizes0to70(t *testing.T) {
	forEachLevel(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(3, 4))
		for s := 0; s <= 70; s++ {
			for _, tr := range [][2]bool{{false, false}, {true, false}, {false, true}, {true, true}} {
				gemmCase{tA: tr[0], tB: tr[1], m: s, n: 67, k: 13, alpha: 1, beta: 0}.run(t, r)
				gemmCase{tA: tr[0], tB: tr[1], m: 13, n: s, k: 9, alpha: -1, beta: 1, pad: 3}.run(t, r)
				gemmCase{tA: tr[0], tB: tr[1], m: 9, n: 70, k: s, alpha: 2, beta: 0.5, pad: 1}.run(t, r)
			}
		}
	})
}

// TestSizesLongK sweeps m and n over 0…70 with k past kernel.kD, so that
// every row and column tail of the column order (down.go) runs, plain,
// prepacked and from a BSource, with both transposes and epilogues.
func TestSizesLongK(t *testing.T) {
	if testing.Short() {
		t.Skip("large sizes")
	}
	forEachLevel(t, func(t *testing.T) {
		if current().fnD == nil {
			t.Skip("no column-order kernel at this level")
		}
		r := rand.New(rand.NewPCG(15, 16))
		for s := 0; s <= 70; s++ {
			for i, tr := range [][2]bool{{false, false}, {true, false}, {false, true}, {true, true}} {
				gemmCase{tA: tr[0], tB: tr[1], m: s, n: 37, k: 300, alpha: 1, beta: 0, bias: s%2 == 0, packed: i == 2}.run(t, r)
				gemmCase{tA: tr[0], tB: tr[1], m: 67, n: s, k: 257, alpha: -1, beta: 0.5, pad: 3, relu: true, hook: s%5 == 0, source: i == 1}.run(t, r)
			}
		}
	})
}

// TestRandomCases covers alpha/beta, padding, epilogues, prepacking and
// threads on random sizes.
func TestRandomCases(t *testing.T) {
	forEachLevel(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(5, 6))
		alphas := []float32{1, 0, -1, 2, 0.5}
		betas := []float32{0, 1, -1, 2, 0.5}
		for range 300 {
			g := gemmCase{
				tA: r.IntN(2) == 0, tB: r.IntN(2) == 0,
				m: r.IntN(71), n: r.IntN(140), k: r.IntN(71),
				alpha: alphas[r.IntN(len(alphas))], beta: betas[r.IntN(len(betas))],
				pad: r.IntN(3), bias: r.IntN(2) == 0, relu: r.IntN(2) == 0, hook: r.IntN(4) == 0,
				packed: r.IntN(3) == 0, threads: 1 + r.IntN(3),
			}
			if g.packed {
				g.tA = g.tA && r.IntN(2) == 0
			}
			g.run(t, r)
		}
	})
}

// TestLarge runs sizes past every block (kc, nc, mc) single- and
// multi-threaded, so the k accumulation, column and row blocking run.
func TestLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("large sizes")
	}
	forEachLevel(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(7, 8))
		for _, g := range []gemmCase{
			{m: 100, n: 1100, k: 800, alpha: 1, beta: 0, threads: 1},
			{m: 157, n: 301, k: 777, alpha: 0.5, beta: 1, tA: true, tB: true, pad: 5, threads: 2},
			{m: 1700, n: 19, k: 30, alpha: 1, beta: 2, bias: true, relu: true, threads: 3},
			{m: 64, n: 768, k: 768, alpha: 1, beta: 0, bias: true, relu: true, packed: true, threads: 2},
			{m: 61, n: 1030, k: 400, alpha: -1, beta: 0.5, tA: true, packed: true, hook: true, threads: 4},
			// Short k: column blocks widened by kernel.ncFor (AVX-512 k 30:
			// 2176 columns, so n 4500 takes three blocks, the last partial).
			{m: 50, n: 4500, k: 30, alpha: 1, beta: 0, bias: true, packed: true, threads: 1},
			{m: 47, n: 4501, k: 29, alpha: 2, beta: 0.5, pad: 2, bias: true, relu: true, threads: 1},
			{m: 20, n: 4500, k: 30, alpha: 1, beta: 1, tB: true, hook: true, threads: 2},
			// AVX2 k 30: 6544 columns; the portable kernel 8736.
			{m: 7, n: 13001, k: 30, alpha: 1, beta: 0, bias: true, packed: true, threads: 1},
			// k past the column order's k block (AVX2 kcD 1024).
			{m: 130, n: 21, k: 2100, alpha: 1, beta: 0.5, bias: true, hook: true, threads: 1},
			{m: 65, n: 83, k: 1100, alpha: 2, beta: 0, tA: true, packed: true, relu: true, threads: 2},
		} {
			g.run(t, r)
		}
	})
}

// TestNcFor checks the column blocks of short k: whole strips, at least
// the table's nc, and a B block no larger than the table's kc×nc.
func TestNcFor(t *testing.T) {
	for _, kr := range append([]kernel{generic}, archKernels...) {
		for kc := 0; kc <= kr.kc+1; kc++ {
			nc := kr.ncFor(kc)
			if nc%kr.nr != 0 || nc < kr.nc || (nc > kr.nc && kc*nc > kr.kc*kr.nc) {
				t.Fatalf("%v: ncFor(%d) = %d (table kc %d, nc %d, nr %d)", kr.level, kc, nc, kr.kc, kr.nc, kr.nr)
			}
			if kc >= kr.kc && nc != kr.nc {
				t.Fatalf("%v: ncFor(%d) = %d, want the table's %d", kr.level, kc, nc, kr.nc)
			}
		}
	}
}

// TestZeroAlphaSkipsInputs: with alpha = 0, A and B are not read (NaN in
// them must not reach C) and C = beta*C + epilogue.
func TestZeroAlphaSkipsInputs(t *testing.T) {
	forEachLevel(t, func(t *testing.T) {
		a := []float32{nan32, nan32, nan32, nan32}
		c := []float32{1, 2, 3, 4}
		Sgemm(false, false, 2, 2, 2, 0, a, 2, a, 2, 2, c, 2, nil)
		for i, want := range []float32{2, 4, 6, 8} {
			if c[i] != want {
				t.Fatalf("c = %v", c)
			}
		}
	})
}

func TestBadArgumentsPanic(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("short C did not panic")
		}
	}()
	Sgemm(false, false, 2, 2, 2, 1, make([]float32, 4), 2, make([]float32, 4), 2, 0, make([]float32, 3), 2, nil)
}

func TestGrid(t *testing.T) {
	for _, tc := range []struct{ mt, nt, th, tm, tn int }{
		{11, 12, 2, 1, 2},  // Transformer layer 64×768 on AVX-512: split columns
		{170, 16, 2, 2, 1}, // tie: rows share the packed B block
		{1, 1, 4, 1, 1},
		{8, 8, 4, 2, 2},
		{5, 100, 3, 1, 3},
	} {
		tm, tn := grid(tc.mt, tc.nt, tc.th)
		if tm != tc.tm || tn != tc.tn {
			t.Errorf("grid(%d, %d, %d) = %d×%d, want %d×%d", tc.mt, tc.nt, tc.th, tm, tn, tc.tm, tc.tn)
		}
	}
}

func TestSteadyStateAllocs(t *testing.T) {
	const m, n, k = 70, 130, 90
	a, b, c := make([]float32, m*k), make([]float32, k*n), make([]float32, m*n)
	pb := PackB(false, k, n, b, n)
	ep := &Epilogue{Bias: make([]float32, n), Act: ActReLU}
	allocs := allocstest.PerRun(20, func() {
		Sgemm(false, false, m, n, k, 1, a, k, b, n, 0, c, n, nil)
		SgemmPacked(false, m, 1, a, k, pb, 0, c, n, ep, nil)
	})
	if allocs > 0.5 {
		t.Fatalf("%v allocations per call pair", allocs)
	}
}
