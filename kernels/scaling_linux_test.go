package kernels

import (
	"fmt"
	"math/rand"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/isa"
)

// scaleCase is one layer of the two-thread scaling table.
type scaleCase struct {
	name  string
	build func(tb testing.TB) (Func, []*ir.Tensor, *ir.Node)
}

// scaleBuildNode builds n over inputs in (constants where const_[i]).
func scaleBuildNode(tb testing.TB, op string, attrs ir.Attrs, in []*ir.Tensor, consts []bool) (Func, []*ir.Tensor, *ir.Node) {
	for k, a := range attrs {
		a.Name = k
	}
	n := &ir.Node{Name: "n", Op: op, Domain: ir.FusedDomain, Opset: 1, Attrs: attrs, Outputs: []*ir.Value{{Name: "y"}}}
	var types []*ir.Type
	for i, t := range in {
		v := &ir.Value{Name: fmt.Sprint("in", i), Type: ir.TypeOfTensor(t)}
		if consts[i] {
			v.Const = t
		}
		n.Inputs = append(n.Inputs, v)
		types = append(types, &v.Type)
	}
	f, err := BuildNode(&Build{Node: n, InTypes: types, Level: isa.Current()})
	if err != nil {
		tb.Fatal(err)
	}
	return f, in, n
}

// scaleConv is a ConvNCHWc (bias, ReLU, residual when res) on a c×h×w
// NCHWc input (plain NCHW when plain), m outputs, k×k window, stride s,
// pads p; force as nchwcWinoForce.
func scaleConv(c, h, w, m, k, s, p int, plain, res bool, force int) func(tb testing.TB) (Func, []*ir.Tensor, *ir.Node) {
	return func(tb testing.TB) (Func, []*ir.Tensor, *ir.Node) {
		defer forceNCHWcWino(force)()
		rng := rand.New(rand.NewSource(1))
		x := nntRand(rng, 1, int64(c), int64(h), int64(w))
		if !plain {
			x = toNCHWc(x)
		}
		wt := nntRand(rng, int64(m), int64(c), int64(k), int64(k))
		bias := nntRand(rng, int64(m))
		attrs := nntAttrs("block", 16, "kernel_shape", []int64{int64(k), int64(k)}, "strides", []int64{int64(s), int64(s)},
			"pads", []int64{int64(p), int64(p), int64(p), int64(p)}, "activation", "Relu")
		in := []*ir.Tensor{x, wt, bias}
		consts := []bool{false, true, true}
		if res {
			oh, ow := (h+2*p-k)/s+1, (w+2*p-k)/s+1
			in = append(in, toNCHWc(nntRand(rng, 1, int64(m), int64(oh), int64(ow))))
			consts = append(consts, false)
		}
		return scaleBuildNode(tb, "ConvNCHWc", attrs, in, consts)
	}
}

// scaleCases are the steps of ResNet-18 at 224×224, batch 1 (one of each
// shape), and the catalogue's VGG/UNet-like 3×3 layers.
var scaleCases = []scaleCase{
	{"stem 3>64 7x7 s2", scaleConv(3, 224, 224, 64, 7, 2, 3, true, false, 0)},
	{"maxpool 64 112 k3s2", func(tb testing.TB) (Func, []*ir.Tensor, *ir.Node) {
		rng := rand.New(rand.NewSource(1))
		x := toNCHWc(nntRand(rng, 1, 64, 112, 112))
		return scaleBuildNode(tb, "MaxPoolNCHWc", nntAttrs("block", 16, "kernel_shape", []int64{3, 3}, "strides", []int64{2, 2}, "pads", []int64{1, 1, 1, 1}), []*ir.Tensor{x}, []bool{false})
	}},
	{"wino 64 56", scaleConv(64, 56, 56, 64, 3, 1, 1, false, true, 0)},
	{"dir 64>128 3x3 s2", scaleConv(64, 56, 56, 128, 3, 2, 1, false, false, 0)},
	{"dir 64>128 1x1 s2", scaleConv(64, 56, 56, 128, 1, 2, 0, false, false, 0)},
	{"wino 128 28", scaleConv(128, 28, 28, 128, 3, 1, 1, false, true, 0)},
	{"dir 128>256 3x3 s2", scaleConv(128, 28, 28, 256, 3, 2, 1, false, false, 0)},
	{"dir 128>256 1x1 s2", scaleConv(128, 28, 28, 256, 1, 2, 0, false, false, 0)},
	{"wino 256 14", scaleConv(256, 14, 14, 256, 3, 1, 1, false, true, 0)},
	{"dir 256>512 3x3 s2", scaleConv(256, 14, 14, 512, 3, 2, 1, false, false, 0)},
	{"dir 256>512 1x1 s2", scaleConv(256, 14, 14, 512, 1, 2, 0, false, false, 0)},
	{"dir 512 7", scaleConv(512, 7, 7, 512, 3, 1, 1, false, true, 0)},
	{"gemv 512>1000", func(tb testing.TB) (Func, []*ir.Tensor, *ir.Node) {
		rng := rand.New(rand.NewSource(1))
		return scaleBuildNode(tb, "FusedGemm", nntAttrs("transB", 1), []*ir.Tensor{nntRand(rng, 1, 512), nntRand(rng, 1000, 512), nntRand(rng, 1000)}, []bool{false, true, true})
	}},
	{"wino 64 112 (vgg)", scaleConv(64, 112, 112, 64, 3, 1, 1, false, false, 0)},
	{"wino 128 56 (vgg)", scaleConv(128, 56, 56, 128, 3, 1, 1, false, false, 0)},
	{"wino 256 28 (vgg)", scaleConv(256, 28, 28, 256, 3, 1, 1, false, false, 0)},
}

// TestNCHWcScaling (NNCC_SCALING=1; NNCC_SCALING_CASES=substring,... to
// pick rows) prints, for the layers of scaleCases, one thread against two
// interleaved: the median wall time of each, the median one-thread CPU
// time, the two-thread "critical path" (scalePool: the caller's serial
// CPU time plus each loop's longest chunk, what two idle cores would
// take), and the speed-ups wall 1t/2t (median and best) and CPU
// 1t/critical path. On a machine shared with other processes the CPU
// ratio is the one to read; the wall ratios need quiet.
func TestNCHWcScaling(t *testing.T) {
	if os.Getenv("NNCC_SCALING") == "" {
		t.Skip("set NNCC_SCALING=1 to measure")
	}
	var pick []string
	if s := os.Getenv("NNCC_SCALING_CASES"); s != "" {
		pick = strings.Split(s, ",")
	}
	runtime.LockOSThread() // never unlocked: the thread is pinned, and exits with the test
	pinThread(0)
	pool := newScalePool(2)
	defer pool.close()
	// NNCC_SCALING_SERIAL=1: the two-thread split run on the caller alone.
	pool.serial = os.Getenv("NNCC_SCALING_SERIAL") != ""
	reps := 41
	fmt.Printf("%-22s %8s %8s %8s %8s %8s | %6s %6s %6s %6s loops\n", "layer", "1t µs", "1tcpu", "2t µs", "2tcrit", "2tsum", "wall", "best", "crit", "sum/2")
	for _, sc := range scaleCases {
		if pick != nil && !slices.ContainsFunc(pick, func(p string) bool { return strings.Contains(sc.name, p) }) {
			continue
		}
		f, in, n := sc.build(t)
		var ctx [2]*Ctx
		for th, p := range []Pool{Serial{}, pool} {
			c := &Ctx{Outs: make([]*ir.Tensor, 1), Pool: p, Node: n}
			if err := f(c, in); err != nil {
				t.Fatal(err)
			}
			c.Planned = []*ir.Tensor{c.Outs[0]}
			ctx[th] = c
		}
		// about 2 ms per sample
		t0 := time.Now()
		for range 5 {
			f(ctx[0], in)
		}
		inner := max(1, int(2*time.Millisecond/(time.Since(t0)/5+1)))
		var wall [2][]float64
		var cpu1, crit, sum []float64
		pool.perLoop = pool.perLoop[:0]
		loops := 0
		for range reps {
			for th := range 2 {
				pool.loops, pool.crit, pool.callerC, pool.sum = 0, 0, 0, 0
				w0, c0 := time.Now(), nchwcThreadCPU()
				for range inner {
					pool.loopInCall = 0
					if err := f(ctx[th], in); err != nil {
						t.Fatal(err)
					}
				}
				c := float64(nchwcThreadCPU()-c0) / float64(inner) / 1e3
				wall[th] = append(wall[th], float64(time.Since(w0).Nanoseconds())/float64(inner)/1e3)
				if th == 0 {
					cpu1 = append(cpu1, c)
				} else {
					crit = append(crit, c-float64(pool.callerC-pool.crit)/float64(inner)/1e3)
					sum = append(sum, c+float64(pool.sum-pool.callerC)/float64(inner)/1e3)
					loops = pool.loops / inner
				}
			}
		}
		for _, s := range [][]float64{wall[0], wall[1], cpu1, crit, sum} {
			slices.Sort(s)
		}
		m := reps / 2
		fmt.Printf("%-22s %8.1f %8.1f %8.1f %8.1f %8.1f | %6.2f %6.2f %6.2f %6.2f %d\n", sc.name, wall[0][m], cpu1[m], wall[1][m], crit[m], sum[m],
			wall[0][m]/wall[1][m], wall[0][0]/wall[1][0], cpu1[m]/crit[m], 2*cpu1[m]/sum[m], loops)
		if os.Getenv("NNCC_SCALING_DETAIL") != "" {
			calls := float64(reps * inner)
			for i, l := range pool.perLoop {
				fmt.Printf("    loop %d: longest chunk %.1f µs, all chunks %.1f µs, the caller's %.1f µs\n", i, float64(l[0])/calls/1e3, float64(l[1])/calls/1e3, float64(l[2])/calls/1e3)
			}
		}
	}
}
