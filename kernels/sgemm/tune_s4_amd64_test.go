package sgemm

// Session-4 tuning runs (NNCC_TUNE=1; NNCC_TUNE_ISA, NNCC_TUNE_SHAPES
// "m×n×k,…", NNCC_TUNE_ROUNDS for many short samples, which resist a
// loaded machine better, NNCC_TUNE_TRANS a, b or ab). What they showed on
// the Zen 5 VM (1024³ unless said; AVX-512 one thread, GFLOPS per
// thread-CPU-second):
//
//   - k in one block (kc 1024 × nc 64): 196.5 against 189.7 for kc 512 ×
//     nc 128 in the quietest run, +1% to +5% in five (kept; level on k =
//     576, 2304, 3072). kc 768 or 640 (k = 1024 still in two blocks)
//     gained nothing; AVX2 showed no difference for kc 256-1024 × nc
//     64-512.
//   - Two threads reading A in place instead of packing a shared A: 2.00x
//     one thread against 1.81x (AVX2 1.99x against 1.81x) (kept); cutting
//     rows (B shared) 1.91x; one, two or four parts per thread instead of
//     three level (also on the split 128-row Transformer products).
//   - B strips packed by PackBRowsAVX (row copies with prefetch) instead
//     of copy per row: 290 against 483 µs for a 1024² B at nr 16 (kept);
//     packing all strips of a block in one pass over B's rows: 481 µs.
//   - A transposed with lda a multiple of 512 is packed, not read in place
//     (alias.go): 1024³ 176 against 130 GFLOPS (AVX2 95 against 59).
//   - Kernel variants (removed): embedded-broadcast FMAs for A
//     (VFMADD231PS.BCST) 20% slower; software prefetch of B four or eight
//     rows ahead, or of the next row tile's A rows to L2, level with none;
//     column-by-column order with the B strip in L1 (kc 128-160) and
//     packed A in L2 3-6% slower (AVX2 too).
//   - Micro-tile shapes, k loop alone: 6×64, 12×32, 8×48 and 14×32 (AVX2:
//     6×16 and 4×24) all within the noise of each other, so they stay.
//   - Two cores running the FMA peak loop at once each keep 97-104% of one
//     core's rate (now the fma_peak threads 2 rows of nncc kernels).

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/nncc/nncc/kernels/isa"
)

// variant is one configuration of an interleaved A/B tuning run: set
// applies it, and the deferred restore of the caller puts the defaults
// back.
type variant struct {
	name string
	set  func()
}

// abRun measures every variant on shape m×n×k at threads 1 (thread CPU
// time) and 2 (process CPU time / 2), interleaved over rounds so machine
// noise hits all alike, and prints the medians.
func abRun(t *testing.T, l isa.Level, shapes [][3]int, vs []variant, threads []int) {
	defer isa.Force(l)()
	kr := kernelFor(l)
	saved := *kr
	sv := [...]int{directBRows, directATiles, transALd}
	svP := packBRowsArch
	restore := func() {
		*kr = saved
		directBRows, directATiles, transALd = sv[0], sv[1], sv[2]
		packBRowsArch = svP
	}
	defer restore()
	w := newWorkers(2)
	defer w.close()
	// NNCC_TUNE_TRANS: "a", "b" or "ab" transposes those operands.
	tr := os.Getenv("NNCC_TUNE_TRANS")
	ta, tb := strings.Contains(tr, "a"), strings.Contains(tr, "b")
	rounds := 9
	if r := os.Getenv("NNCC_TUNE_ROUNDS"); r != "" {
		fmt.Sscan(r, &rounds)
	}
	for _, sh := range shapes {
		m, n, k := sh[0], sh[1], sh[2]
		a, bm, c := randSlice(m*k, 1), randSlice(k*n, 2), make([]float32, m*n)
		lda, ldb := k, n
		if ta {
			lda = m
		}
		if tb {
			ldb = k
		}
		gemm := func(pool Pool) { Sgemm(ta, tb, m, n, k, 1, a, lda, bm, ldb, 0, c, n, pool) }
		flops := 2 * float64(m*n*k)
		reps := max(1, int(0.6e9/flops))
		if os.Getenv("NNCC_TUNE_ROUNDS") != "" {
			reps = max(1, int(0.05e9/flops))
		}
		res := make([][2][]float64, len(vs))
		for range rounds {
			for i, v := range vs {
				restore()
				v.set()
				for ti, th := range threads {
					if th == 1 {
						d := onThreadCPU(reps, func() { gemm(nil) })
						res[i][ti] = append(res[i][ti], flops/d.Seconds()/1e9)
						continue
					}
					gemm(w)
					p0 := processCPU()
					for range reps {
						gemm(w)
					}
					el := (processCPU() - p0) / 2 / time.Duration(reps)
					res[i][ti] = append(res[i][ti], flops/el.Seconds()/1e9)
				}
			}
		}
		for i, v := range vs {
			var b strings.Builder
			for ti, th := range threads {
				fmt.Fprintf(&b, "  %dt %6.1f (p90 %6.1f)", th, med(res[i][ti]), p90(res[i][ti]))
			}
			if len(threads) == 2 {
				fmt.Fprintf(&b, " (%.2fx)", med(res[i][1])/med(res[i][0]))
			}
			fmt.Printf("%v %dx%dx%d %-28s%s\n", l, m, n, k, v.name, b.String())
		}
	}
}

func tuneLevel() isa.Level {
	l := isa.AVX512
	if s := os.Getenv("NNCC_TUNE_ISA"); s != "" {
		l, _ = isa.Parse(s)
	}
	return l
}

// tuneShapes returns NNCC_TUNE_SHAPES (m×n×k,…) or 1024³.
func tuneShapes() [][3]int {
	s := os.Getenv("NNCC_TUNE_SHAPES")
	if s == "" {
		return [][3]int{{1024, 1024, 1024}}
	}
	var out [][3]int
	for _, f := range strings.Split(s, ",") {
		var sh [3]int
		fmt.Sscanf(f, "%dx%dx%d", &sh[0], &sh[1], &sh[2])
		out = append(out, sh)
	}
	return out
}

// TestTuneS4Block (NNCC_TUNE=1) compares blockings of the level's
// kernel in full products on one thread.
func TestTuneS4Block(t *testing.T) {
	if os.Getenv("NNCC_TUNE") == "" {
		t.Skip("set NNCC_TUNE=1")
	}
	l := tuneLevel()
	kr := kernelFor(l)
	cfg := func(kc, nc, mc int, packA bool) variant {
		return variant{fmt.Sprintf("kc%d nc%d mc%d packA=%v", kc, nc, mc, packA), func() {
			kr.kc, kr.nc, kr.mc = kc, nc, mc
			if packA {
				directATiles = 0
			}
		}}
	}
	vs := []variant{{"base", func() {}}}
	var list [][3]int
	if l == isa.AVX512 {
		list = [][3]int{{1024, 64, 1536}, {1024, 128, 1536}, {512, 64, 1536}}
	} else {
		list = [][3]int{{1024, 128, 1536}, {1024, 256, 1536}, {512, 256, 1536}}
	}
	for _, c := range list {
		vs = append(vs, cfg(c[0], c[1], c[2], false))
	}
	vs = append(vs, variant{"base again", func() {}})
	abRun(t, l, tuneShapes(), vs, []int{1})
}

// TestTuneS4Pack (NNCC_TUNE=1) compares B packing by rows in assembly
// (with prefetch) against
// copy per row: the packing alone of a 1024×1024 B in blocks of kc×nc,
// then whole products with and without the assembly.
func TestTuneS4Pack(t *testing.T) {
	if os.Getenv("NNCC_TUNE") == "" {
		t.Skip("set NNCC_TUNE=1")
	}
	saved := packBRowsArch
	defer func() { packBRowsArch = saved }()
	const n = 1024
	b := randSlice(n*n, 3)
	for _, bl := range [][3]int{{1024, 64, 64}, {384, 512, 16}} {
		kc, nc, nr := bl[0], bl[1], bl[2]
		dst := make([]float32, kc*nc)
		ways := []struct {
			name string
			f    func(pc, jc int)
		}{
			{"copy", func(pc, jc int) {
				for j := 0; j < nc; j += nr {
					packBStrip(false, b, n, pc, min(kc, n-pc), jc+j, nr, nr, dst[j*kc:])
				}
			}},
			{"asm strip", func(pc, jc int) {
				for j := 0; j < nc; j += nr {
					saved(b, n, pc, min(kc, n-pc), jc+j, nr, dst[j*kc:])
				}
			}},
		}
		res := make([][]float64, len(ways))
		packBRowsArch = packBRowsPortable
		for range 9 {
			for i, w := range ways {
				d := onThreadCPU(5, func() {
					for pc := 0; pc < n; pc += kc {
						for jc := 0; jc < n; jc += nc {
							w.f(pc, jc)
						}
					}
				})
				res[i] = append(res[i], d.Seconds()*1e6)
			}
		}
		for i, w := range ways {
			fmt.Printf("pack 1024x1024 B kc=%d nc=%d nr=%d %-9s %.0f µs\n", kc, nc, nr, w.name, med(res[i]))
		}
	}
	packBRowsArch = saved
	vs := []variant{{"asm", func() {}}, {"copy", func() { packBRowsArch = packBRowsPortable }}}
	abRun(t, tuneLevel(), tuneShapes(), vs, []int{1, 2})
}

// TestTuneS4K1024 (NNCC_TUNE=1): k up to 1024 in one block, on one and
// two threads.
func TestTuneS4K1024(t *testing.T) {
	if os.Getenv("NNCC_TUNE") == "" {
		t.Skip("set NNCC_TUNE=1")
	}
	l := tuneLevel()
	kr := kernelFor(l)
	vs := []variant{{"base", func() {}},
		{"kc1024 nc64", func() { kr.kc, kr.nc = 1024, 64 }},
		{"kc1024 nc128", func() { kr.kc, kr.nc = 1024, 128 }},
		{"kc512 nc128", func() { kr.kc, kr.nc = 512, 128 }},
	}
	abRun(t, l, tuneShapes(), vs, []int{1, 2})
}

func p90(v []float64) float64 {
	w := append([]float64(nil), v...)
	sort.Float64s(w)
	return w[len(w)*9/10]
}

// TestTuneS4Before (NNCC_TUNE=1) compares the session-3 blocking and B
// packing (kc 512 × nc 128 on AVX-512, copy per row) with the current.
func TestTuneS4Before(t *testing.T) {
	if os.Getenv("NNCC_TUNE") == "" {
		t.Skip("set NNCC_TUNE=1")
	}
	l := tuneLevel()
	kr := kernelFor(l)
	vs := []variant{{"now", func() {}},
		{"session 3", func() {
			if l == isa.AVX512 {
				kr.kc, kr.nc = 512, 128
			}
			packBRowsArch = packBRowsPortable
		}},
		{"now, A packed", func() { directATiles = 0 }},
		{"session 3, A packed", func() {
			if l == isa.AVX512 {
				kr.kc, kr.nc = 512, 128
			}
			packBRowsArch = packBRowsPortable
			directATiles = 0
		}},
		{"now again", func() {}},
	}
	abRun(t, l, tuneShapes(), vs, []int{1, 2})
}

// TestTuneS4TransA (NNCC_TUNE=1, NNCC_TUNE_TRANS=a) compares strides from
// which a transposed A is packed rather than read in place.
func TestTuneS4TransA(t *testing.T) {
	if os.Getenv("NNCC_TUNE") == "" {
		t.Skip("set NNCC_TUNE=1")
	}
	vs := []variant{{"ld 512", func() {}}, {"ld 1024", func() { transALd = 1024 }},
		{"ld 256", func() { transALd = 256 }}, {"never packed", func() { transALd = 0 }}}
	abRun(t, tuneLevel(), tuneShapes(), vs, []int{1, 2})
}
