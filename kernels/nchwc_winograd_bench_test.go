package kernels

import (
	"fmt"
	"math/rand"
	"os"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/isa"
)

// nchwcWinoShapes are the 3×3 stride-1 layers of ResNet-18 (224×224) and
// of the other shapes the choice of nchwcWinoPick was measured on.
var nchwcWinoShapes = []struct {
	name            string
	c, h, w, m, pad int
}{
	{"resnet_64x56x56_64", 64, 56, 56, 64, 1},
	{"resnet_128x28x28_128", 128, 28, 28, 128, 1},
	{"resnet_256x14x14_256", 256, 14, 14, 256, 1},
	{"resnet_512x7x7_512", 512, 7, 7, 512, 1},
	{"cifar_32x15x15_64_p0", 32, 15, 15, 64, 0},
	{"mnist_32x13x13_64_p0", 32, 13, 13, 64, 0},
	{"64x28x28_64", 64, 28, 28, 64, 1},
	{"64x14x14_64", 64, 14, 14, 64, 1},
	{"128x14x14_128", 128, 14, 14, 128, 1},
	{"32x16x16_64", 32, 16, 16, 64, 1},
	{"32x32x32_32", 32, 32, 32, 32, 1},
	{"16x32x32_16", 16, 32, 32, 16, 1},
	{"16x56x56_32", 16, 56, 56, 32, 1},
	{"256x7x7_256", 256, 7, 7, 256, 1},
	{"128x7x7_128", 128, 7, 7, 128, 1},
	{"128x8x8_128", 128, 8, 8, 128, 1},
}

// nchwcWinoBuild builds one ConvNCHWc (pads pad, bias, ReLU, residual when
// res) with the Winograd form forced on (force 1) or off (-1).
func nchwcWinoBuild(tb testing.TB, c, h, w, m, pad int, force int, res bool) (Func, []*ir.Tensor, *ir.Node) {
	defer forceNCHWcWino(force)()
	rng := rand.New(rand.NewSource(1))
	x := toNCHWc(nntRand(rng, 1, int64(c), int64(h), int64(w)))
	wt := nntRand(rng, int64(m), int64(c), 3, 3)
	bias := nntRand(rng, int64(m))
	attrs := nntAttrs("block", 16, "kernel_shape", []int64{3, 3}, "pads", []int64{int64(pad), int64(pad), int64(pad), int64(pad)}, "activation", "Relu")
	for k, a := range attrs {
		a.Name = k
	}
	n := &ir.Node{Name: "n", Op: "ConvNCHWc", Domain: ir.FusedDomain, Opset: 1, Attrs: attrs, Outputs: []*ir.Value{{Name: "y"}}}
	xv := &ir.Value{Name: "x", Type: ir.TypeOfTensor(x)}
	wv := &ir.Value{Name: "w", Type: ir.TypeOfTensor(wt), Const: wt}
	bv := &ir.Value{Name: "b", Type: ir.TypeOfTensor(bias), Const: bias}
	n.Inputs = []*ir.Value{xv, wv, bv}
	types := []*ir.Type{&xv.Type, &wv.Type, &bv.Type}
	in := []*ir.Tensor{x, wt, bias}
	if res {
		r := toNCHWc(nntRand(rng, 1, int64(m), int64(h+2*pad-2), int64(w+2*pad-2)))
		rv := &ir.Value{Name: "r", Type: ir.TypeOfTensor(r)}
		n.Inputs = append(n.Inputs, rv)
		types = append(types, &rv.Type)
		in = append(in, r)
	}
	f, err := BuildNode(&Build{Node: n, InTypes: types, Level: isa.Current()})
	if err != nil {
		tb.Fatal(err)
	}
	return f, in, n
}

// spinPool is a persistent pool of n-1 workers for the per-layer tables
// (a goroutine per chunk, like testPool, would add its start-up to every
// stage of the small layers).
type spinPool struct {
	n    int
	work []chan func()
	wg   sync.WaitGroup
}

func newSpinPool(n int) *spinPool {
	p := &spinPool{n: n}
	for range n - 1 {
		ch := make(chan func(), 1)
		p.work = append(p.work, ch)
		go func() {
			for f := range ch {
				f()
				p.wg.Done()
			}
		}()
	}
	return p
}

func (p *spinPool) Threads() int { return p.n }

func (p *spinPool) For(n, grain int, fn func(lo, hi int)) {
	chunks := min(p.n, max(n/max(grain, 1), 1))
	p.wg.Add(chunks - 1)
	for c := 1; c < chunks; c++ {
		p.work[c-1] <- func() { fn(c*n/chunks, (c+1)*n/chunks) }
	}
	fn(0, n/chunks)
	p.wg.Wait()
}

func (p *spinPool) close() {
	for _, ch := range p.work {
		close(ch)
	}
}

// TestNCHWcWinogradTable prints the per-layer table behind nchwcWinoRules
// (NNCC_NCHWC_WINO_TABLE=1): for each shape, direct and Winograd
// interleaved, median ms over reps, at one thread (thread CPU time) and
// two (wall time; also the minimum, less disturbed by other processes), and GFLOPS counted as the direct convolution's
// 2·cout·cin·9·oh·ow.
func TestNCHWcWinogradTable(t *testing.T) {
	if os.Getenv("NNCC_NCHWC_WINO_TABLE") == "" {
		t.Skip("set NNCC_NCHWC_WINO_TABLE=1 to measure")
	}
	if !isa.Has(isa.AVX512) {
		t.Skip("measured on AVX-512")
	}
	reps := 31
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	pool2 := newSpinPool(2)
	defer pool2.close()
	fmt.Printf("%-22s %8s %8s %6s | %8s %8s %6s | %8s %8s %6s | GFLOPS 1t dir/wino\n", "shape", "dir1t", "wino1t", "x", "dir2t", "wino2t", "x", "min2t", "min2t", "x")
	for _, s := range nchwcWinoShapes {
		flops := 2 * float64(s.m*s.c*9*(s.h+2*s.pad-2)*(s.w+2*s.pad-2))
		var fs [2]Func
		var ins [2][]*ir.Tensor
		var ctx [2][2]*Ctx
		for v, force := range []int{-1, 1} {
			f, in, n := nchwcWinoBuild(t, s.c, s.h, s.w, s.m, s.pad, force, false)
			fs[v], ins[v] = f, in
			for th, p := range []Pool{Serial{}, pool2} {
				c := &Ctx{Outs: make([]*ir.Tensor, 1), Pool: p, Node: n}
				if err := f(c, in); err != nil {
					t.Fatal(err)
				}
				c.Planned = []*ir.Tensor{c.Outs[0]}
				ctx[v][th] = c
			}
		}
		inner := max(1, int(2e8/flops))
		var times [2][2][]float64
		for range reps {
			for th := range 2 {
				for v := range 2 {
					t0, c0 := time.Now(), nchwcThreadCPU()
					for range inner {
						if err := fs[v](ctx[v][th], ins[v]); err != nil {
							t.Fatal(err)
						}
					}
					d := float64(time.Since(t0).Nanoseconds())
					if th == 0 {
						if c := float64(nchwcThreadCPU() - c0); c > 0 {
							d = c
						}
					}
					times[v][th] = append(times[v][th], d/float64(inner)/1e6)
				}
			}
		}
		var med, low [2][2]float64
		for v := range 2 {
			for th := range 2 {
				slices.Sort(times[v][th])
				med[v][th], low[v][th] = times[v][th][reps/2], times[v][th][0]
			}
		}
		fmt.Printf("%-22s %8.3f %8.3f %6.2f | %8.3f %8.3f %6.2f | %8.3f %8.3f %6.2f | %5.0f %5.0f\n", s.name,
			med[0][0], med[1][0], med[0][0]/med[1][0], med[0][1], med[1][1], med[0][1]/med[1][1],
			low[0][1], low[1][1], low[0][1]/low[1][1], flops/med[0][0]/1e6, flops/med[1][0]/1e6)
	}
}

// BenchmarkConvNCHWcWinograd times ConvNCHWc (bias + ReLU) on
// nchwcWinoShapes by the direct kernel and by Winograd, one thread;
// GFLOPS counts the direct convolution's 2·cout·cin·9·oh·ow per second
// of thread CPU time.
func BenchmarkConvNCHWcWinograd(b *testing.B) {
	for _, s := range nchwcWinoShapes {
		for _, v := range []struct {
			name  string
			force int
		}{{"direct", -1}, {"winograd", 1}} {
			b.Run(s.name+"/"+v.name, func(b *testing.B) {
				f, in, n := nchwcWinoBuild(b, s.c, s.h, s.w, s.m, s.pad, v.force, false)
				c := &Ctx{Outs: make([]*ir.Tensor, 1), Pool: Serial{}, Node: n}
				if err := f(c, in); err != nil {
					b.Fatal(err)
				}
				c.Planned = []*ir.Tensor{c.Outs[0]}
				flops := 2 * float64(s.m*s.c*9*(s.h+2*s.pad-2)*(s.w+2*s.pad-2))
				runtime.LockOSThread()
				defer runtime.UnlockOSThread()
				b.ResetTimer()
				cpu0 := nchwcThreadCPU()
				for range b.N {
					if err := f(c, in); err != nil {
						b.Fatal(err)
					}
				}
				if cpu := nchwcThreadCPU() - cpu0; cpu > 0 {
					b.ReportMetric(flops*float64(b.N)/float64(cpu), "cpuGFLOPS")
				}
			})
		}
	}
}
