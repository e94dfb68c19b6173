package sgemm

// Session-7 tuning runs (NNCC_TUNE=1; NNCC_TUNE_ISA, NNCC_TUNE_ROUNDS,
// NNCC_TUNE_CASES as in tune_s5_amd64_test.go; NNCC_TUNE_SHAPES
// "m×n×k,…"). The Zen 5 VM ran at load average 7-12 (four engineers), so
// every figure is a median over 30-60 interleaved rounds of the rate over
// the FMA peak loop's for the same FLOPs; under 1.5 points is noise, and
// the first case of a run tends to come out ~1 point low.
//
//   - Partial row panels on 2- and 4-row kernels (kernel.fnRows, kept;
//     TestTuneS7Rows, row kernels against padded 6-row tiles, mean of two
//     pairs): AVX-512 16×768×768 82.6 / 76.2, 64×768×768 92.0 / 90.0,
//     64×3136×576 91.2 / 89.3, 128×784×1152 78.8 / 77.2, 512×784×256
//     87.0 / 86.0, 1024³ 89.8 / 89.7 (level: 1 panel in 171);
//     AVX2 16×768×768 87.2 / 79.3, 64×768×768 94.9 / 92.7, 64×3136×576
//     87.5 / 85.2, 1024³ 91.7 / 91.2. Products whose columns end in a
//     partial strip (n = 196, 49) keep the padded path there and ran level.
//   - Partial column strips on kernels of 16, 32 or 48 columns
//     (kernel.fnCols, kept; TestTuneS7Cols, AVX-512, column kernels
//     against all 64 columns of the padded strip, two pairs):
//     256×196×2304 76.3/76.4 against 63.6/65.9, 128×784×1152 85.7/83.2
//     against 80.0/82.2, 64×1000×512 87.9/88.6 against 83.0/83.1;
//     512×49×4608 (49 columns: all four vectors) and 1024³ level.
//     AVX2 (8 of 16 columns): 256×196×2304 77.9/79.1 against 75.1/77.2,
//     128×100×1152 77.9/78.3 against 75.1/75.7, 64×1000×512 85.9/85.7
//     against 83.1/84.0, 1024³ level.
//   - Two threads (TestTuneS7Par, 64×768×768, GFLOPS per CPU-second,
//     100 rounds): partial kernels 336.0 against padded 318.6 (one
//     thread 198.2 / 193.9). The variant timed right after the one-thread
//     runs comes out ~5% low whichever it is (parked workers): with the
//     order reversed the figures were 312.9 / 339.7.
//   - Blocking re-checked (TestTuneS7Block, AVX-512 1024³): kc 1024, 768,
//     512 × nc 64 and kc 512 × nc 128 all 89.5-90.8%; kc 256 × nc 64
//     86.4%. Kept kc 1024 × nc 64.
//   - Serpentine order (every other column block's row tiles bottom to
//     top, so that a block starts on A rows still in L2): AVX-512 1024³
//     89.1 / 91.2 against 90.0 / 90.8 top to bottom, AVX2 93.0 / 92.8
//     against 92.7 / 92.4. Dropped.
//   - First touch of the operands (TestTuneS7Warm): 1024³ after an
//     untimed read of B 88.4%, of A 87.6, of C 87.5, of nothing 87.3, of
//     16 MB of other data 86.1: where the operands come from (L3 or
//     memory) is worth about a point, not the 8-10 points to the peak.
//   - Packing a 1024² B in row chunks into the whole PackedB layout
//     (TestTuneS7PackB) instead of strip by strip into a 256 KB buffer:
//     hot 170-252 µs against 148, cold 389-421 against 315. Not adopted.
//   - Reference on the same VM, same minutes (a C harness timing
//     cblas_sgemm 1024³ in thread CPU time against an AVX-512 FMA loop,
//     not kept): Debian OpenBLAS 0.3.21 with its SkylakeX kernels 76.5-81.7%
//     of the loop, BLIS 0.9.0 (skx) 73-74.5%, this package 83.5-86.3%
//     (TestTuneS7Block "as is", runs in between).

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

// TestTuneS7Cols (NNCC_TUNE=1) compares products whose last column strip
// is partial (NNCC_TUNE_SHAPES, default below) with that strip on the
// narrower kernels (kernel.fnCols) against all nr columns of the padded
// strip, interleaved.
func TestTuneS7Cols(t *testing.T) {
	if os.Getenv("NNCC_TUNE") == "" {
		t.Skip("set NNCC_TUNE=1")
	}
	l := tuneLevel()
	defer isa.Force(l)()
	kr := kernelFor(l)
	shapes := [][3]int{{256, 196, 2304}, {512, 49, 4608}, {128, 784, 1152}, {64, 1000, 512}, {1024, 1024, 1024}}
	if os.Getenv("NNCC_TUNE_SHAPES") != "" {
		shapes = tuneShapes()
	}
	for _, sh := range shapes {
		m, n, k := sh[0], sh[1], sh[2]
		a, b, c := randSlice(m*k, 1), randSlice(k*n, 2), make([]float32, m*n)
		flops := 2.0 * float64(m*n*k)
		gemm := func() { Sgemm(false, false, m, n, k, 1, a, k, b, n, 0, c, n, nil) }
		padded := func() {
			saved := kr.fnCols
			kr.fnCols = nil
			gemm()
			kr.fnCols = saved
		}
		fmt.Printf("%d×%d×%d\n", m, n, k)
		cs := []s5case{
			{"padded", flops, padded},
			{"column kernels", flops, gemm},
			{"padded again", flops, padded},
			{"column kernels again", flops, gemm},
		}
		s5Interleave(l, flops, s5Filter(cs), s5Rounds(40))
	}
}

// TestTuneS7Par (NNCC_TUNE=1) compares 64×768×768 (NNCC_TUNE_SHAPES for
// others) on one and two threads with the partial-panel kernels
// (kernel.fnRows, fnCols) and without, interleaved, in GFLOPS per
// CPU-second.
func TestTuneS7Par(t *testing.T) {
	if os.Getenv("NNCC_TUNE") == "" {
		t.Skip("set NNCC_TUNE=1")
	}
	l := tuneLevel()
	defer isa.Force(l)()
	kr := kernelFor(l)
	w := newWorkers(2)
	defer w.close()
	shapes := [][3]int{{64, 768, 768}}
	if os.Getenv("NNCC_TUNE_SHAPES") != "" {
		shapes = tuneShapes()
	}
	for _, sh := range shapes {
		m, n, k := sh[0], sh[1], sh[2]
		a, b, c := randSlice(m*k, 1), randSlice(k*n, 2), make([]float32, m*n)
		flops := 2.0 * float64(m*n*k)
		run := func(pool Pool, partial bool) func() {
			return func() {
				sr, sc := kr.fnRows, kr.fnCols
				if !partial {
					kr.fnRows, kr.fnCols = nil, nil
				}
				Sgemm(false, false, m, n, k, 1, a, k, b, n, 0, c, n, pool)
				kr.fnRows, kr.fnCols = sr, sc
			}
		}
		names := []string{"1 thread, partial kernels", "1 thread, padded", "2 threads, padded", "2 threads, partial kernels"}
		cs := []func(){run(nil, true), run(nil, false), run(w, false), run(w, true)}
		res := make([][]float64, len(cs))
		for _, f := range cs {
			f()
		}
		reps := max(1, int(2e8/flops))
		for range s5Rounds(40) {
			for i, f := range cs {
				p0 := processCPU()
				for range reps {
					f()
				}
				d := (processCPU() - p0).Seconds()
				if i >= 2 {
					d /= 2
				}
				res[i] = append(res[i], float64(reps)*flops/d/1e9)
			}
		}
		fmt.Printf("%d×%d×%d\n", m, n, k)
		for i := range cs {
			one := res[0] // the same kernels on one thread
			if (i == 1) != (i == 2) {
				one = res[1]
			}
			fmt.Printf("%v %-28s med %6.1f p90 %6.1f GFLOPS per CPU (%.2fx one thread, same kernels)\n", l, names[i], med(res[i]), p90(res[i]), med(res[i])/med(one))
		}
	}
}
