package sgemm

// Session-7 tuning runs (NNCC_TUNE=1; NNCC_TUNE_ISA, NNCC_TUNE_ROUNDS,
// NNCC_TUNE_CASES as in tune_s5_amd64_test.go).

import (
	"fmt"
	"os"
	"runtime"
	"testing"

	"github.com/nncc/nncc/kernels/amd64"
	"github.com/nncc/nncc/kernels/isa"
)

// packRowChunks packs all strips of a plain k×n B (n a multiple of nr)
// into the PackedB layout, r rows of every strip at a time, so that B is
// read row chunk by row chunk (nearly sequentially) instead of strip by
// strip (one 4 KB page per row).
func packRowChunks(b []float32, ldb, k, n, nr, r int, dst []float32) {
	for p0 := 0; p0 < k; p0 += r {
		rows := min(r, k-p0)
		for s := 0; s < n/nr; s++ {
			amd64.PackBRowsAVX(rows, b[p0*ldb+s*nr:], ldb, dst[s*k*nr+p0*nr:], nr)
		}
	}
}

// TestTuneS7PackB (NNCC_TUNE=1) times packing a 1024² B for AVX-512 strip
// by strip (as the driver does, into a 256 KB buffer) against in row
// chunks into the whole packed layout (4 MB), hot and cold.
func TestTuneS7PackB(t *testing.T) {
	if os.Getenv("NNCC_TUNE") == "" {
		t.Skip("set NNCC_TUNE=1")
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	const n, nr = 1024, 64
	b := randSlice(n*n, 3)
	strip := make([]float32, n*nr)
	full := make([]float32, n*n)
	junk := randSlice(8<<20, 4)
	cs := []struct {
		name string
		f    func()
	}{
		{"strips", func() {
			for j := 0; j < n; j += nr {
				packBStrip(false, b, n, 0, n, j, nr, nr, strip)
			}
		}},
		{"row chunks 4", func() { packRowChunks(b, n, n, n, nr, 4, full) }},
		{"row chunks 16", func() { packRowChunks(b, n, n, n, nr, 16, full) }},
		{"row chunks 64", func() { packRowChunks(b, n, n, n, nr, 64, full) }},
	}
	hot := make([][]float64, len(cs))
	cold := make([][]float64, len(cs))
	for range s5Rounds(30) {
		for i, c := range cs {
			c.f()
			t0 := threadCPU()
			c.f()
			hot[i] = append(hot[i], (threadCPU()-t0).Seconds()*1e6)
			var s float32
			for _, v := range junk {
				s += v
			}
			sink32 = s
			t0 = threadCPU()
			c.f()
			cold[i] = append(cold[i], (threadCPU()-t0).Seconds()*1e6)
		}
	}
	for i, c := range cs {
		fmt.Printf("pack 1024² B %-14s hot med %4.0f µs, cold med %4.0f µs\n", c.name, med(hot[i]), med(cold[i]))
	}
}

// withBool runs f with *v set to val.
func withBool(v *bool, val bool, f func()) func() {
	return func() {
		saved := *v
		*v = val
		f()
		*v = saved
	}
}

// TestTuneS7Serpentine (NNCC_TUNE=1) compares 1024³ (NNCC_TUNE_SHAPES
// "m×n×k,…" for others) with the row tiles of every other column block
// run bottom to top (serpentine) against all top to bottom, interleaved.
func TestTuneS7Serpentine(t *testing.T) {
	if os.Getenv("NNCC_TUNE") == "" {
		t.Skip("set NNCC_TUNE=1")
	}
	l := tuneLevel()
	defer isa.Force(l)()
	for _, sh := range tuneShapes() {
		m, n, k := sh[0], sh[1], sh[2]
		a, b, c := randSlice(m*k, 1), randSlice(k*n, 2), make([]float32, m*n)
		flops := 2.0 * float64(m*n*k)
		gemm := func() { Sgemm(false, false, m, n, k, 1, a, k, b, n, 0, c, n, nil) }
		fmt.Printf("%d×%d×%d\n", m, n, k)
		cs := []s5case{
			{"Sgemm serpentine", flops, withBool(&serpentine, true, gemm)},
			{"Sgemm top to bottom", flops, withBool(&serpentine, false, gemm)},
			{"Sgemm serpentine again", flops, withBool(&serpentine, true, gemm)},
			{"Sgemm top to bottom again", flops, withBool(&serpentine, false, gemm)},
		}
		s5Interleave(l, flops, s5Filter(cs), s5Rounds(40))
	}
}

// touch reads every cache line of v (keeps it in L2/L3 for what follows).
func touch(v []float32) {
	var s float32
	for i := 0; i < len(v); i += 16 {
		s += v[i]
	}
	sink32 = s
}

// TestTuneS7Warm (NNCC_TUNE=1) measures how much of 1024³ is the first
// touch of its operands: the product timed right after an untimed read of
// B, of A, of C or of all three (from L3 into L2 as far as they fit), or
// after reading 16 MB of other data, interleaved, as rates over the FMA
// peak loop's for the same FLOPs.
func TestTuneS7Warm(t *testing.T) {
	if os.Getenv("NNCC_TUNE") == "" {
		t.Skip("set NNCC_TUNE=1")
	}
	l := tuneLevel()
	defer isa.Force(l)()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	const m = 1024
	a, b, c := randSlice(m*m, 1), randSlice(m*m, 2), make([]float32, m*m)
	junk := randSlice(4<<20, 4)
	flops := 2.0 * m * m * m
	peak, pr := amd64.FMAPeakAVX512, int(flops/768)
	if l == isa.AVX2 {
		peak, pr = amd64.FMAPeakAVX2, int(flops/192)
	}
	gemm := func() { Sgemm(false, false, m, m, m, 1, a, m, b, m, 0, c, m, nil) }
	pre := []struct {
		name string
		f    func()
	}{
		{"nothing", func() {}},
		{"read B", func() { touch(b) }},
		{"read A", func() { touch(a) }},
		{"read C", func() { touch(c) }},
		{"read 16 MB other", func() { touch(junk) }},
		{"read 16 MB other, then B", func() { touch(junk); touch(b) }},
	}
	rel := make([][]float64, len(pre))
	gemm()
	for range s5Rounds(30) {
		for i, p := range pre {
			t0 := threadCPU()
			peak(pr)
			pk := flops / (threadCPU() - t0).Seconds()
			p.f()
			t0 = threadCPU()
			gemm()
			rel[i] = append(rel[i], flops/(threadCPU()-t0).Seconds()/pk)
		}
	}
	for i, p := range pre {
		fmt.Printf("%v 1024³ after %-26s med(rate/peak) %5.1f%%\n", l, p.name, 100*med(rel[i]))
	}
}

// TestTuneS7Block (NNCC_TUNE=1) compares blockings of 1024³
// (NNCC_TUNE_SHAPES for others) on the current level, interleaved.
func TestTuneS7Block(t *testing.T) {
	if os.Getenv("NNCC_TUNE") == "" {
		t.Skip("set NNCC_TUNE=1")
	}
	l := tuneLevel()
	defer isa.Force(l)()
	kr := kernelFor(l)
	for _, sh := range tuneShapes() {
		m, n, k := sh[0], sh[1], sh[2]
		a, b, c := randSlice(m*k, 1), randSlice(k*n, 2), make([]float32, m*n)
		flops := 2.0 * float64(m*n*k)
		gemm := func() { Sgemm(false, false, m, n, k, 1, a, k, b, n, 0, c, n, nil) }
		fmt.Printf("%d×%d×%d\n", m, n, k)
		cs := []s5case{{"Sgemm as is", flops, gemm}}
		for _, kn := range [][2]int{{1024, 64}, {512, 64}, {256, 64}, {768, 64}, {512, 128}} {
			cs = append(cs, s5case{fmt.Sprintf("Sgemm kc %d nc %d", kn[0], kn[1]), flops, withBlock(kr, kn[0], kn[1], gemm)})
		}
		cs = append(cs, s5case{"Sgemm as is again", flops, gemm})
		s5Interleave(l, flops, s5Filter(cs), s5Rounds(40))
	}
}

// TestTuneS7Rows (NNCC_TUNE=1) compares products whose last row panel is
// partial (NNCC_TUNE_SHAPES, default below) with that panel on its own
// kernel (kernel.fnRows) against the 6-row kernel on padded tiles,
// interleaved.
func TestTuneS7Rows(t *testing.T) {
	if os.Getenv("NNCC_TUNE") == "" {
		t.Skip("set NNCC_TUNE=1")
	}
	l := tuneLevel()
	defer isa.Force(l)()
	kr := kernelFor(l)
	shapes := [][3]int{{1024, 1024, 1024}, {64, 768, 768}, {64, 3136, 576}, {256, 196, 2304}, {16, 768, 768}}
	if os.Getenv("NNCC_TUNE_SHAPES") != "" {
		shapes = tuneShapes()
	}
	for _, sh := range shapes {
		m, n, k := sh[0], sh[1], sh[2]
		a, b, c := randSlice(m*k, 1), randSlice(k*n, 2), make([]float32, m*n)
		flops := 2.0 * float64(m*n*k)
		gemm := func() { Sgemm(false, false, m, n, k, 1, a, k, b, n, 0, c, n, nil) }
		padded := func() {
			saved := kr.fnRows
			kr.fnRows = nil
			gemm()
			kr.fnRows = saved
		}
		fmt.Printf("%d×%d×%d\n", m, n, k)
		cs := []s5case{
			{"row kernels", flops, gemm},
			{"padded", flops, padded},
			{"row kernels again", flops, gemm},
			{"padded again", flops, padded},
		}
		s5Interleave(l, flops, s5Filter(cs), s5Rounds(60))
	}
}
