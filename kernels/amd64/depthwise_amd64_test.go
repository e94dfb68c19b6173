package amd64

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"

	"golang.org/x/sys/cpu"
)

type dwRowKernel func(dst, r0, r1, r2, k []float32, b float32, stride int)

func TestDw3x3RowAgainstTwin(t *testing.T) {
	avx2 := runtime.GOARCH == "amd64" && cpu.X86.HasAVX2 && cpu.X86.HasFMA
	avx512 := avx2 && cpu.X86.HasAVX512F && cpu.X86.HasAVX512BW && cpu.X86.HasAVX512VL
	variants := []struct {
		name string
		fn   dwRowKernel
		ok   bool
	}{
		{"avx512", Dw3x3RowAVX512, avx512},
		{"avx2", Dw3x3RowAVX2, avx2},
	}
	r := rand.New(rand.NewPCG(7, 8))
	for _, v := range variants {
		if !v.ok {
			t.Logf("%s: not supported on this CPU, skipped", v.name)
			continue
		}
		t.Run(v.name, func(t *testing.T) {
			for _, stride := range []int{1, 2} {
				for n := 0; n <= 70; n++ {
					for _, extra := range []int{0, 1, 5} {
						runDwRow(t, r, v.fn, n, stride, extra)
					}
				}
				runDwRow(t, r, v.fn, 1001, stride, 0)
				runDwRow(t, r, v.fn, 4096, stride, 3)
			}
		})
	}
}

// runDwRow checks n outputs with rows holding exactly the values needed
// plus extra, inside NaN guard regions.
func runDwRow(t *testing.T, r *rand.Rand, fn dwRowKernel, n, stride, extra int) {
	t.Helper()
	nr := extra
	if n > 0 {
		nr += (n-1)*stride + 3
	}
	var full [3][]float32
	var rows [3][]float32
	for i := range rows {
		full[i], rows[i] = guardedFill(r, nr)
	}
	kFull, k := guardedFill(r, 9)
	b := float32(r.IntN(9) - 4)
	dFull, dst := guarded(n)
	wFull, want := guarded(n)
	saved := [3][]float32{slices.Clone(rows[0]), slices.Clone(rows[1]), slices.Clone(rows[2])}
	kCopy := slices.Clone(k)
	Dw3x3RowGo(want, rows[0], rows[1], rows[2], k, b, stride)
	fn(dst, rows[0], rows[1], rows[2], k, b, stride)
	what := fmt.Sprintf("n=%d stride=%d extra=%d", n, stride, extra)
	for i := range rows {
		checkGuards(t, what+" row", full[i], nr)
		if !slices.Equal(rows[i], saved[i]) {
			t.Fatalf("%s: row %d modified", what, i)
		}
	}
	checkGuards(t, what+" k", kFull, 9)
	checkGuards(t, what+" dst", dFull, n)
	checkGuards(t, what+" twin", wFull, n)
	if !slices.Equal(k, kCopy) {
		t.Fatalf("%s: k modified", what)
	}
	for i := range dst {
		// Small integers: every partial sum is exact, so the summation
		// order cannot matter.
		if dst[i] != want[i] || math.IsNaN(float64(dst[i])) {
			t.Fatalf("%s: dst[%d] = %v, twin %v", what, i, dst[i], want[i])
		}
	}
}

func TestDw3x3RowsAgainstTwin(t *testing.T) {
	if !hasAVX512() {
		t.Skip("no AVX-512")
	}
	r := rand.New(rand.NewPCG(9, 10))
	for _, stride := range []int{1, 2} {
		for n := 1; n <= 70; n++ {
			for _, rows := range []int{0, 1, 3} {
				for _, sh := range []int{1, 2} {
					pitch := (n-1)*stride + 3 + n%3
					step := sh * pitch
					nx := 0
					if rows > 0 {
						nx = (rows-1)*step + 2*pitch + (n-1)*stride + 3
					}
					xFull, x := guardedFill(r, nx)
					kFull, k := guardedFill(r, 9)
					xCopy := slices.Clone(x)
					dFull, dst := guarded(rows * n)
					wFull, want := guarded(rows * n)
					b := float32(r.IntN(5) - 2)
					Dw3x3RowsGo(want, x, k, b, n, stride, pitch, step)
					Dw3x3RowsAVX512(dst, x, k, b, n, stride, pitch, step)
					what := fmt.Sprintf("n=%d rows=%d stride=%d sh=%d", n, rows, stride, sh)
					checkGuards(t, what+" x", xFull, nx)
					checkGuards(t, what+" k", kFull, 9)
					checkGuards(t, what+" dst", dFull, rows*n)
					checkGuards(t, what+" twin", wFull, rows*n)
					if !slices.Equal(x, xCopy) {
						t.Fatalf("%s: x modified", what)
					}
					if !slices.Equal(dst, want) {
						t.Fatalf("%s: got %v want %v", what, dst, want)
					}
				}
			}
		}
	}
	// Large: 200 rows of 1000.
	x := make([]float32, 2*(200-1)*2003+2*2003+2*999+3)
	smallInts(r, x)
	k := make([]float32, 9)
	smallInts(r, k)
	dst, want := make([]float32, 200*1000), make([]float32, 200*1000)
	Dw3x3RowsGo(want, x, k, 1, 1000, 2, 2003, 2*2003)
	Dw3x3RowsAVX512(dst, x, k, 1, 1000, 2, 2003, 2*2003)
	if !slices.Equal(dst, want) {
		t.Fatal("large: mismatch")
	}
}
