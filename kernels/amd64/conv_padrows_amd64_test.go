package amd64

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"golang.org/x/sys/cpu"
)

// TestConvPadRowsAgainstTwin compares ConvPadRowsAVX512 with its twin
// over w = 0..70 with 0..3 zeros before and 0..17 after each row (so
// every tail of both masks runs), 0 to 3 rows, at random offsets of dst
// within a cache line, with NaN guards around dst and src (nothing past
// rows·wq may be written, nothing past rows·w read into dst) and src
// checked unmodified.
func TestConvPadRowsAgainstTwin(t *testing.T) {
	if runtime.GOARCH != "amd64" || !(cpu.X86.HasAVX512F && cpu.X86.HasAVX512BW && cpu.X86.HasAVX512VL && cpu.X86.HasFMA) {
		t.Skip("no AVX-512 on this CPU")
	}
	r := rand.New(rand.NewPCG(5, 6))
	const guard = 17
	nan := float32(math.NaN())
	for w := range 71 {
		for _, left := range []int{0, 1, 3} {
			for _, right := range []int{0, 1, 2, 17} {
				for rows := range 4 {
					wq := left + w + right
					off := r.IntN(16)
					src := make([]float32, rows*w+2*guard)
					for i := range src {
						src[i] = nan
					}
					for i := range rows * w {
						src[guard+i] = r.Float32()*2 - 1
					}
					src0 := append([]float32(nil), src...)
					got := make([]float32, rows*wq+2*guard+off)
					want := make([]float32, len(got))
					for i := range got {
						got[i], want[i] = nan, nan
					}
					ConvPadRowsAVX512(got[guard+off:guard+off+rows*wq], src[guard:guard+rows*w], rows, w, wq, left)
					ConvPadRowsGo(want[guard+off:guard+off+rows*wq], src[guard:guard+rows*w], rows, w, wq, left)
					for i := range got {
						if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
							t.Fatalf("w %d left %d wq %d rows %d: dst[%d] = %v, want %v", w, left, wq, rows, i, got[i], want[i])
						}
					}
					for i := range src {
						if math.Float32bits(src[i]) != math.Float32bits(src0[i]) {
							t.Fatalf("w %d: src[%d] modified", w, i)
						}
					}
				}
			}
		}
	}
}
