package sgemm

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/nncc/nncc/kernels/amd64"
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
	sv := [...]int{directBRows, directATiles}
	svC, svP := colsOuter, packBRowsArch
	restore := func() {
		*kr = saved
		directBRows, directATiles = sv[0], sv[1]
		colsOuter, packBRowsArch = svC, svP
	}
	defer restore()
	w := newWorkers(2)
	defer w.close()
	rounds := 9
	for _, sh := range shapes {
		m, n, k := sh[0], sh[1], sh[2]
		a, bm, c := randSlice(m*k, 1), randSlice(k*n, 2), make([]float32, m*n)
		flops := 2 * float64(m*n*k)
		reps := max(1, int(0.6e9/flops))
		res := make([][2][]float64, len(vs))
		for range rounds {
			for i, v := range vs {
				restore()
				v.set()
				for ti, th := range threads {
					if th == 1 {
						d := onThreadCPU(reps, func() { Sgemm(false, false, m, n, k, 1, a, k, bm, n, 0, c, n, nil) })
						res[i][ti] = append(res[i][ti], flops/d.Seconds()/1e9)
						continue
					}
					Sgemm(false, false, m, n, k, 1, a, k, bm, n, 0, c, n, w)
					p0 := processCPU()
					for range reps {
						Sgemm(false, false, m, n, k, 1, a, k, bm, n, 0, c, n, w)
					}
					el := (processCPU() - p0) / 2 / time.Duration(reps)
					res[i][ti] = append(res[i][ti], flops/el.Seconds()/1e9)
				}
			}
		}
		for i, v := range vs {
			var b strings.Builder
			for ti, th := range threads {
				fmt.Fprintf(&b, "  %dt %6.1f", th, med(res[i][ti]))
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

// TestTuneS4Kernel (NNCC_TUNE=1) compares AVX-512 general-stride kernel
// variants alone (packed A panel in L1, B strips of kc×64: one L1-hot
// strip or several from L2), interleaved, thread CPU time.
func TestTuneS4Kernel(t *testing.T) {
	if os.Getenv("NNCC_TUNE") == "" {
		t.Skip("set NNCC_TUNE=1")
	}
	fns := []struct {
		name string
		fn   genFunc
	}{{"base", amd64.Sgemm6x64GenAVX512}, {"bcst", amd64.Sgemm6x64GenBcstAVX512}, {"pf", amd64.Sgemm6x64GenPfAVX512}}
	for _, cfg := range []struct{ k, strips, tiles int }{{128, 1, 1}, {256, 2, 2}, {512, 2, 2}, {512, 8, 2}} {
		k, strips, tiles := cfg.k, cfg.strips, cfg.tiles
		a := randSlice(6*k, 1)
		b := randSlice(64*k*strips, 2)
		c := make([]float32, 6*64*tiles)
		reps := int(3e8 / float64(2*6*64*k*tiles))
		res := make([][]float64, len(fns))
		for range 9 {
			for i, f := range fns {
				d := onThreadCPU(1, func() {
					for r := range reps {
						s := (r * tiles) % strips
						f.fn(k, a, 1, 6, b[s*64*k:], 64, 64*k, c, 64*tiles, 1, 1, nil, 0, tiles)
					}
				})
				res[i] = append(res[i], float64(reps)*2*6*64*float64(k*tiles)/d.Seconds()/1e9)
			}
		}
		for i, f := range fns {
			fmt.Printf("k=%d strips=%d (B %d KB) tiles=%d %-6s %.1f GFLOPS\n", k, strips, 64*k*strips*4/1024, tiles, f.name, med(res[i]))
		}
	}
}

// TestTuneS4Gen (NNCC_TUNE=1) swaps the AVX-512 general kernel for its
// variants in full products.
func TestTuneS4Gen(t *testing.T) {
	if os.Getenv("NNCC_TUNE") == "" {
		t.Skip("set NNCC_TUNE=1")
	}
	kr := kernelFor(isa.AVX512)
	vs := []variant{
		{"base", func() {}},
		{"bcst", func() { kr.fnG = amd64.Sgemm6x64GenBcstAVX512 }},
		{"pf", func() { kr.fnG = amd64.Sgemm6x64GenPfAVX512 }},
	}
	abRun(t, isa.AVX512, tuneShapes(), vs, []int{1})
}

// TestTuneS4Order (NNCC_TUNE=1) compares the row-by-row order (B block
// in L2, A panel in L1) with column by column (B strip in L1, packed A
// block in L2) at several blockings.
func TestTuneS4Order(t *testing.T) {
	if os.Getenv("NNCC_TUNE") == "" {
		t.Skip("set NNCC_TUNE=1")
	}
	l := tuneLevel()
	kr := kernelFor(l)
	cfg := func(kc, nc, mc int, cols bool, packA bool) variant {
		name := fmt.Sprintf("kc%d nc%d mc%d cols=%v packA=%v", kc, nc, mc, cols, packA)
		return variant{name, func() {
			kr.kc, kr.nc, kr.mc, colsOuter = kc, nc, mc, cols
			if packA {
				directATiles = 0
			}
		}}
	}
	vs := []variant{{"base", func() {}}}
	if l == isa.AVX512 {
		vs = append(vs, cfg(128, 512, 1024, true, true), cfg(128, 1024, 1024, true, true), cfg(160, 512, 768, true, true), cfg(128, 512, 1024, false, false), cfg(512, 128, 1536, false, true))
	} else {
		vs = append(vs, cfg(256, 512, 1024, true, true), cfg(256, 1024, 512, true, true), cfg(384, 256, 1536, false, false), cfg(512, 256, 1536, false, false), cfg(256, 512, 1536, false, false))
	}
	abRun(t, l, tuneShapes(), vs, []int{1})
}

// TestTuneS4Pack (NNCC_TUNE=1) compares B packing by rows in assembly
// (with prefetch) against copy per row: the packing alone over a
// 1024×1024 B in blocks of kc×nc, then whole products.
func TestTuneS4Pack(t *testing.T) {
	if os.Getenv("NNCC_TUNE") == "" {
		t.Skip("set NNCC_TUNE=1")
	}
	saved := packBRowsArch
	defer func() { packBRowsArch = saved }()
	const n = 1024
	b := randSlice(n*n, 3)
	dst := make([]float32, 512*64)
	fns := []struct {
		name string
		f    func(b []float32, ldb, p0, kc, j0, cols, nr int, dst []float32) bool
	}{{"copy", packBRowsPortable}, {"asm", saved}}
	for _, nr := range []int{64, 16} {
		kc := 512
		res := make([][]float64, len(fns))
		for range 9 {
			for i, f := range fns {
				packBRowsArch = f.f
				d := onThreadCPU(5, func() {
					for pc := 0; pc < n; pc += kc {
						for j := 0; j < n; j += nr {
							packBStrip(false, b, n, pc, kc, j, nr, nr, dst)
						}
					}
				})
				res[i] = append(res[i], d.Seconds()*1e6)
			}
		}
		for i, f := range fns {
			fmt.Printf("pack 1024x1024 B nr=%d %-5s %.0f µs\n", nr, f.name, med(res[i]))
		}
	}
	packBRowsArch = saved
	vs := []variant{{"asm", func() {}}, {"copy", func() { packBRowsArch = packBRowsPortable }}}
	abRun(t, tuneLevel(), tuneShapes(), vs, []int{1, 2})
}
