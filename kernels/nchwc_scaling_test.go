package kernels

import (
	"fmt"
	"math/rand"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/isa"
)

// nchwcScaleShape is one ConvNCHWc layer of the two-thread scaling table.
type nchwcScaleShape struct {
	name                  string
	c, h, w, m, k, pad, s int
	plain                 bool
	wino                  int // nchwcWinoForce while building: 0 picks by shape
}

// nchwcScaleShapes are ResNet-18's (224×224) convolutions as the model
// runs them, plus VGG/UNet-class layers.
var nchwcScaleShapes = []nchwcScaleShape{
	{name: "r18stem_3x224_64k7s2", c: 3, h: 224, w: 224, m: 64, k: 7, pad: 3, s: 2, plain: true},
	{name: "r18_64x56_64", c: 64, h: 56, w: 56, m: 64, k: 3, pad: 1, s: 1},
	{name: "r18_64x56_64_direct", c: 64, h: 56, w: 56, m: 64, k: 3, pad: 1, s: 1, wino: -1},
	{name: "r18_64x56_128s2", c: 64, h: 56, w: 56, m: 128, k: 3, pad: 1, s: 2},
	{name: "r18_128x28_128", c: 128, h: 28, w: 28, m: 128, k: 3, pad: 1, s: 1},
	{name: "r18_128x28_256s2", c: 128, h: 28, w: 28, m: 256, k: 3, pad: 1, s: 2},
	{name: "r18_256x14_256", c: 256, h: 14, w: 14, m: 256, k: 3, pad: 1, s: 1},
	{name: "r18_256x14_512s2", c: 256, h: 14, w: 14, m: 512, k: 3, pad: 1, s: 2},
	{name: "r18_512x7_512", c: 512, h: 7, w: 7, m: 512, k: 3, pad: 1, s: 1},
	{name: "vgg_128x56_128", c: 128, h: 56, w: 56, m: 128, k: 3, pad: 1, s: 1, wino: -1},
	{name: "vgg_256x28_256", c: 256, h: 28, w: 28, m: 256, k: 3, pad: 1, s: 1, wino: -1},
}

// nchwcScaleBuild builds the layer (bias, ReLU) and its input.
func nchwcScaleBuild(tb testing.TB, s nchwcScaleShape, seed int64) (Func, []*ir.Tensor, *ir.Node) {
	defer forceNCHWcWino(s.wino)()
	rng := rand.New(rand.NewSource(seed))
	x := nntRand(rng, 1, int64(s.c), int64(s.h), int64(s.w))
	if !s.plain {
		x = toNCHWc(x)
	}
	w := nntRand(rng, int64(s.m), int64(s.c), int64(s.k), int64(s.k))
	bias := nntRand(rng, int64(s.m))
	p := int64(s.pad)
	attrs := nntAttrs("block", 16, "kernel_shape", []int64{int64(s.k), int64(s.k)}, "pads", []int64{p, p, p, p}, "strides", []int64{int64(s.s), int64(s.s)}, "activation", "Relu")
	for k, a := range attrs {
		a.Name = k
	}
	n := &ir.Node{Name: "n", Op: "ConvNCHWc", Domain: ir.FusedDomain, Opset: 1, Attrs: attrs, Outputs: []*ir.Value{{Name: "y"}}}
	xv := &ir.Value{Name: "x", Type: ir.TypeOfTensor(x)}
	wv := &ir.Value{Name: "w", Type: ir.TypeOfTensor(w), Const: w}
	bv := &ir.Value{Name: "b", Type: ir.TypeOfTensor(bias), Const: bias}
	n.Inputs = []*ir.Value{xv, wv, bv}
	f, err := BuildNode(&Build{Node: n, InTypes: []*ir.Type{&xv.Type, &wv.Type, &bv.Type}, Level: isa.Current()})
	if err != nil {
		tb.Fatal(err)
	}
	return f, []*ir.Tensor{x, w, bias}, n
}

// cpuPool is a pool of n threads (the caller and n-1 workers locked to
// their OS threads) that sums each thread's CPU time inside the chunks it
// runs, so a table can tell work added by splitting (the chunks' CPU sum
// against one thread's) from imbalance (the busiest thread against the
// mean) from waiting (wall time against the busiest thread).
type cpuPool struct {
	n    int
	work []chan func()
	wg   sync.WaitGroup
	cpu  []int64 // per thread, ns, since the last reset
}

func newCPUPool(n int) *cpuPool {
	p := &cpuPool{n: n, cpu: make([]int64, n)}
	for range n - 1 {
		ch := make(chan func(), 1)
		p.work = append(p.work, ch)
		go func() {
			runtime.LockOSThread()
			for f := range ch {
				f()
				p.wg.Done()
			}
		}()
	}
	return p
}

func (p *cpuPool) Threads() int { return p.n }

func (p *cpuPool) For(n, grain int, fn func(lo, hi int)) {
	chunks := min(p.n, max((n+max(grain, 1)-1)/max(grain, 1), 1))
	p.wg.Add(chunks - 1)
	for c := 1; c < chunks; c++ {
		p.work[c-1] <- func() {
			c0 := nchwcThreadCPU()
			fn(c*n/chunks, (c+1)*n/chunks)
			p.cpu[c] += nchwcThreadCPU() - c0
		}
	}
	c0 := nchwcThreadCPU()
	fn(0, n/chunks)
	p.cpu[0] += nchwcThreadCPU() - c0
	p.wg.Wait()
}

func (p *cpuPool) close() {
	for _, ch := range p.work {
		close(ch)
	}
}

// TestNCHWcScalingTable prints, for each layer of nchwcScaleShapes (as
// picked: Winograd or direct), medians over reps of
//
//	1t      one thread's CPU time (ms)
//	pair    CPU time of the same layer run single-threaded by two
//	        threads at once on separate copies (memory-bandwidth and
//	        shared-cache contention: pair/1t near 1 means none)
//	2t wall wall time at two threads (disturbed by other processes)
//	2t cpu  the CPU time summed over both threads' chunks (2t cpu / 1t:
//	        work the split adds) and the busiest thread's (1t / max: the
//	        speed-up a quiet machine allows)
//
// NNCC_NCHWC_SCALE_TABLE=1 runs it; NNCC_NCHWC_SCALE_ONLY=text keeps the
// layers whose name contains text.
func TestNCHWcScalingTable(t *testing.T) {
	if os.Getenv("NNCC_NCHWC_SCALE_TABLE") == "" {
		t.Skip("set NNCC_NCHWC_SCALE_TABLE=1 to measure")
	}
	reps := 21
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	pool := newCPUPool(2)
	defer pool.close()
	fmt.Printf("%-22s %7s %7s %6s | %7s %7s %7s %6s %6s | %s\n", "layer", "1t", "pair", "pair/1", "2twall", "2tsum", "2tmax", "sum/1", "1/max", "1t/2twall")
	only := os.Getenv("NNCC_NCHWC_SCALE_ONLY")
	for _, s := range nchwcScaleShapes {
		if only != "" && !strings.Contains(s.name, only) {
			continue
		}
		f, in, n := nchwcScaleBuild(t, s, 1)
		f2, in2, n2 := nchwcScaleBuild(t, s, 2)
		c1 := &Ctx{Outs: make([]*ir.Tensor, 1), Pool: Serial{}, Node: n}
		c2 := &Ctx{Outs: make([]*ir.Tensor, 1), Pool: Serial{}, Node: n2}
		cp := &Ctx{Outs: make([]*ir.Tensor, 1), Pool: pool, Node: n}
		for _, c := range []*Ctx{c1, c2, cp} {
			fc, inc := f, in
			if c == c2 {
				fc, inc = f2, in2
			}
			if err := fc(c, inc); err != nil {
				t.Fatal(err)
			}
			c.Planned = []*ir.Tensor{c.Outs[0]}
		}
		oh := (s.h+2*s.pad-s.k)/s.s + 1
		flops := 2 * float64(s.m*s.c*s.k*s.k*oh*oh)
		inner := max(1, int(1e8/flops))
		var solo, pair, wall, sum, mx []float64
		for range reps {
			c0 := nchwcThreadCPU()
			for range inner {
				f(c1, in)
			}
			solo = append(solo, float64(nchwcThreadCPU()-c0)/float64(inner)/1e6)

			var wg sync.WaitGroup
			var other float64
			start := make(chan struct{})
			wg.Add(1)
			go func() {
				defer wg.Done()
				runtime.LockOSThread()
				defer runtime.UnlockOSThread()
				<-start
				c0 := nchwcThreadCPU()
				for range inner {
					f2(c2, in2)
				}
				other = float64(nchwcThreadCPU()-c0) / float64(inner) / 1e6
			}()
			close(start)
			c0 = nchwcThreadCPU()
			for range inner {
				f(c1, in)
			}
			mine := float64(nchwcThreadCPU()-c0) / float64(inner) / 1e6
			wg.Wait()
			pair = append(pair, (mine+other)/2)

			clear(pool.cpu)
			t0 := time.Now()
			for range inner {
				f(cp, in)
			}
			wall = append(wall, float64(time.Since(t0).Nanoseconds())/float64(inner)/1e6)
			sum = append(sum, float64(pool.cpu[0]+pool.cpu[1])/float64(inner)/1e6)
			mx = append(mx, float64(max(pool.cpu[0], pool.cpu[1]))/float64(inner)/1e6)
		}
		med := func(v []float64) float64 { slices.Sort(v); return v[len(v)/2] }
		a, b, w, su, m := med(solo), med(pair), med(wall), med(sum), med(mx)
		fmt.Printf("%-22s %7.3f %7.3f %6.2f | %7.3f %7.3f %7.3f %6.2f %6.2f | %5.2f\n", s.name, a, b, b/a, w, su, m, su/a, a/m, a/w)
	}
}
