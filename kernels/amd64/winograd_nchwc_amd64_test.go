package amd64

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestWinoIn43NCHWcAgainstTwin runs the AVX-512 NCHWc input transform
// against WinoIn43NCHWcGo for nt = 0…70 tiles and a large count, with the
// tight layout (ts = 16, consecutive tiles) and the layout of the batched
// products (ts = channels, vs = tiles·channels), on NaN-guarded buffers
// holding NaN and ±Inf in a few places: results bit for bit, the gaps
// between written vectors and the guards untouched, x unmodified.
func TestWinoIn43NCHWcAgainstTwin(t *testing.T) {
	if !hasAVX512() {
		t.Skip("no AVX-512")
	}
	r := rand.New(rand.NewPCG(21, 22))
	for nt := 0; nt <= 71; nt++ {
		if nt == 71 {
			nt = 300
		}
		for _, lay := range []struct{ rowPad, ts, vsPad int }{{0, 16, 0}, {16, 48, 32}, {48, 64, 7}} {
			row := (4*nt+2)*16 + lay.rowPad
			vs := max(nt-1, 0)*lay.ts + 16 + lay.vsPad
			nx := 5*row + (4*nt+2)*16
			xFull, x := guarded(nx)
			for i := range x {
				x[i] = r.Float32()*2 - 1
			}
			if nx > 0 {
				x[r.IntN(nx)] = float32(math.NaN())
				x[r.IntN(nx)] = float32(math.Inf(1))
				x[r.IntN(nx)] = float32(math.Inf(-1))
			}
			xCopy := append([]float32(nil), xFull...)
			nv := 35*vs + max(nt-1, 0)*lay.ts + 16
			gotFull, got := guarded(nv)
			wantFull, want := guarded(nv)
			WinoIn43NCHWcAVX512(got, vs, lay.ts, x, row, nt)
			WinoIn43NCHWcGo(want, vs, lay.ts, x, row, nt)
			name := fmt.Sprintf("nt=%d/row=%d/ts=%d/vs=%d", nt, row, lay.ts, vs)
			sameBits(t, name, gotFull, wantFull)
			checkGuards(t, name+" v", gotFull, nv)
			sameBits(t, name+" x unmodified", xFull, xCopy)
			checkGuards(t, name+" x", xFull, nx)
		}
	}
}

// TestWinoOut43NCHWcAgainstTwin runs the AVX-512 NCHWc output transform
// against WinoOut43NCHWcGo over strides from the tightest (ms = 16, row =
// 64) to large ones, with and without bias, residual and ReLU, with NaN,
// ±Inf and -0 among the inputs: results bit for bit, the gaps between
// output rows and the guards untouched, inputs unmodified.
func TestWinoOut43NCHWcAgainstTwin(t *testing.T) {
	if !hasAVX512() {
		t.Skip("no AVX-512")
	}
	r := rand.New(rand.NewPCG(23, 24))
	for ms := 16; ms <= 70; ms += 1 + ms/16 {
		for _, row := range []int{64, 80, 70 * 16} {
			for mask := range 16 { // bias, residual, relu, special values
				runWinoOut43NCHWc(t, r, ms, row, mask)
			}
		}
	}
	for mask := range 16 {
		runWinoOut43NCHWc(t, r, 4096, 56*16, mask)
	}
}

func runWinoOut43NCHWc(t *testing.T, r *rand.Rand, ms, row, mask int) {
	t.Helper()
	withBias, withRes, relu, special := mask&1 != 0, mask&2 != 0, mask>>2&1, mask&8 != 0
	name := fmt.Sprintf("ms=%d/row=%d/bias=%v/res=%v/relu=%d/special=%v", ms, row, withBias, withRes, relu, special)
	nm := 35*ms + 16
	mFull, m := guarded(nm)
	for i := range m {
		m[i] = r.Float32()*2 - 1
	}
	if special {
		m[r.IntN(nm)] = float32(math.NaN())
		for range 8 {
			m[r.IntN(nm)] = float32(math.Copysign(0, -1))
		}
		m[r.IntN(nm)] = float32(math.Inf(1))
		m[r.IntN(nm)] = float32(math.Inf(-1))
	}
	ny := 3*row + 64
	var biasFull, bias, resFull, res []float32
	if withBias {
		biasFull, bias = guarded(16)
		for i := range bias {
			bias[i] = r.Float32()*2 - 1
		}
	}
	if withRes {
		resFull, res = guarded(ny)
		for i := range res {
			res[i] = r.Float32()*2 - 1
		}
	}
	copies := [][]float32{append([]float32(nil), mFull...), append([]float32(nil), biasFull...), append([]float32(nil), resFull...)}
	gotFull, got := guarded(ny)
	wantFull, want := guarded(ny)
	WinoOut43NCHWcAVX512(m, ms, got, row, bias, res, relu)
	WinoOut43NCHWcGo(m, ms, want, row, bias, res, relu)
	sameBits(t, name, gotFull, wantFull)
	checkGuards(t, name+" y", gotFull, ny)
	for i, in := range [][]float32{mFull, biasFull, resFull} {
		if len(in) != len(copies[i]) {
			t.Fatalf("%s: input %d resized", name, i)
		}
		for j := range in {
			if math.Float32bits(in[j]) != math.Float32bits(copies[i][j]) {
				t.Fatalf("%s: input %d modified at %d", name, i, j)
			}
		}
	}
}
