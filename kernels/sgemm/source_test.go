package sgemm

import (
	"math/rand/v2"
	"testing"

	"github.com/nncc/nncc/kernels/isa"
)

// testSource is a BSource over a stored matrix, written independently of
// packBStrip; it checks every request against the contract.
type testSource struct {
	t    *testing.T
	tB   bool
	k, n int
	b    []float32
	ldb  int
}

func (s *testSource) PackStrip(dst []float32, pc, kc, j0, cols, nr int) {
	if len(dst) != kc*nr || pc < 0 || kc <= 0 || pc+kc > s.k || j0 < 0 || cols <= 0 || cols > nr || j0+cols > s.n {
		s.t.Errorf("PackStrip(len %d, pc=%d, kc=%d, j0=%d, cols=%d, nr=%d) outside %d×%d", len(dst), pc, kc, j0, cols, nr, s.k, s.n)
		return
	}
	for p := range kc {
		for j := range nr {
			v := float32(0)
			if j < cols {
				if s.tB {
					v = s.b[(j0+j)*s.ldb+pc+p]
				} else {
					v = s.b[(pc+p)*s.ldb+j0+j]
				}
			}
			dst[p*nr+j] = v
		}
	}
}

// TestSourceSizes0to70 runs SgemmSource over every m, n and k tail with
// both transposes, alpha/beta and epilogues.
func TestSourceSizes0to70(t *testing.T) {
	forEachLevel(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(9, 10))
		for s := 0; s <= 70; s++ {
			for _, tr := range [][2]bool{{false, false}, {true, false}, {false, true}, {true, true}} {
				gemmCase{tA: tr[0], tB: tr[1], m: s, n: 67, k: 13, alpha: 1, beta: 0, source: true}.run(t, r)
				gemmCase{tA: tr[0], tB: tr[1], m: 13, n: s, k: 9, alpha: -1, beta: 1, pad: 3, bias: true, source: true}.run(t, r)
				gemmCase{tA: tr[0], tB: tr[1], m: 9, n: 70, k: s, alpha: 2, beta: 0.5, pad: 1, relu: true, hook: s%3 == 0, source: true, threads: 2}.run(t, r)
			}
		}
	})
}

// TestSourceRandom covers random sizes, epilogues and threads.
func TestSourceRandom(t *testing.T) {
	forEachLevel(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(11, 12))
		alphas := []float32{1, 0, -1, 2, 0.5}
		betas := []float32{0, 1, -1, 2, 0.5}
		for range 200 {
			gemmCase{
				tA: r.IntN(2) == 0, tB: r.IntN(2) == 0,
				m: r.IntN(71), n: r.IntN(140), k: r.IntN(71),
				alpha: alphas[r.IntN(len(alphas))], beta: betas[r.IntN(len(betas))],
				pad: r.IntN(3), bias: r.IntN(2) == 0, relu: r.IntN(2) == 0, hook: r.IntN(4) == 0,
				source: true, threads: 1 + r.IntN(3),
			}.run(t, r)
		}
	})
}

// TestSourceLarge runs SgemmSource past every block size.
func TestSourceLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("large sizes")
	}
	forEachLevel(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(13, 14))
		for _, g := range []gemmCase{
			{m: 100, n: 1100, k: 800, alpha: 1, beta: 0, threads: 1},
			{m: 1601, n: 301, k: 777, alpha: 0.5, beta: 1, tA: true, tB: true, pad: 5, threads: 2},
			{m: 64, n: 768, k: 768, alpha: 1, beta: 0, bias: true, relu: true, threads: 2},
			{m: 61, n: 1030, k: 400, alpha: -1, beta: 0.5, tA: true, hook: true, threads: 4},
		} {
			g.source = true
			g.run(t, r)
		}
	})
}

// TestPackedRoundTrip: Data and the FromData constructors restore operands
// that compute the same product, and wrong lengths are errors.
func TestPackedRoundTrip(t *testing.T) {
	for _, l := range isa.Supported() {
		const m, n, k = 13, 37, 29
		r := rand.New(rand.NewPCG(15, 16))
		a, b := make([]float32, m*k), make([]float32, k*n)
		smallInts(r, a)
		smallInts(r, b)
		mr, nr := PanelShape(l)
		pa := PackALevel(l, false, m, k, a, k)
		pb := PackBLevel(l, false, k, n, b, n)
		if pa.Level() != l || pb.Level() != l || pa.M() != m || pa.K() != k || pa.Len() != (m+mr-1)/mr*mr*k || pb.Len() != (n+nr-1)/nr*nr*k {
			t.Fatalf("%v: PackedA %v %d×%d len %d, PackedB %v len %d", l, pa.Level(), pa.M(), pa.K(), pa.Len(), pb.Level(), pb.Len())
		}
		pa2, err := PackedAFromData(l, m, k, pa.Data())
		if err != nil {
			t.Fatal(err)
		}
		pb2, err := PackedBFromData(l, k, n, pb.Data())
		if err != nil {
			t.Fatal(err)
		}
		want, got := make([]float32, m*n), make([]float32, m*n)
		reference(false, false, m, n, k, 1, a, k, b, n, 0, want, n, nil)
		SgemmPacked(false, m, 1, a, k, pb2, 0, got, n, nil, nil)
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("%v: restored PackedB: C[%d] = %v, want %v", l, i, got[i], want[i])
			}
		}
		clear(got)
		SgemmSource(pa2, n, 1, &testSource{t: t, k: k, n: n, b: b, ldb: n}, 0, got, n, nil, nil)
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("%v: restored PackedA: C[%d] = %v, want %v", l, i, got[i], want[i])
			}
		}
		if _, err := PackedAFromData(l, m, k, pa.Data()[1:]); err == nil {
			t.Errorf("%v: short PackedA data accepted", l)
		}
		if _, err := PackedBFromData(l, k, n, append(pb.Data(), 0)); err == nil {
			t.Errorf("%v: long PackedB data accepted", l)
		}
	}
	if _, err := PackedAFromData(isa.Level(200), 1, 1, []float32{1}); err == nil {
		t.Error("unknown level accepted")
	}
}
