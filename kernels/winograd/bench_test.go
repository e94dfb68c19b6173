package winograd

import (
	"fmt"
	"math/rand"
	"os"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/nncc/nncc/kernels/isa"
	"github.com/nncc/nncc/kernels/sgemm"
)

// resnetShapes are the 3×3 convolutions of ResNet-18 (channels, plane),
// batch 1, padding 1.
var resnetShapes = []struct{ c, hw int }{{64, 56}, {128, 28}, {256, 14}, {512, 7}}

// tableShapes are the ResNet-18 shapes and small-CNN shapes (few channels,
// small planes) for TestResNetTable.
var tableShapes = []struct{ cin, cout, hw, pad int }{
	{64, 64, 56, 1}, {128, 128, 28, 1}, {256, 256, 14, 1}, {512, 512, 7, 1},
	{3, 32, 32, 1}, {16, 16, 32, 1}, {32, 32, 16, 1}, {32, 64, 16, 1}, {64, 128, 8, 1}, {128, 128, 8, 1}, {64, 64, 14, 1}, {256, 256, 7, 1},
	// the seed CNNs (cifar, mnist): unpadded 15×15 and 13×13, padded 5×5
	{32, 64, 15, 0}, {32, 64, 13, 0}, {64, 128, 5, 1},
}

// BenchmarkResNet reports GFLOPS, counting the direct convolution's
// 2·cout·cin·9·oh·ow FLOPs, of Winograd F(4,3) and F(2,3) and of the
// im2col lowering the Conv kernel uses (both of its SGEMM forms: Y = W·col
// and, with W prepacked, Yᵀ = colᵀ·Wᵀ plus a transpose), per ISA level,
// shape and thread count.
func BenchmarkResNet(b *testing.B) {
	for _, l := range isa.Supported() {
		b.Run("isa="+l.String(), func(b *testing.B) {
			defer isa.Force(l)()
			for _, s := range resnetShapes {
				for _, threads := range []int{1, 2} {
					benchShape(b, l, s.c, s.c, s.hw, s.hw, threads)
				}
			}
		})
	}
}

func benchShape(b *testing.B, l isa.Level, cin, cout, h, w, threads int) {
	r := rand.New(rand.NewSource(1))
	x := randSlice(r, cin*h*w)
	wt := randSlice(r, cout*cin*9)
	bias := randSlice(r, cout)
	y := make([]float32, cout*h*w)
	var pool sgemm.Pool
	if threads > 1 {
		pool = testPool(threads)
	}
	flops := 2.0 * float64(cout*cin*9*h*w)
	name := fmt.Sprintf("%dx%dx%d/threads=%d", cin, h, w, threads)
	report := func(b *testing.B) {
		b.ReportMetric(flops/(b.Elapsed().Seconds()/float64(b.N))/1e9, "GFLOPS")
	}
	for _, m := range []int{4, 2} {
		b.Run(fmt.Sprintf("F%d/%s", m, name), func(b *testing.B) {
			cv, err := NewConv3x3(l, cout, cin, wt, 1, 1, 1, 1, m)
			if err != nil {
				b.Fatal(err)
			}
			scratch := make([]float32, cv.ScratchLen(1, h, w, threads))
			ep := &Epilogue{Bias: bias}
			for b.Loop() {
				if err := cv.Run(x, 1, h, w, y, ep, scratch, pool); err != nil {
					b.Fatal(err)
				}
			}
			report(b)
		})
	}
	kk, os := cin*9, h*w
	b.Run("im2col/"+name, func(b *testing.B) {
		col := make([]float32, kk*os)
		for b.Loop() {
			im2col3x3(x, cin, h, w, col)
			sgemm.Sgemm(false, false, cout, os, kk, 1, wt, kk, col, os, 0, y, os, pool)
			addBias(y, bias, os)
		}
		report(b)
	})
	b.Run("im2colpacked/"+name, func(b *testing.B) {
		col := make([]float32, kk*os)
		pw := sgemm.PackBLevel(l, true, kk, cout, wt, kk)
		yt := make([]float32, os*cout)
		for b.Loop() {
			im2col3x3(x, cin, h, w, col)
			sgemm.SgemmPacked(true, os, 1, col, os, pw, 0, yt, cout, nil, pool)
			for co := range cout {
				dst := y[co*os : (co+1)*os]
				for i := range dst {
					dst[i] = yt[i*cout+co] + bias[co]
				}
			}
		}
		report(b)
	})
}

// im2col3x3 writes the patch matrix of a 3×3, pad-1 convolution.
func im2col3x3(x []float32, cin, h, w int, col []float32) { im2colPad(x, cin, h, w, 1, col) }

// im2colPad writes the patch matrix of a 3×3 convolution padded by pad on
// every side: col[(c·9 + 3i + j)·oh·ow + oy·ow + ox] =
// x[c][oy+i-pad][ox+j-pad] (0 outside).
func im2colPad(x []float32, cin, h, w, pad int, col []float32) {
	oh, ow := h+2*pad-2, w+2*pad-2
	for c := range cin {
		for i := range 3 {
			for j := range 3 {
				dst := col[(c*9+i*3+j)*oh*ow:][:oh*ow]
				for oy := range oh {
					iy := oy + i - pad
					row := dst[oy*ow : (oy+1)*ow]
					if iy < 0 || iy >= h {
						clear(row)
						continue
					}
					src := x[(c*h+iy)*w:][:w]
					for ox := range row {
						ix := ox + j - pad
						if ix < 0 || ix >= w {
							row[ox] = 0
						} else {
							row[ox] = src[ix]
						}
					}
				}
			}
		}
	}
}

func addBias(y, bias []float32, plane int) {
	for co, b := range bias {
		row := y[co*plane : (co+1)*plane]
		for i := range row {
			row[i] += b
		}
	}
}

// TestResNetTable prints, with NNCC_WINO_TABLE=1, the single-thread GFLOPS
// (direct-convolution FLOPs per second of thread CPU time, median of 15
// runs, the variants interleaved so that they see the same machine) of
// F(4,3), F(2,3) and both im2col forms on the ResNet-18 shapes: the
// figures quoted in doc.go. Thread CPU time leaves out the time other
// processes hold the core, which on a shared VM swamps wall-clock times.
func TestResNetTable(t *testing.T) {
	if os.Getenv("NNCC_WINO_TABLE") == "" {
		t.Skip("set NNCC_WINO_TABLE=1")
	}
	l := isa.Current()
	for _, s := range tableShapes {
		fns := resnetVariants(t, l, s.cin, s.cout, s.hw, s.hw, s.pad)
		o := s.hw + 2*s.pad - 2
		flops := 2.0 * float64(s.cin*s.cout*9*o*o)
		times := make([][]time.Duration, len(fns))
		runtime.LockOSThread()
		for _, f := range fns {
			f.run() // warm up
		}
		for range 15 {
			for i, f := range fns {
				reps := max(1, int(2e8/flops))
				t0 := threadCPU()
				for range reps {
					f.run()
				}
				times[i] = append(times[i], (threadCPU()-t0)/time.Duration(reps))
			}
		}
		runtime.UnlockOSThread()
		line := fmt.Sprintf("%v %4d→%-4d %2dx%-2d pad %d:", l, s.cin, s.cout, s.hw, s.hw, s.pad)
		for i, f := range fns {
			slices.Sort(times[i])
			med := times[i][len(times[i])/2]
			line += fmt.Sprintf("  %s %6.1f", f.name, flops/med.Seconds()/1e9)
		}
		t.Log(line)
	}
}

type namedRun struct {
	name string
	run  func()
}

// resnetVariants returns the single-thread algorithms compared on one
// shape (padding pad on every side, bias, batch 1).
func resnetVariants(t *testing.T, l isa.Level, cin, cout, h, w, pad int) []namedRun {
	r := rand.New(rand.NewSource(1))
	x := randSlice(r, cin*h*w)
	wt := randSlice(r, cout*cin*9)
	bias := randSlice(r, cout)
	oh, ow := h+2*pad-2, w+2*pad-2
	y := make([]float32, cout*oh*ow)
	var out []namedRun
	for _, m := range []int{4, 2} {
		cv, err := NewConv3x3(l, cout, cin, wt, pad, pad, pad, pad, m)
		if err != nil {
			t.Fatal(err)
		}
		scratch := make([]float32, cv.ScratchLen(1, h, w, 1))
		ep := &Epilogue{Bias: bias}
		out = append(out, namedRun{fmt.Sprintf("F%d", m), func() {
			if err := cv.Run(x, 1, h, w, y, ep, scratch, nil); err != nil {
				t.Fatal(err)
			}
		}})
	}
	if cv, _ := NewConv3x3(l, cout, cin, wt, pad, pad, pad, pad, 4); cv.out43 != nil {
		// F(4,3) with the Go transforms, to measure the assembly's gain
		cv.out43, cv.in43Rows, cv.in43Tiles = nil, nil, nil
		scratch := make([]float32, cv.ScratchLen(1, h, w, 1))
		ep := &Epilogue{Bias: bias}
		out = append(out, namedRun{"F4go", func() {
			if err := cv.Run(x, 1, h, w, y, ep, scratch, nil); err != nil {
				t.Fatal(err)
			}
		}})
	}
	kk, os := cin*9, oh*ow
	col := make([]float32, kk*os)
	out = append(out, namedRun{"im2col", func() {
		im2colPad(x, cin, h, w, pad, col)
		sgemm.Sgemm(false, false, cout, os, kk, 1, wt, kk, col, os, 0, y, os, nil)
		addBias(y, bias, os)
	}})
	pw := sgemm.PackBLevel(l, true, kk, cout, wt, kk)
	yt := make([]float32, os*cout)
	out = append(out, namedRun{"packed", func() {
		im2colPad(x, cin, h, w, pad, col)
		sgemm.SgemmPacked(true, os, 1, col, os, pw, 0, yt, cout, nil, nil)
		for co := range cout {
			dst := y[co*os : (co+1)*os]
			for i := range dst {
				dst[i] = yt[i*cout+co] + bias[co]
			}
		}
	}})
	return out
}
