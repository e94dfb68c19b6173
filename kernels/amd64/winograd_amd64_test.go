package amd64

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"golang.org/x/sys/cpu"
)

// hasWinoAVX2 reports whether the AVX2 Winograd routines can run here.
func hasWinoAVX2() bool { return runtime.GOARCH == "amd64" && cpu.X86.HasAVX2 && cpu.X86.HasFMA }

// TestWinoOut43AgainstTwin runs the AVX-512 and AVX2 output transforms against
// WinoOut43Go over strides from the tightest (ms = 16, row = 4, plane =
// 16) to large ones, with and without bias and ReLU, on NaN-guarded
// buffers: the results must agree bit for bit (NaN for NaN), the gaps
// between the written rows and planes must keep their NaN, and the inputs
// must be unmodified.
func TestWinoOut43AgainstTwin(t *testing.T) {
	for _, v := range []struct {
		name string
		ok   bool
		fn   func(m []float32, ms int, y []float32, plane, row int, bias []float32, relu int)
	}{{"avx512", hasAVX512(), WinoOut43AVX512}, {"avx2", hasWinoAVX2(), WinoOut43AVX2}} {
		if !v.ok {
			t.Logf("%s: not supported on this CPU, skipped", v.name)
			continue
		}
		t.Run(v.name, func(t *testing.T) { testWinoOut43(t, v.fn) })
	}
}

func testWinoOut43(t *testing.T, fn func(m []float32, ms int, y []float32, plane, row int, bias []float32, relu int)) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, ms := range []int{16, 17, 33, 64, 70, 1000} {
		for _, row := range []int{4, 5, 7, 70} {
			for _, plane := range []int{4 * row, 4*row + 3, 70 * row} {
				for _, bias := range []bool{false, true} {
					for _, relu := range []int{0, 1} {
						for _, special := range []bool{false, true} {
							name := fmt.Sprintf("ms=%d/row=%d/plane=%d/bias=%v/relu=%d/special=%v", ms, row, plane, bias, relu, special)
							runWinoOut43(t, r, fn, name, ms, row, plane, bias, relu, special)
						}
					}
				}
			}
		}
	}
}

// negZero fills s with -0, whose transform is -0 everywhere: the
// assembly must not turn it into +0 when no bias is added.
func negZero(s []float32) {
	for i := range s {
		s[i] = float32(math.Copysign(0, -1))
	}
}

func runWinoOut43(t *testing.T, r *rand.Rand, fn func(m []float32, ms int, y []float32, plane, row int, bias []float32, relu int), name string, ms, row, plane int, withBias bool, relu int, special bool) {
	t.Helper()
	nm := 35*ms + 16
	mFull, m := guarded(nm)
	for i := range m {
		m[i] = r.Float32()*2 - 1
	}
	if special && ms == 17 {
		negZero(m)
	} else if special { // NaN, ±Inf and -0 in a few lanes
		m[r.IntN(nm)] = float32(math.NaN())
		for range 8 {
			m[r.IntN(nm)] = float32(math.Copysign(0, -1))
		}
		m[r.IntN(nm)] = float32(math.Inf(1))
		m[r.IntN(nm)] = float32(math.Inf(-1))
	}
	var bias []float32
	var biasFull []float32
	if withBias {
		biasFull, bias = guarded(16)
		for i := range bias {
			bias[i] = r.Float32()*2 - 1
		}
	}
	mCopy := append([]float32(nil), mFull...)
	ny := 15*plane + 3*row + 4
	gotFull, got := guarded(ny)
	wantFull, want := guarded(ny)
	fn(m, ms, got, plane, row, bias, relu)
	WinoOut43Go(m, ms, want, plane, row, bias, relu)
	for i := range gotFull {
		g, w := gotFull[i], wantFull[i]
		if math.Float32bits(g) != math.Float32bits(w) && !(g != g && w != w) {
			t.Fatalf("%s: y[%d] = %v, want %v", name, i-guard, g, w)
		}
	}
	checkGuards(t, name+" y", gotFull, ny)
	for i := range mFull {
		if math.Float32bits(mFull[i]) != math.Float32bits(mCopy[i]) {
			t.Fatalf("%s: m modified", name)
		}
	}
	if biasFull != nil {
		checkGuards(t, name+" bias", biasFull, 16)
	}
}

// TestWinoIn43RowsAgainstTwin runs the column pass over n = 0…70 and a
// large n, on NaN-guarded rows and output: results bit for bit, gaps and
// guards untouched, inputs unmodified.
func TestWinoIn43RowsAgainstTwin(t *testing.T) {
	for _, v := range []struct {
		name string
		ok   bool
		fn   func(t []float32, ts int, r0, r1, r2, r3, r4, r5 []float32, n int)
	}{{"avx512", hasAVX512(), WinoIn43RowsAVX512}, {"avx2", hasWinoAVX2(), WinoIn43RowsAVX2}} {
		if !v.ok {
			t.Logf("%s: not supported on this CPU, skipped", v.name)
			continue
		}
		t.Run(v.name, func(t *testing.T) { testWinoIn43Rows(t, v.fn) })
	}
}

func testWinoIn43Rows(t *testing.T, fn func(t []float32, ts int, r0, r1, r2, r3, r4, r5 []float32, n int)) {
	r := rand.New(rand.NewPCG(9, 10))
	for n := 0; n <= 71; n++ {
		if n == 71 {
			n = 1000
		}
		for _, pad := range []int{0, 3} {
			ts := n + pad
			var rows [6][]float32
			var fulls [6][]float32
			for i := range rows {
				fulls[i], rows[i] = guarded(n)
				for j := range rows[i] {
					rows[i][j] = r.Float32()*2 - 1
				}
			}
			if n > 0 {
				rows[r.IntN(6)][r.IntN(n)] = float32(math.NaN())
				rows[r.IntN(6)][r.IntN(n)] = float32(math.Inf(1))
			}
			nt := 5*ts + n
			gotFull, got := guarded(nt)
			wantFull, want := guarded(nt)
			fn(got, ts, rows[0], rows[1], rows[2], rows[3], rows[4], rows[5], n)
			WinoIn43RowsGo(want, ts, rows[0], rows[1], rows[2], rows[3], rows[4], rows[5], n)
			name := fmt.Sprintf("n=%d/ts=%d", n, ts)
			sameBits(t, name, gotFull, wantFull)
			checkGuards(t, name+" t", gotFull, nt)
			for i := range fulls {
				checkGuards(t, name+" r", fulls[i], n)
			}
		}
	}
}

// TestWinoIn43TilesAgainstTwin runs the row pass over nt = 0…70 tiles and
// a large count, likewise.
func TestWinoIn43TilesAgainstTwin(t *testing.T) {
	for _, v := range []struct {
		name string
		ok   bool
		fn   func(v []float32, vs int, t []float32, ts, nt int)
	}{{"avx512", hasAVX512(), WinoIn43TilesAVX512}, {"avx2", hasWinoAVX2(), WinoIn43TilesAVX2}} {
		if !v.ok {
			t.Logf("%s: not supported on this CPU, skipped", v.name)
			continue
		}
		t.Run(v.name, func(t *testing.T) { testWinoIn43Tiles(t, v.fn) })
	}
}

func testWinoIn43Tiles(t *testing.T, fn func(v []float32, vs int, t []float32, ts, nt int)) {
	r := rand.New(rand.NewPCG(11, 12))
	for nt := 0; nt <= 71; nt++ {
		if nt == 71 {
			nt = 500
		}
		for _, pad := range []int{0, 5} {
			ts := 4*nt + 2 + pad
			vs := nt + pad
			n := 5*ts + 4*nt + 2
			tFull, tt := guarded(n)
			for i := range tt {
				tt[i] = r.Float32()*2 - 1
			}
			tt[r.IntN(n)] = float32(math.NaN())
			tCopy := append([]float32(nil), tFull...)
			nv := 35*vs + nt
			gotFull, got := guarded(nv)
			wantFull, want := guarded(nv)
			fn(got, vs, tt, ts, nt)
			WinoIn43TilesGo(want, vs, tt, ts, nt)
			name := fmt.Sprintf("nt=%d/pad=%d", nt, pad)
			sameBits(t, name, gotFull, wantFull)
			checkGuards(t, name+" v", gotFull, nv)
			sameBits(t, name+" t unmodified", tFull, tCopy)
		}
	}
}

// sameBits fails unless got and want agree bit for bit (any NaN for NaN).
func sameBits(t *testing.T, name string, got, want []float32) {
	t.Helper()
	for i := range got {
		g, w := got[i], want[i]
		if math.Float32bits(g) != math.Float32bits(w) && !(g != g && w != w) {
			t.Fatalf("%s: [%d] = %v, want %v", name, i, g, w)
		}
	}
}
