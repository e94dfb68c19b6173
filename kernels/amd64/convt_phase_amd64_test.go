package amd64

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"golang.org/x/sys/cpu"
)

// TestConvTPhase6x64AgainstTwin compares ConvTPhase6x64AVX512 (0..3 tiles)
// and ConvTPhase6x32AVX512 (one half tile, width 32) with their Go twins
// over k = 0..70 and a large k, with offsets in any
// order (negative steps, repeats, unaligned), with NaN guards around
// every buffer and NaN in C beforehand (C must not be read); the inputs
// must come back unmodified.
func TestConvTPhase6x64AgainstTwin(t *testing.T) {
	if runtime.GOARCH != "amd64" || !(cpu.X86.HasAVX512F && cpu.X86.HasAVX512BW && cpu.X86.HasAVX512VL && cpu.X86.HasFMA) {
		t.Skip("no AVX-512 on this CPU")
	}
	r := rand.New(rand.NewPCG(8, 9))
	const guard = 19
	nan := float32(math.NaN())
	guarded := func(n int, fill func(i int) float32) (all, body []float32) {
		all = make([]float32, n+2*guard)
		for i := range all {
			all[i] = nan
		}
		body = all[guard : guard+n]
		for i := range body {
			body[i] = fill(i)
		}
		return all, body
	}
	check := func(k, tiles, ldc, width int) {
		xn := 300 + width*tiles
		_, x := guarded(xn, func(int) float32 { return r.Float32()*2 - 1 })
		_, a := guarded(6*k, func(int) float32 { return r.Float32()*2 - 1 })
		offs := make([]int, k)
		for p := range offs {
			offs[p] = r.IntN(xn - width*tiles + 1)
		}
		cn := 0
		if tiles > 0 {
			cn = 5*ldc + width*tiles
		}
		callC, gotC := guarded(cn, func(int) float32 { return nan })
		_, wantC := guarded(cn, func(int) float32 { return nan })
		x0, a0 := append([]float32(nil), x...), append([]float32(nil), a...)
		if width == 32 {
			ConvTPhase6x32AVX512(k, a, x, offs, gotC, ldc)
			ConvTPhase6x32Go(k, a, x, offs, wantC, ldc)
		} else {
			ConvTPhase6x64AVX512(k, tiles, a, x, offs, gotC, ldc)
			ConvTPhase6x64Go(k, tiles, a, x, offs, wantC, ldc)
		}
		for i := range x {
			if math.Float32bits(x[i]) != math.Float32bits(x0[i]) {
				t.Fatalf("k %d tiles %d: x[%d] modified", k, tiles, i)
			}
		}
		for i := range a {
			if math.Float32bits(a[i]) != math.Float32bits(a0[i]) {
				t.Fatalf("k %d tiles %d: a[%d] modified", k, tiles, i)
			}
		}
		for i := range callC {
			in := i >= guard && i < guard+cn
			if !in {
				if !math.IsNaN(float64(callC[i])) {
					t.Fatalf("k %d tiles %d: guard %d written", k, tiles, i)
				}
				continue
			}
			j := i - guard
			row, col := j/ldc, j%ldc
			if row > 5 || col >= width*tiles {
				if !math.IsNaN(float64(gotC[j])) {
					t.Fatalf("k %d tiles %d: c[%d] outside the tile written", k, tiles, j)
				}
				continue
			}
			g, w := gotC[j], wantC[j]
			if math.Abs(float64(g-w)) > 1e-5*(1+math.Abs(float64(w))) {
				t.Fatalf("k %d tiles %d ldc %d: c[%d] = %v, want %v", k, tiles, ldc, j, g, w)
			}
		}
	}
	for k := 0; k <= 70; k++ {
		for tiles := range 4 {
			check(k, tiles, 64*tiles+r.IntN(9), 64)
		}
		check(k, 1, 32+r.IntN(9), 32)
	}
	check(700, 5, 330, 64)
	check(700, 1, 40, 32)
}
