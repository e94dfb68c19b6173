package amd64

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"golang.org/x/sys/cpu"
)

// TestConvTTransposeAgainstTwin compares ConvTTransposeAVX512 with its
// twin bit for bit over os = 0..70, mg = 1..19, random plane ranges,
// with and without a bias and the ReLU, with NaN guards around y and
// around every value of yt the planes do not read (none may reach y),
// NaN and negative zero among the read values, and yt checked
// unmodified.
func TestConvTTransposeAgainstTwin(t *testing.T) {
	if runtime.GOARCH != "amd64" || !(cpu.X86.HasAVX512F && cpu.X86.HasAVX512BW && cpu.X86.HasAVX512VL && cpu.X86.HasFMA) {
		t.Skip("no AVX-512 on this CPU")
	}
	r := rand.New(rand.NewPCG(9, 10))
	const guard = 17
	nan := float32(math.NaN())
	for os := range 71 {
		for mg := 1; mg < 20; mg++ {
			m0 := r.IntN(mg)
			m1 := m0 + r.IntN(mg-m0+1)
			relu := r.IntN(2)
			yt := make([]float32, os*mg+2*guard)
			for i := range yt {
				yt[i] = nan
			}
			for o := range os {
				for m := m0; m < m1; m++ {
					v := r.Float32()*2 - 1
					switch r.IntN(30) {
					case 0:
						v = nan
					case 1:
						v = float32(math.Copysign(0, -1))
					}
					yt[guard+o*mg+m] = v
				}
			}
			yt0 := append([]float32(nil), yt...)
			var bias []float32
			if r.IntN(3) != 0 {
				bias = make([]float32, mg)
				for i := range bias {
					bias[i] = r.Float32() - 0.5
				}
			}
			off := r.IntN(16)
			got := make([]float32, mg*os+2*guard+off)
			want := make([]float32, len(got))
			for i := range got {
				got[i], want[i] = nan, nan
			}
			ytv := yt[guard : guard+os*mg]
			ConvTTransposeAVX512(got[guard+off:guard+off+mg*os], ytv, bias, os, mg, m0, m1, relu)
			ConvTTransposeGo(want[guard+off:guard+off+mg*os], ytv, bias, os, mg, m0, m1, relu)
			for i := range got {
				if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
					t.Fatalf("os %d mg %d planes [%d,%d) relu %d bias %v: y[%d] = %v, want %v", os, mg, m0, m1, relu, bias != nil, i, got[i], want[i])
				}
			}
			for i := range yt {
				if math.Float32bits(yt[i]) != math.Float32bits(yt0[i]) {
					t.Fatalf("os %d mg %d: yt[%d] modified", os, mg, i)
				}
			}
		}
	}
}
