package sgemm

import (
	"fmt"
	"os"
	"runtime"
	"sort"
	"strings"
	"testing"

	"github.com/nncc/nncc/kernels/amd64"
	"github.com/nncc/nncc/kernels/isa"
)

// s5case is one timed variant of TestTuneS5Parts: run does flops FLOPs.
type s5case struct {
	name  string
	flops float64
	run   func()
}

// s5Interleave times each case once per round (thread CPU time) over
// rounds, interleaved, and prints median and p90 GFLOPS and the ratio of
// the medians of per-round rate / peak-loop rate.
func s5Interleave(l isa.Level, flops float64, cs []s5case, rounds int) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	peak := amd64.FMAPeakAVX512
	pf := 768.0
	if l == isa.AVX2 {
		peak, pf = amd64.FMAPeakAVX2, 192
	}
	pr := int(flops / pf)
	all := append([]s5case{{"fma peak loop", flops, func() { peak(pr) }}}, cs...)
	res := make([][]float64, len(all))
	rel := make([][]float64, len(all))
	for _, c := range all {
		c.run()
	}
	for range rounds {
		var p float64
		for i, c := range all {
			t0 := threadCPU()
			c.run()
			g := c.flops / (threadCPU() - t0).Seconds() / 1e9
			if i == 0 {
				p = g
			}
			res[i] = append(res[i], g)
			rel[i] = append(rel[i], g/p)
		}
	}
	for i, c := range all {
		fmt.Printf("%v %-34s med %6.1f p90 %6.1f  med(rate/peak) %5.1f%%\n", l, c.name, med(res[i]), p90(res[i]), 100*med(rel[i]))
	}
}

// TestTuneS5Parts (NNCC_TUNE=1) splits 1024³ into its parts: the full
// product, B prepacked, and the micro-kernel alone over the same calls.
func TestTuneS5Parts(t *testing.T) {
	if os.Getenv("NNCC_TUNE") == "" {
		t.Skip("set NNCC_TUNE=1")
	}
	l := tuneLevel()
	defer isa.Force(l)()
	kr := kernelFor(l)
	const m = 1024
	a, b, c := randSlice(m*m, 1), randSlice(m*m, 2), make([]float32, m*m)
	pb := PackB(false, m, m, b, m)
	flops := 2.0 * m * m * m
	mr, nr := kr.mr, kr.nr
	// The driver's loops (jc outer, row tiles inner, one k block) with
	// each operand either real (streamed as in the product) or one fixed
	// buffer (A panel in L1, B strip in L2, C tile in L1).
	kcb := balance(m, kr.kc, 1)
	ap := randSlice(mr*kcb, 5)
	bs := randSlice(kcb*nr, 6)
	ct := make([]float32, mr*nr)
	loop := func(realA, realB, realC bool) func() {
		return func() {
			for pc := 0; pc < m; pc += kcb {
				for jc := 0; jc < m; jc += nr {
					for i := 0; i+mr <= m; i += mr {
						av, rsa, csa := ap, 1, mr
						if realA {
							av, rsa, csa = a[i*m+pc:], m, 1
						}
						bv, ldb := bs, nr
						if realB {
							off := jc*m + pc*nr
							bv = pb.data[off:]
						}
						cv, ldc := ct, nr
						if realC {
							cv, ldc = c[i*m+jc:], m
						}
						beta := float32(0)
						if pc > 0 {
							beta = 1
						}
						kr.fnG(kcb, av, rsa, csa, bv, ldb, 0, cv, ldc, 1, beta, nil, 0, 1)
					}
				}
			}
		}
	}
	// icLoop: row blocks of mcT row tiles outer (A block in L2), B strips
	// (prepacked) streamed per row block.
	icLoop := func(mcT int) func() {
		return func() {
			full := m / mr
			for t0 := 0; t0 < full; t0 += mcT {
				for jc := 0; jc < m; jc += nr {
					for ti := t0; ti < min(full, t0+mcT); ti++ {
						i := ti * mr
						kr.fnG(m, a[i*m:], m, 1, pb.data[jc*m:], nr, 0, c[i*m+jc:], m, 1, 0, nil, 0, 1)
					}
				}
			}
		}
	}
	lf := 2.0 * float64(m/mr*mr) * m * m
	cs := []s5case{
		{"Sgemm", flops, func() { Sgemm(false, false, m, m, m, 1, a, m, b, m, 0, c, m, nil) }},
		{"SgemmPacked (B prepacked)", flops, func() { SgemmPacked(false, m, 1, a, m, pb, 0, c, m, nil, nil) }},
		{"Sgemm next-A prefetch", flops, func() {
			saved := kr.fnG
			kr.fnG = amd64.Sgemm6x64GenPfAVX512
			Sgemm(false, false, m, m, m, 1, a, m, b, m, 0, c, m, nil)
			kr.fnG = saved
		}},
		{"Sgemm pack pf 16 rows", flops, withPf(16, func() { Sgemm(false, false, m, m, m, 1, a, m, b, m, 0, c, m, nil) })},
		{"Sgemm pack pf 32 rows", flops, withPf(32, func() { Sgemm(false, false, m, m, m, 1, a, m, b, m, 0, c, m, nil) })},
		{"Sgemm nc128", flops, withBlock(kr, 1024, 128, func() { Sgemm(false, false, m, m, m, 1, a, m, b, m, 0, c, m, nil) })},
		{"Sgemm nc192", flops, withBlock(kr, 1024, 192, func() { Sgemm(false, false, m, m, m, 1, a, m, b, m, 0, c, m, nil) })},
		{"Sgemm nc128 pf16", flops, withBlock(kr, 1024, 128, withPf(16, func() { Sgemm(false, false, m, m, m, 1, a, m, b, m, 0, c, m, nil) }))},
		{"Sgemm no B prefetch", flops, func() {
			saved := prefetchBBytes
			prefetchBBytes = 0
			Sgemm(false, false, m, m, m, 1, a, m, b, m, 0, c, m, nil)
			prefetchBBytes = saved
		}},
		{"Sgemm B prefetch tiles 4", flops, withPfTiles(4, func() { Sgemm(false, false, m, m, m, 1, a, m, b, m, 0, c, m, nil) })},
		{"Sgemm B prefetch tiles 40", flops, withPfTiles(40, func() { Sgemm(false, false, m, m, m, 1, a, m, b, m, 0, c, m, nil) })},
		{"Sgemm B prefetch tiles 40 pf16", flops, withPfTiles(40, withPf(16, func() { Sgemm(false, false, m, m, m, 1, a, m, b, m, 0, c, m, nil) }))},
		{"Sgemm kc1024 nc64", flops, withBlock(kr, 1024, 64, func() { Sgemm(false, false, m, m, m, 1, a, m, b, m, 0, c, m, nil) })},
		{"Sgemm kc512 nc128", flops, withBlock(kr, 512, 128, func() { Sgemm(false, false, m, m, m, 1, a, m, b, m, 0, c, m, nil) })},
		{"Sgemm kc1024 nc32", flops, withBlock(kr, 1024, 32, func() { Sgemm(false, false, m, m, m, 1, a, m, b, m, 0, c, m, nil) })},
		{"Sgemm kc256 nc256", flops, withBlock(kr, 256, 256, func() { Sgemm(false, false, m, m, m, 1, a, m, b, m, 0, c, m, nil) })},
		{"Sgemm again", flops, func() { Sgemm(false, false, m, m, m, 1, a, m, b, m, 0, c, m, nil) }},
		{"loop all fixed", lf, loop(false, false, false)},
		{"loop real A", lf, loop(true, false, false)},
		{"loop real B", lf, loop(false, true, false)},
		{"loop real C", lf, loop(false, false, true)},
		{"loop real A B C", lf, loop(true, true, true)},
		{"icloop 8 tiles", lf, icLoop(8)},
		{"icloop 16 tiles", lf, icLoop(16)},
		{"icloop 32 tiles", lf, icLoop(32)},
	}
	s5Interleave(l, flops, s5Filter(cs), s5Rounds(40))
}

// TestTuneS5Block (NNCC_TUNE=1, NNCC_TUNE_BLOCKS "kc×nc,…") compares
// blockings of the level's kernel in full products on one thread.
func TestTuneS5Block(t *testing.T) {
	if os.Getenv("NNCC_TUNE") == "" {
		t.Skip("set NNCC_TUNE=1")
	}
	l := tuneLevel()
	kr := kernelFor(l)
	vs := []variant{{"base", func() {}}}
	for _, f := range strings.Split(os.Getenv("NNCC_TUNE_BLOCKS"), ",") {
		var kc, nc int
		if n, _ := fmt.Sscanf(f, "%dx%d", &kc, &nc); n != 2 {
			continue
		}
		vs = append(vs, variant{fmt.Sprintf("kc%d nc%d", kc, nc), func() { kr.kc, kr.nc = kc, nc }})
	}
	vs = append(vs, variant{"base again", func() {}})
	abRun(t, l, tuneShapes(), vs, []int{1})
}

// withPf runs f with B packed by PackBRowsPfAVX at prefetch distance dist.
func withPf(dist int, f func()) func() {
	return func() {
		saved := packBRowsArch
		packBRowsArch = func(b []float32, ldb, p0, kc, j0, nr int, dst []float32) bool {
			if !rowsAVX || nr%8 != 0 || kc <= 0 {
				return false
			}
			base := p0*ldb + j0
			_ = b[base+(kc-1)*ldb+nr-1]
			_ = dst[kc*nr-1]
			amd64.PackBRowsPfAVX(kc, b[base:], ldb, dst, nr, dist)
			return true
		}
		f()
		packBRowsArch = saved
	}
}

// s5Rounds returns NNCC_TUNE_ROUNDS or def.
func s5Rounds(def int) int {
	if r := os.Getenv("NNCC_TUNE_ROUNDS"); r != "" {
		fmt.Sscan(r, &def)
	}
	return def
}

// s5Filter keeps the cases whose name contains one of the
// comma-separated NNCC_TUNE_CASES (all when unset).
func s5Filter(cs []s5case) []s5case {
	f := os.Getenv("NNCC_TUNE_CASES")
	if f == "" {
		return cs
	}
	var out []s5case
	for _, c := range cs {
		for _, w := range strings.Split(f, ",") {
			if strings.Contains(c.name, w) {
				out = append(out, c)
				break
			}
		}
	}
	return out
}

// withBlock runs f with the kernel's kc and nc set.
func withBlock(kr *kernel, kc, nc int, f func()) func() {
	return func() {
		skc, snc := kr.kc, kr.nc
		kr.kc, kr.nc = kc, nc
		f()
		kr.kc, kr.nc = skc, snc
	}
}

// withPfTiles runs f with prefetchTiles set.
func withPfTiles(n int, f func()) func() {
	return func() {
		saved := prefetchTiles
		prefetchTiles = n
		f()
		prefetchTiles = saved
	}
}

// TestTuneS5PackTime (NNCC_TUNE=1) times packing a 1024² B into 16
// strips of 1024×64 (the B packing of one 1024³ product), with B hot
// (just packed) or cold (16 MB of other data read in between).
func TestTuneS5PackTime(t *testing.T) {
	if os.Getenv("NNCC_TUNE") == "" {
		t.Skip("set NNCC_TUNE=1")
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	const n, nr = 1024, 64
	b := randSlice(n*n, 3)
	dst := make([]float32, n*nr)
	junk := randSlice(4<<20, 4)
	pack := func() {
		for j := 0; j < n; j += nr {
			packBStrip(false, b, n, 0, n, j, nr, nr, dst)
		}
	}
	var hot, cold []float64
	for range s5Rounds(30) {
		pack()
		t0 := threadCPU()
		pack()
		hot = append(hot, (threadCPU() - t0).Seconds()*1e6)
		var s float32
		for _, v := range junk {
			s += v
		}
		sink32 = s
		t0 = threadCPU()
		pack()
		cold = append(cold, (threadCPU() - t0).Seconds()*1e6)
	}
	fmt.Printf("pack 1024² B (kc 1024, nr 64): hot med %.0f µs p10 %.0f, cold med %.0f µs p10 %.0f\n", med(hot), p10(hot), med(cold), p10(cold))
}

var sink32 float32

func p10(v []float64) float64 {
	w := append([]float64(nil), v...)
	sort.Float64s(w)
	return w[len(w)/10]
}
