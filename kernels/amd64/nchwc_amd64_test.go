package amd64

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
	"unsafe"

	"golang.org/x/sys/cpu"
)

func hasAVX512() bool {
	return runtime.GOARCH == "amd64" && cpu.X86.HasAVX512F && cpu.X86.HasAVX512BW && cpu.X86.HasAVX512VL
}

// TestNCHWcConvArgsLayout pins the byte offsets the assembly reads.
func TestNCHWcConvArgsLayout(t *testing.T) {
	var a NCHWcConvArgs
	for _, c := range []struct {
		name      string
		got, want uintptr
	}{
		{"X", unsafe.Offsetof(a.X), 0}, {"W", unsafe.Offsetof(a.W), 24}, {"Y", unsafe.Offsetof(a.Y), 48},
		{"Bias", unsafe.Offsetof(a.Bias), 72}, {"Add", unsafe.Offsetof(a.Add), 96}, {"Seg", unsafe.Offsetof(a.Seg), 120},
		{"K", unsafe.Offsetof(a.K), 144}, {"S", unsafe.Offsetof(a.S), 152}, {"YBS", unsafe.Offsetof(a.YBS), 160},
		{"F", unsafe.Offsetof(a.F), 168}, {"Relu", unsafe.Offsetof(a.Relu), 176}, {"Off", unsafe.Offsetof(a.Off), 184},
		{"NP", unsafe.Offsetof(a.NP), 232}, {"KT", unsafe.Offsetof(a.KT), 240}, {"NT", unsafe.Offsetof(a.NT), 248},
		{"Mask", unsafe.Offsetof(a.Mask), 256},
	} {
		if c.got != c.want {
			t.Errorf("NCHWcConvArgs.%s at byte %d, the assembly reads %d", c.name, c.got, c.want)
		}
	}
}

// guardedFill returns a NaN-guarded buffer of n small integers.
func guardedFill(r *rand.Rand, n int) (full, inner []float32) {
	full, inner = guarded(n)
	smallInts(r, inner)
	return full, inner
}

func TestNCHWcConvAgainstTwin(t *testing.T) {
	if !hasAVX512() {
		t.Skip("no AVX-512")
	}
	r := rand.New(rand.NewPCG(3, 4))
	for _, f := range []int{1, 2, 3, 4} {
		for k := 0; k <= 70; k += 1 + k/8 {
			for _, nseg := range []int{0, 1, 3, 9} {
				for _, s := range []int{1, 5} {
					for _, add := range []bool{false, true} {
						for _, relu := range []int{0, 1} {
							for np := 1; np <= NCHWcConvPixels; np++ {
								runNCHWcConv(t, r, f, k, 0, 0, 0, nseg, s, add, relu, np)
							}
						}
					}
				}
			}
		}
	}
	// Tail segments with their own channel count (KT for the last NT),
	// with and without a lane mask on the last output block.
	masks := []int{0, 0xff, 1, 0x7fff, 0xffff, 0x8001}
	for _, f := range []int{1, 2, 3, 4} {
		for _, c := range [][3]int{{16, 8, 3}, {16, 8, 9}, {16, 1, 1}, {16, 15, 2}, {0, 5, 3}, {7, 0, 2}, {16, 16, 4}, {70, 3, 1}} {
			for _, nseg := range []int{c[2], c[2] + 1, c[2] + 9} {
				for np := 1; np <= NCHWcConvPixels; np++ {
					runNCHWcConv(t, r, f, c[0], c[1], c[2], masks[np%len(masks)], nseg, 1+np%2*4, np%2 == 0, np%3&1, np)
				}
			}
		}
	}
	runNCHWcConv(t, r, 4, 16, 0, 0, 0, 64*9, 1, true, 1, 6)    // large: 64 input blocks × 9 taps
	runNCHWcConv(t, r, 3, 16, 8, 9, 0xff, 64*9, 1, true, 1, 6) // large, with an 8-channel tail block
}

// runNCHWcConv compares the assembly with the twin on nseg segments, the
// last nt of them with kt channels and the others with k, and lane mask
// mask on the last output block.
func runNCHWcConv(t *testing.T, r *rand.Rand, f, k, kt, nt, mask, nseg, s int, add bool, relu, np int) {
	t.Helper()
	// X: segments spaced by max(k, kt)*s+7, pixels by 3 elements.
	segSpan := max(k, kt)*s + 7
	nx := NCHWcConvPixels*3 + nseg*segSpan + 1
	xf, x := guardedFill(r, nx)
	wf, w := guardedFill(r, ((nseg-nt)*k+nt*kt)*f*16)
	bf, bias := guardedFill(r, f*16)
	ybs := NCHWcConvPixels*16 + 5
	ny := (f-1)*ybs + NCHWcConvPixels*16
	a := NCHWcConvArgs{X: x, W: w, Bias: bias, K: k, KT: kt, NT: nt, Mask: mask, S: s, YBS: ybs, F: f, Relu: relu, NP: np}
	for j := range nseg {
		a.Seg = append(a.Seg, j*segSpan)
	}
	for p := range a.Off {
		a.Off[p] = p * 3
	}
	a.Off[5] = 1 // pixels need not be ordered
	var af []float32
	if add {
		af, a.Add = guardedFill(r, ny)
	}
	x0, w0 := append([]float32(nil), x...), append([]float32(nil), w...)
	yf1, y1 := guarded(ny)
	yf2, y2 := guarded(ny)
	b := a
	a.Y, b.Y = y1, y2
	NCHWcConvAVX512(&a)
	NCHWcConvGo(&b)
	for i := range y1 {
		if math.Float32bits(y1[i]) != math.Float32bits(y2[i]) && !(y1[i] != y1[i] && y2[i] != y2[i]) {
			t.Fatalf("f=%d np=%d k=%d kt=%d nt=%d mask=%#x nseg=%d s=%d add=%v relu=%d: y[%d] = %v, twin %v", f, np, k, kt, nt, mask, nseg, s, add, relu, i, y1[i], y2[i])
		}
	}
	for i := range x {
		if x[i] != x0[i] {
			t.Fatalf("input X modified")
		}
	}
	for i := range w {
		if w[i] != w0[i] {
			t.Fatalf("input W modified")
		}
	}
	checkGuards(t, "X", xf, nx)
	checkGuards(t, "W", wf, len(w))
	checkGuards(t, "bias", bf, f*16)
	checkGuards(t, "Y", yf1, ny)
	checkGuards(t, "Y (twin)", yf2, ny)
	if add {
		checkGuards(t, "Add", af, ny)
	}
}

func TestNCHWcMaxPoolAgainstTwin(t *testing.T) {
	if !hasAVX512() {
		t.Skip("no AVX-512")
	}
	r := rand.New(rand.NewPCG(5, 6))
	for n := 0; n <= 70; n++ {
		for _, taps := range [][]int{{0}, {0, 16}, {0, 16, 160, 176}, {32, 0, 48, 16, 200, 7, 99, 3, 64}} {
			stride := 32
			maxTap := 0
			for _, tp := range taps {
				maxTap = max(maxTap, tp)
			}
			ns := max(n-1, 0)*stride + maxTap + 16
			sf, src := guardedFill(r, ns)
			if n%5 == 3 && ns > 0 {
				src[r.IntN(ns)] = float32(math.NaN())
			}
			s0 := append([]float32(nil), src...)
			df1, d1 := guarded(n * 16)
			_, d2 := guarded(n * 16)
			NCHWcMaxPoolAVX512(d1, src, n, stride, taps)
			NCHWcMaxPoolGo(d2, src, n, stride, taps)
			for i := range d1 {
				if d1[i] != d2[i] && !(d1[i] != d1[i] && d2[i] != d2[i]) {
					t.Fatalf("n=%d taps=%v: dst[%d] = %v, twin %v", n, taps, i, d1[i], d2[i])
				}
			}
			for i := range src {
				if math.Float32bits(src[i]) != math.Float32bits(s0[i]) {
					t.Fatalf("src modified")
				}
			}
			checkGuards(t, "src", sf, ns)
			checkGuards(t, "dst", df1, n*16)
		}
	}
}

// BenchmarkNCHWcConvTile times one 6-pixel × F-block call with its
// weights in L1 (2 segments, 8 KB at F = 4), in L2 (36 segments, 144 KB)
// and between, for F = 4, 3, 2 and 1.
func BenchmarkNCHWcConvTile(b *testing.B) {
	if !hasAVX512() {
		b.Skip("no AVX-512")
	}
	for _, f := range []int{4, 3, 2, 1} {
		for _, nseg := range []int{2, 8, 36} {
			name := fmt.Sprintf("seg%d", nseg)
			if f != 4 {
				name = fmt.Sprintf("f%d/seg%d", f, nseg)
			}
			b.Run(name, func(b *testing.B) {
				r := rand.New(rand.NewPCG(1, 1))
				_, x := guardedFill(r, nseg*16*64+200)
				_, w := guardedFill(r, nseg*16*f*16)
				_, bias := guardedFill(r, f*16)
				_, y := guarded(f * 6 * 16)
				a := NCHWcConvArgs{X: x, W: w, Y: y, Bias: bias, K: 16, S: 1, YBS: 96, F: f, NP: 6, Relu: 1}
				for j := range nseg {
					a.Seg = append(a.Seg, j*64*16)
				}
				for p := range a.Off {
					a.Off[p] = p * 16
				}
				runtime.LockOSThread()
				defer runtime.UnlockOSThread()
				b.ResetTimer()
				cpu0 := threadCPU()
				for range b.N {
					NCHWcConvAVX512(&a)
				}
				flops := float64(b.N) * float64(nseg*16*f*6*32)
				b.ReportMetric(flops/b.Elapsed().Seconds()/1e9, "GFLOPS")
				if cpu := threadCPU() - cpu0; cpu > 0 {
					b.ReportMetric(flops/float64(cpu), "cpuGFLOPS")
				}
			})
		}
	}
}
