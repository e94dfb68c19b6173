package amd64

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"golang.org/x/sys/cpu"
)

// TestConvTGatherRowAgainstTwin compares ConvTGatherRowAVX512 with its
// twin bit for bit over lanes 0..16, 0..4 runs in ys and per column (so
// empty lists run too), 0..9 columns and random offsets, with a NaN
// guard after every column's lanes and around dst (nothing else may be
// written) and past the end of col (no lane past lanes may be read into
// dst), negative zeros among the values, and col checked unmodified.
func TestConvTGatherRowAgainstTwin(t *testing.T) {
	if runtime.GOARCH != "amd64" || !(cpu.X86.HasAVX512F && cpu.X86.HasAVX512BW && cpu.X86.HasAVX512VL && cpu.X86.HasFMA) {
		t.Skip("no AVX-512 on this CPU")
	}
	r := rand.New(rand.NewPCG(7, 8))
	const guard = 17
	nan := float32(math.NaN())
	for iter := range 3000 {
		lanes := iter % 17
		ow := r.IntN(10)
		ld := lanes + r.IntN(3)
		const span = 60
		col := make([]float32, 2*span+lanes+guard)
		for i := range col {
			col[i] = r.Float32()*2 - 1
			if r.IntN(20) == 0 {
				col[i] = float32(math.Copysign(0, -1))
			}
		}
		for i := 2*span + lanes; i < len(col); i++ {
			col[i] = nan
		}
		col0 := append([]float32(nil), col...)
		ys := make([]int, r.IntN(5))
		for i := range ys {
			ys[i] = r.IntN(span)
		}
		xStart := []int{0}
		var xOff []int
		for range ow {
			for range r.IntN(5) {
				xOff = append(xOff, r.IntN(span+1))
			}
			xStart = append(xStart, len(xOff))
		}
		n := 0
		if ow > 0 {
			n = (ow-1)*ld + lanes
		}
		off := r.IntN(16)
		got := make([]float32, n+2*guard+off)
		want := make([]float32, len(got))
		for i := range got {
			got[i], want[i] = nan, nan
		}
		ConvTGatherRowAVX512(got[guard+off:guard+off+n], col, ys, xStart, xOff, ld, lanes)
		ConvTGatherRowGo(want[guard+off:guard+off+n], col, ys, xStart, xOff, ld, lanes)
		for i := range got {
			if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
				t.Fatalf("iter %d lanes %d ow %d ld %d ys %v xStart %v: dst[%d] = %v, want %v", iter, lanes, ow, ld, ys, xStart, i, got[i], want[i])
			}
		}
		for i := range col {
			if math.Float32bits(col[i]) != math.Float32bits(col0[i]) {
				t.Fatalf("iter %d: col[%d] modified", iter, i)
			}
		}
	}
}
