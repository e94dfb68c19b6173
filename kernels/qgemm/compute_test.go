package qgemm

import (
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/nncc/nncc/kernels/isa"
)

// matSource is a row-major K×N byte matrix as a Source.
type matSource struct {
	b    []uint8
	k, n int
}

func (s *matSource) Rows(dst []uint8, ld, j0, cols int) {
	for p := range s.k {
		copy(dst[p*ld:p*ld+cols], s.b[p*s.n+j0:p*s.n+j0+cols])
	}
}

// goPool runs the chunks of a loop on goroutines, one per thread.
type goPool struct{ threads int }

func (p goPool) For(n, grain int, fn func(lo, hi int)) {
	var wg sync.WaitGroup
	per := (n + p.threads - 1) / p.threads
	for lo := 0; lo < n; lo += per {
		wg.Add(1)
		go func(lo, hi int) { defer wg.Done(); fn(lo, hi) }(lo, min(lo+per, n))
	}
	wg.Wait()
}

func (p goPool) Threads() int { return p.threads }

// levels are the variants to test: the Go twins, and AVX2 and AVX-512
// when this CPU has their kernels.
func levels() []isa.Level {
	l := []isa.Level{isa.Generic}
	for _, v := range []isa.Level{isa.AVX2, isa.AVX512} {
		if Has(v) {
			l = append(l, v)
		}
	}
	return l
}

// qCase is one product's operands.
type qCase struct {
	m, k, n  int
	w        []int32
	zp       []int32
	unsigned bool
	b        []uint8
	xz       int32
}

// reference is the product in int64, truncated to int32 (the package's
// wrapping rule).
func (c *qCase) reference() []int32 {
	out := make([]int32, c.m*c.n)
	for r := range c.m {
		z := int64(c.zp[0])
		if len(c.zp) == c.m {
			z = int64(c.zp[r])
		}
		for j := range c.n {
			var s int64
			for p := range c.k {
				s += (int64(c.b[p*c.n+j]) - int64(c.xz)) * (int64(c.w[r*c.k+p]) - z)
			}
			out[r*c.n+j] = int32(s)
		}
	}
	return out
}

// newCase draws a case; extreme operands take only the ends of their
// ranges.
func newCase(r *rand.Rand, m, k, n int, unsigned, perRow, extreme bool) *qCase {
	c := &qCase{m: m, k: k, n: n, unsigned: unsigned, w: make([]int32, m*k), b: make([]uint8, k*n)}
	lo, span := int32(-128), int32(256)
	if unsigned {
		lo = 0
	}
	draw := func() int32 {
		if extreme {
			return lo + (span-1)*int32(r.IntN(2))
		}
		return lo + int32(r.IntN(int(span)))
	}
	for i := range c.w {
		c.w[i] = draw()
	}
	nz := 1
	if perRow && m > 0 {
		nz = m
	}
	for range nz {
		c.zp = append(c.zp, draw())
	}
	for i := range c.b {
		if extreme {
			c.b[i] = uint8(255 * r.IntN(2))
		} else {
			c.b[i] = uint8(r.Uint32())
		}
	}
	c.xz = int32(r.IntN(256))
	if extreme {
		c.xz = 255 * int32(r.IntN(2))
	}
	return c
}

// check runs the case at every level, single- and multi-threaded, into
// a guarded output with a row stride above n, against the reference.
func (c *qCase) check(t *testing.T) {
	t.Helper()
	want := c.reference()
	pw, err := PackWeights(c.w, c.m, c.k, c.zp, c.unsigned)
	if err != nil {
		t.Fatal(err)
	}
	b0, w0 := slices.Clone(c.b), slices.Clone(c.w)
	const guard, sentinel = 7, -0x2badf00d
	ldy := c.n + 3
	for _, l := range levels() {
		for _, pool := range []Pool{nil, goPool{2}, goPool{3}} {
			full := make([]int32, guard+max(c.m*ldy, 1)+guard)
			for i := range full {
				full[i] = sentinel
			}
			y := full[guard : guard+c.m*ldy]
			if err := Compute(l, pw, &matSource{c.b, c.k, c.n}, c.n, c.xz, y, ldy, pool); err != nil {
				t.Fatal(err)
			}
			for i, got := range full {
				e := int32(sentinel)
				if o := i - guard; o >= 0 && o < c.m*ldy && o%ldy < c.n {
					e = want[o/ldy*c.n+o%ldy]
				}
				if got != e {
					t.Fatalf("%v %d×%d×%d unsigned=%v zp=%d xz=%d: y[%d] = %d, want %d", l, c.m, c.k, c.n, c.unsigned, len(c.zp), c.xz, i-guard, got, e)
				}
			}
		}
	}
	if !slices.Equal(c.b, b0) || !slices.Equal(c.w, w0) {
		t.Fatal("operands modified")
	}
}

// TestComputeSizes covers every M, K and N in 0…70 (each swept with the
// others drawn), both weight types, per-row and single zero points.
func TestComputeSizes(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	for s := range 71 {
		dims := [][3]int{{s, 1 + r.IntN(70), 1 + r.IntN(70)}, {1 + r.IntN(20), s, 1 + r.IntN(70)}, {1 + r.IntN(20), 1 + r.IntN(70), s}}
		for i, d := range dims {
			newCase(r, d[0], d[1], d[2], (s+i)%2 == 0, (s+i)%3 != 0, false).check(t)
		}
	}
}

// TestComputeLarge covers products large enough for several blocks and
// threads, and a K whose sums overflow int32 (the result is the exact
// value modulo 2^32).
func TestComputeLarge(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 24))
	newCase(r, 37, 600, 900, true, true, false).check(t)
	newCase(r, 70, 147, 3000, false, false, false).check(t)
	newCase(r, 9, 5000, 70, false, true, false).check(t)
	c := newCase(r, 3, 70000, 2, true, false, true)
	for i := range c.w {
		c.w[i], c.b[i%len(c.b)] = 255, 255
	}
	c.zp[0], c.xz = 0, 0
	c.check(t) // 70000·255² ≈ 4.55e9 > 2^31: wraps like the int32 loops
}

// TestComputeExtremes covers operands at the ends of their ranges
// (0/255 activations × −128/127 or 0/255 weights, extreme zero points).
func TestComputeExtremes(t *testing.T) {
	r := rand.New(rand.NewPCG(25, 26))
	for i := range 40 {
		newCase(r, 1+r.IntN(20), 1+r.IntN(300), 1+r.IntN(100), i%2 == 0, i%4 < 2, true).check(t)
	}
}

// TestPackWeightsErrors checks the refused inputs.
func TestPackWeightsErrors(t *testing.T) {
	for _, tc := range []struct {
		name     string
		w        []int32
		m, k     int
		zp       []int32
		unsigned bool
	}{
		{"short", []int32{1, 2, 3}, 2, 2, []int32{0}, false},
		{"zero points", []int32{1, 2, 3, 4}, 2, 2, []int32{0, 0, 0}, false},
		{"signed range", []int32{1, 200, 3, 4}, 2, 2, []int32{0}, false},
		{"unsigned range", []int32{1, -2, 3, 4}, 2, 2, []int32{0}, true},
		{"zero point range", []int32{1, 2, 3, 4}, 2, 2, []int32{300}, true},
	} {
		if _, err := PackWeights(tc.w, tc.m, tc.k, tc.zp, tc.unsigned); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
	pw, err := PackWeights([]int32{1, 2}, 1, 2, []int32{0}, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := Compute(isa.Generic, pw, &matSource{make([]uint8, 6), 2, 3}, 3, 256, make([]int32, 3), 3, nil); err == nil {
		t.Error("zero point 256: no error")
	}
	if err := Compute(isa.Generic, pw, &matSource{make([]uint8, 6), 2, 3}, 3, 0, make([]int32, 2), 3, nil); err == nil {
		t.Error("short output: no error")
	}
}
