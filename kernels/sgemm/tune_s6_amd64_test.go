package sgemm

// Session-6 tuning runs (NNCC_TUNE=1; NNCC_TUNE_ISA, NNCC_TUNE_ROUNDS,
// NNCC_TUNE_CASES as in tune_s5_amd64_test.go). The VM (Zen 5, two vCPUs,
// no hardware counters) ran at load average 8-15 throughout, so figures
// are medians of rate/peak-loop over 30-200 interleaved rounds, AVX-512
// 1024³; differences under 2 points are noise.
//
//   - Parts (TestTuneS5Parts): micro-kernel with A panel, B strip and C
//     tile fixed 96.3%; real A 91.4, real B 94.3, real C 93.8, all real
//     85.5; SgemmPacked 84.4; Sgemm 79.9 (same run). The losses add up.
//   - Row strides of 1024 (4 KB) against 1025, 1040, 1088 for A alone or
//     A, B and C: all within 85.9-90.4%, no aliasing case
//     (TestTuneS6Stride).
//   - The packed-B scratch in 2 MB pages (MADV_HUGEPAGE), with or without
//     C there too: 90.4-90.9 against 89.6-90.9 on the heap
//     (TestTuneS6HugeScratch). Not adopted.
//   - Software prefetch in the general kernel's k loop: A 32-256 steps
//     ahead with PREFETCHT0 or PREFETCHNTA (NTA so that A's stream would
//     not push the B strip out of L2), B 4-16 steps ahead, the C tile
//     prefetched 32-256 steps before the end instead of at the start: all
//     within ±1.5 points of the kernel as it is, over 100-200 rounds.
//   - Packing B along: a copying variant of the AVX-512 general kernel
//     (one 64-float row of the next column block's B strip per four k
//     steps, in the load/store slots the FMAs leave, plus a prefetch of
//     the next call's rows), the blocks' buffers swapping. The ceiling
//     (copies skipped, wrong result) was only +1.8 points; the real
//     thing ran level with packing before each block (86.2/87.3 against
//     86.7/86.7 over 200 rounds), with the copies from a hot source +0.6.
//     Dropped (the code is not kept).
//   - Two threads (TestTuneS6Par, GFLOPS per CPU-second, interleaved
//     with one thread): column parts 2.00x (AVX-512) and 1.99x (AVX2),
//     row parts (B packed once, shared) 1.85x and 1.78x. The 1.71-1.89x
//     of `nncc kernels` came from comparing rows measured at different
//     moments; its two-thread rows now carry paired_vs_one_thread.

import (
	"fmt"
	"os"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/nncc/nncc/kernels/isa"
)

// TestTuneS6Stride (NNCC_TUNE=1) compares 1024³ with every row stride
// 1024 (4 KB: all rows of a tile in the same L1 sets) against strides of
// 1025 and 1040 floats, interleaved.
func TestTuneS6Stride(t *testing.T) {
	if os.Getenv("NNCC_TUNE") == "" {
		t.Skip("set NNCC_TUNE=1")
	}
	l := tuneLevel()
	defer isa.Force(l)()
	const m = 1024
	flops := 2.0 * m * m * m
	var cs []s5case
	for _, ld := range []int{1024, 1025, 1040, 1024 + 64} {
		a, b, c := randSlice(m*ld, 1), randSlice(m*ld, 2), make([]float32, m*ld)
		cs = append(cs, s5case{"Sgemm ld " + itoa(ld), flops, func() { Sgemm(false, false, m, m, m, 1, a, ld, b, ld, 0, c, ld, nil) }})
		cs = append(cs, s5case{"Sgemm lda only " + itoa(ld), flops, func() { Sgemm(false, false, m, m, m, 1, a, ld, b[:m*m], m, 0, c[:m*m], m, nil) }})
	}
	s5Interleave(l, flops, s5Filter(cs), s5Rounds(30))
}

func itoa(v int) string {
	s := ""
	for {
		s = string(rune('0'+v%10)) + s
		v /= 10
		if v == 0 {
			return s
		}
	}
}

// hugeFloats returns n floats of anonymous memory 2 MB-aligned and marked
// MADV_HUGEPAGE.
func hugeFloats(t *testing.T, n int) []float32 {
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

// TestTuneS6HugeScratch (NNCC_TUNE=1) runs 1024³ with the packed-B
// scratch buffer on the Go heap against one in 2 MB pages.
func TestTuneS6HugeScratch(t *testing.T) {
	if os.Getenv("NNCC_TUNE") == "" {
		t.Skip("set NNCC_TUNE=1")
	}
	l := tuneLevel()
	defer isa.Force(l)()
	const m = 1024
	flops := 2.0 * m * m * m
	a, b, c := randSlice(m*m, 1), randSlice(m*m, 2), make([]float32, m*m)
	heapB := make([]float32, 1<<20)
	hugeB := hugeFloats(t, 1<<20)
	hugeC := hugeFloats(t, m*m)
	with := func(buf []float32, c []float32) func() {
		return func() {
			s := scratchPool.Get().(*scratch)
			s.b = buf[:0]
			scratchPool.Put(s)
			Sgemm(false, false, m, m, m, 1, a, m, b, m, 0, c, m, nil)
		}
	}
	cs := []s5case{
		{"Sgemm heap scratch", flops, with(heapB, c)},
		{"Sgemm huge scratch", flops, with(hugeB, c)},
		{"Sgemm huge scratch+C", flops, with(hugeB, hugeC)},
		{"Sgemm heap scratch again", flops, with(heapB, c)},
		{"Sgemm huge scratch again", flops, with(hugeB, c)},
	}
	s5Interleave(l, flops, s5Filter(cs), s5Rounds(30))
}

// TestTuneS6Par (NNCC_TUNE=1) compares 1024³ on two threads cut into
// column parts (A read in place by both threads, each packing its own B
// blocks) and into row parts (B packed once, shared; each thread reads
// half of A), interleaved with one thread, in GFLOPS per CPU-second.
func TestTuneS6Par(t *testing.T) {
	if os.Getenv("NNCC_TUNE") == "" {
		t.Skip("set NNCC_TUNE=1")
	}
	l := tuneLevel()
	defer isa.Force(l)()
	w := newWorkers(2)
	defer w.close()
	m, n, k := 1024, 1024, 1024
	a, b, c := randSlice(m*k, 1), randSlice(k*n, 2), make([]float32, m*n)
	flops := 2.0 * float64(m*n*k)
	one := func() { Sgemm(false, false, m, n, k, 1, a, k, b, n, 0, c, n, nil) }
	two := func() { Sgemm(false, false, m, n, k, 1, a, k, b, n, 0, c, n, w) }
	rows := func() { rowParts = true; two(); rowParts = false }
	cs := []func(){one, two, rows}
	names := []string{"1 thread", "2 threads, column parts", "2 threads, row parts"}
	res := make([][]float64, len(cs))
	for _, f := range cs {
		f()
	}
	for range s5Rounds(40) {
		for i, f := range cs {
			p0 := processCPU()
			f()
			d := (processCPU() - p0).Seconds()
			if i > 0 {
				d /= 2
			}
			res[i] = append(res[i], flops/d/1e9)
		}
	}
	for i := range cs {
		fmt.Printf("%v 1024³ %-26s med %6.1f p90 %6.1f GFLOPS (%.2fx one thread)\n", l, names[i], med(res[i]), p90(res[i]), med(res[i])/med(res[0]))
	}
}
