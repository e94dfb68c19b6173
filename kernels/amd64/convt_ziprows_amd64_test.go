package amd64

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"golang.org/x/sys/cpu"
)

// TestConvTZipRowsAgainstTwin compares ConvTZipRowsAVX512 with its twin
// over n = 0..70 and two large n, 1 to 3 rows with padded strides, with
// and without the ReLU, at every offset of dst within a cache line, with
// NaN guards around every buffer and between rows (nothing else of dst
// may be written), NaN and negative zero in the inputs, and the inputs
// checked unmodified.
func TestConvTZipRowsAgainstTwin(t *testing.T) {
	if runtime.GOARCH != "amd64" || !(cpu.X86.HasAVX512F && cpu.X86.HasAVX512BW && cpu.X86.HasAVX512VL && cpu.X86.HasFMA) {
		t.Skip("no AVX-512 on this CPU")
	}
	r := rand.New(rand.NewPCG(3, 4))
	const guard = 17
	nan := float32(math.NaN())
	sizes := make([]int, 0, 73)
	for n := range 71 {
		sizes = append(sizes, n)
	}
	for _, n := range append(sizes, 1000, 1029) {
		for _, rows := range []int{1, 2, 3} {
			for relu := range 2 {
				off := r.IntN(16)
				lds := (n+1)/2 + r.IntN(3)
				ldd := n + r.IntN(5)
				srcLen := (rows-1)*lds + (n+1)/2
				a := make([]float32, srcLen+2*guard)
				b := make([]float32, srcLen+2*guard)
				for i := range a {
					a[i], b[i] = nan, nan
				}
				for i := range srcLen {
					a[guard+i], b[guard+i] = r.Float32()*2-1, r.Float32()*2-1
				}
				if srcLen > 3 {
					a[guard+1], b[guard+2] = nan, float32(math.Copysign(0, -1))
				}
				a0, b0 := append([]float32(nil), a...), append([]float32(nil), b...)
				dstLen := (rows-1)*ldd + n
				got := make([]float32, dstLen+2*guard+off)
				want := make([]float32, len(got))
				for i := range got {
					got[i], want[i] = nan, nan
				}
				bias := r.Float32() - 0.5
				if relu == 1 && n%3 == 0 {
					bias = 0 // negative zero from b stays
				}
				d := got[guard+off : guard+off+dstLen]
				ConvTZipRowsAVX512(d, a[guard:guard+srcLen], b[guard:guard+srcLen], n, rows, ldd, lds, relu, bias)
				ConvTZipRowsGo(want[guard+off:guard+off+dstLen], a[guard:guard+srcLen], b[guard:guard+srcLen], n, rows, ldd, lds, relu, bias)
				for i := range got {
					if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
						t.Fatalf("n %d rows %d relu %d off %d: dst[%d] = %v, want %v", n, rows, relu, off, i, got[i], want[i])
					}
				}
				for i := range a {
					if math.Float32bits(a[i]) != math.Float32bits(a0[i]) || math.Float32bits(b[i]) != math.Float32bits(b0[i]) {
						t.Fatalf("n %d: input %d modified", n, i)
					}
				}
			}
		}
	}
}
