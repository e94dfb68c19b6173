package amd64

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"golang.org/x/sys/cpu"
)

// TestConvTZip2AgainstTwin compares ConvTZip2AVX512 with its twin over
// n = 0..70 and a large n, at every offset of dst within a cache line,
// with NaN guards around every buffer (nothing outside dst[:2n] may be
// written) and the inputs checked unmodified.
func TestConvTZip2AgainstTwin(t *testing.T) {
	if runtime.GOARCH != "amd64" || !(cpu.X86.HasAVX512F && cpu.X86.HasAVX512BW && cpu.X86.HasAVX512VL && cpu.X86.HasFMA) {
		t.Skip("no AVX-512 on this CPU")
	}
	r := rand.New(rand.NewPCG(3, 4))
	const guard = 17
	nan := float32(math.NaN())
	for _, n := range append(convTZipSizes(71), 1000, 1029) {
		off := r.IntN(16)
		a := make([]float32, n+2*guard)
		b := make([]float32, n+2*guard)
		for i := range a {
			a[i], b[i] = nan, nan
		}
		for i := range n {
			a[guard+i], b[guard+i] = r.Float32()*2-1, r.Float32()*2-1
		}
		a0, b0 := append([]float32(nil), a...), append([]float32(nil), b...)
		got := make([]float32, 2*n+2*guard+off)
		want := make([]float32, len(got))
		for i := range got {
			got[i], want[i] = nan, nan
		}
		bias := r.Float32() - 0.5
		ConvTZip2AVX512(got[guard+off:guard+off+2*n], a[guard:guard+n], b[guard:guard+n], bias)
		ConvTZip2Go(want[guard+off:guard+off+2*n], a[guard:guard+n], b[guard:guard+n], bias)
		for i := range got {
			if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
				t.Fatalf("n %d off %d: dst[%d] = %v, want %v", n, off, i, got[i], want[i])
			}
		}
		for i := range a {
			if math.Float32bits(a[i]) != math.Float32bits(a0[i]) || math.Float32bits(b[i]) != math.Float32bits(b0[i]) {
				t.Fatalf("n %d: input %d modified", n, i)
			}
		}
	}
}

func convTZipSizes(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}
