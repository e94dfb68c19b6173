package sgemm

// Session-5 tuning runs (NNCC_TUNE=1; NNCC_TUNE_ISA, NNCC_TUNE_ROUNDS,
// NNCC_TUNE_CASES "name,…" to keep some cases). The machine was the Zen 5
// VM under heavy load (load average 10-21 on two vCPUs), so every figure
// is the median over rounds of a rate divided by the FMA peak loop's rate
// for the same FLOPs, measured right before it on the same thread
// (TestTuneS5Parts; the same pairing as kbench's paired_pct_of_peak).
// AVX-512 1024³ unless said:
//
//   - Where the time goes (four runs): the micro-kernel alone over the
//     product's calls with A panel, B strip and C tile fixed (B strip in
//     L2) 97.7-100%; the same loops with A read in place 92-97.5%, with
//     the B strips of a prepacked B 94-97%, with the real C 96-99%, all
//     three 87-95%; SgemmPacked 85-94%; Sgemm 81-91%. So the kernel and
//     the B stream from L2 are at the peak; the losses are memory (A's
//     rows re-read from L3 once per column block, B strips' first pass,
//     C) and packing B (SgemmPacked +2.5-4% over Sgemm; packing a 1024²
//     B alone takes 150-185 µs from L3, 270-320 µs from memory,
//     TestTuneS5PackTime, i.e. 1-2.5% of the product).
//   - Packing B is not prefetch-bound: PackBRowsAVX prefetching 8, 16,
//     32 or 64 rows ahead, with PREFETCHT0, T1 or T2, packed a 1024² B in
//     the same time (hot 194-251 µs, cold 354-403 µs medians in one
//     interleaved run).
//   - "B not packed" (packing skipped, wrong result) ran as fast as
//     SgemmPacked: packing is the whole gap between the two (2.5-4.5%
//     depending on the load).
//   - Tried and dropped, all within ±1% of the current code over 60-150
//     interleaved rounds: prefetching the next row tile's A rows in the
//     micro-kernel's k loop; PackBRowsAVX prefetching 16 or 32 rows ahead
//     in full products; prefetching the next B block's source rows across the last
//     4-40 (or all) row tiles of the current block, so that packing reads
//     L2; nc 128 or 192 (two or three tiles per call, half or a third of
//     the A traffic); row blocks of 8-32 tiles outer with a prepacked B
//     (A block in L2, B strips streamed per row block) 84-86% against
//     87% for the current order; A always packed 72-75% against 80.6%
//     (the packed A of all rows, 4 MB, streams from L3 like A itself and
//     costs its packing on top). AVX2 (kc 384 × nc 512 now): kc 1024 ×
//     nc 64 or 32, kc 512 × nc 128, kc 256 × nc 256, nc 128 or 192 all
//     level or 1-4% slower.
//   - A, B and C in 2 MB pages (MADV_HUGEPAGE, TestTuneS5HugePages):
//     86.4-86.6% against 83.9-85.1% on the Go heap in two runs; any one
//     operand alone in huge pages level. The operands are the caller's
//     memory (the runtime's arena), so this is not the kernels' to change.

import (
	"fmt"
	"os"
	"runtime"
	"sort"
	"strings"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"

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
// rounds, interleaved with the FMA peak loop for the same FLOPs, and
// prints median and p90 GFLOPS and the median over rounds of the case's
// rate over the peak loop's.
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
// product, B prepacked, blockings, and the driver's loops over the
// micro-kernel with each operand real or fixed.
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
	gemm := func() { Sgemm(false, false, m, m, m, 1, a, m, b, m, 0, c, m, nil) }
	// The driver's loops (column strips outer, row tiles inner, one k
	// block) with each operand either real (streamed as in the product)
	// or one fixed buffer (A panel in L1, B strip in L2, C tile in L1).
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
						bv := bs
						if realB {
							bv = pb.data[jc*m+pc*nr:]
						}
						cv, ldc := ct, nr
						if realC {
							cv, ldc = c[i*m+jc:], m
						}
						beta := float32(0)
						if pc > 0 {
							beta = 1
						}
						kr.fnG(kcb, av, rsa, csa, bv, nr, 0, cv, ldc, 1, beta, nil, 0, 1)
					}
				}
			}
		}
	}
	// icLoop: row blocks of mcT row tiles outer (A block in L2), the
	// strips of the prepacked B streamed per row block (one k block).
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
	lf := 2.0 * float64(m/mr*mr) * m * m // the loops skip the partial row tile
	cs := []s5case{
		{"Sgemm", flops, gemm},
		{"SgemmPacked (B prepacked)", flops, func() { SgemmPacked(false, m, 1, a, m, pb, 0, c, m, nil, nil) }},
		{"Sgemm nc128", flops, withBlock(kr, kr.kc, 128, gemm)},
		{"Sgemm kc512 nc128", flops, withBlock(kr, 512, 128, gemm)},
		{"Sgemm kc1024 nc64", flops, withBlock(kr, 1024, 64, gemm)},
		{"Sgemm B not packed (wrong result)", flops, func() {
			saved := packBRowsArch
			packBRowsArch = func([]float32, int, int, int, int, int, []float32) bool { return true }
			gemm()
			packBRowsArch = saved
		}},
		{"Sgemm again", flops, gemm},
		{"loop all fixed", lf, loop(false, false, false)},
		{"loop real A", lf, loop(true, false, false)},
		{"loop real B", lf, loop(false, true, false)},
		{"loop real C", lf, loop(false, false, true)},
		{"loop real A B C", lf, loop(true, true, true)},
		{"icloop 16 tiles", lf, icLoop(16)},
	}
	s5Interleave(l, flops, s5Filter(cs), s5Rounds(40))
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

// withPackedA runs f with A always packed (never read in place).
func withPackedA(f func()) func() {
	return func() {
		saved := directATiles
		directATiles = 0
		f()
		directATiles = saved
	}
}

// TestTuneS5PackTime (NNCC_TUNE=1) times packing a 1024² B into 16
// strips of 1024×64 (the B packing of one AVX-512 1024³ product), with B
// hot (just packed) or cold (16 MB of other data read in between).
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
		hot = append(hot, (threadCPU()-t0).Seconds()*1e6)
		var s float32
		for _, v := range junk {
			s += v
		}
		sink32 = s
		t0 = threadCPU()
		pack()
		cold = append(cold, (threadCPU()-t0).Seconds()*1e6)
	}
	fmt.Printf("pack 1024² B (kc 1024, nr 64): hot med %.0f µs p10 %.0f, cold med %.0f µs p10 %.0f\n", med(hot), p10(hot), med(cold), p10(cold))
}

var sink32 float32

func p10(v []float64) float64 {
	w := append([]float64(nil), v...)
	sort.Float64s(w)
	return w[len(w)/10]
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

// TestTuneS5HugePages (NNCC_TUNE=1) compares 1024³ with A, B and C on the
// Go heap against the same product with them in anonymous memory marked
// MADV_HUGEPAGE (2 MB pages where the kernel grants them), interleaved.
func TestTuneS5HugePages(t *testing.T) {
	if os.Getenv("NNCC_TUNE") == "" {
		t.Skip("set NNCC_TUNE=1")
	}
	l := tuneLevel()
	defer isa.Force(l)()
	const m = 1024
	huge := func(n int) []float32 {
		buf, err := unix.Mmap(-1, 0, 4*n+(2<<20), unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANON)
		if err != nil {
			t.Fatal(err)
		}
		off := (2<<20 - int(uintptr(unsafe.Pointer(&buf[0])))%(2<<20)) % (2 << 20)
		buf = buf[off:]
		if err := unix.Madvise(buf, unix.MADV_HUGEPAGE); err != nil {
			t.Fatal(err)
		}
		return unsafe.Slice((*float32)(unsafe.Pointer(&buf[0])), n)
	}
	a, b, c := randSlice(m*m, 1), randSlice(m*m, 2), make([]float32, m*m)
	ha, hb, hc := huge(m*m), huge(m*m), huge(m*m)
	copy(ha, a)
	copy(hb, b)
	flops := 2.0 * m * m * m
	cs := []s5case{
		{"Sgemm heap", flops, func() { Sgemm(false, false, m, m, m, 1, a, m, b, m, 0, c, m, nil) }},
		{"Sgemm huge pages", flops, func() { Sgemm(false, false, m, m, m, 1, ha, m, hb, m, 0, hc, m, nil) }},
		{"Sgemm huge B only", flops, func() { Sgemm(false, false, m, m, m, 1, a, m, hb, m, 0, c, m, nil) }},
		{"Sgemm huge A only", flops, func() { Sgemm(false, false, m, m, m, 1, ha, m, b, m, 0, c, m, nil) }},
		{"Sgemm huge C only", flops, func() { Sgemm(false, false, m, m, m, 1, a, m, b, m, 0, hc, m, nil) }},
		{"Sgemm heap again", flops, func() { Sgemm(false, false, m, m, m, 1, a, m, b, m, 0, c, m, nil) }},
	}
	s5Interleave(l, flops, cs, s5Rounds(40))
	if s, err := os.ReadFile("/proc/self/smaps_rollup"); err == nil {
		for _, line := range strings.Split(string(s), "\n") {
			if strings.HasPrefix(line, "AnonHugePages") {
				fmt.Println(line)
			}
		}
	}
}
