package sgemm

// Session-6 tuning runs (NNCC_TUNE=1; NNCC_TUNE_ISA, NNCC_TUNE_ROUNDS,
// NNCC_TUNE_CASES as in tune_s5_amd64_test.go).

import (
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
