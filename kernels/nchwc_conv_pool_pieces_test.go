package kernels

import (
	"fmt"
	"math/rand"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/amd64"
	"github.com/nncc/nncc/kernels/isa"
)

// TestConvPoolSplit is a measuring tool, not a check: with
// NNCC_CONVPOOL_SPLIT set it builds the ConvMaxPoolNCHWc layers of the
// seed CNNs, times every work item on one thread (its CPU time, the least
// of several repeats, so that a busy machine does not distort it) in
// bands (the serial and large-map cut) and in pieces, and prints the
// two-thread makespan that claiming those items in order gives when the
// worker joins the caller d µs late: what the step costs on two
// dedicated cores, free of the machine's noise.
//
//	NNCC_CONVPOOL_SPLIT=1 go test ./kernels -run TestConvPoolSplit -v
func TestConvPoolSplit(t *testing.T) {
	if os.Getenv("NNCC_CONVPOOL_SPLIT") == "" {
		t.Skip("set NNCC_CONVPOOL_SPLIT=1 to time the two-thread split of ConvMaxPoolNCHWc")
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	type layer struct {
		name             string
		n, c, h, w, m, k int
		pad              int64
		plain            bool
		pk, ps           int64
	}
	layers := []layer{
		{"mnist1", 2, 1, 28, 28, 32, 3, 0, true, 2, 2},
		{"mnist2", 2, 32, 13, 13, 64, 3, 0, false, 2, 2},
		{"mnist3", 2, 64, 5, 5, 128, 3, 1, false, 2, 2},
		{"cifar1", 1, 3, 32, 32, 32, 3, 0, true, 2, 2},
		{"cifar2", 1, 32, 15, 15, 64, 3, 0, false, 2, 2},
		{"cifar3", 1, 64, 6, 6, 128, 3, 1, false, 2, 2},
		{"r18stem", 1, 3, 56, 56, 64, 7, 3, true, 3, 2},
	}
	var out strings.Builder
	fmt.Fprintf(&out, "%-9s %6s %9s %9s | %-29s | %-29s\n", "layer", "items", "bands µs", "pieces µs", "bands: d=0 / 2 / 5 / 10 µs", "pieces: d=0 / 2 / 5 / 10 µs")
	for _, l := range layers {
		rng := rand.New(rand.NewSource(3))
		x := nntRand(rng, 1, int64(l.c), int64(l.h), int64(l.w))
		if !l.plain {
			x = toNCHWc(x)
		}
		w := nntRand(rng, int64(l.m), int64(l.c), int64(l.k), int64(l.k))
		bias := nntRand(rng, int64(l.m))
		attrs := nntAttrs("block", 16, "kernel_shape", []int64{int64(l.k), int64(l.k)}, "pads", []int64{l.pad, l.pad, l.pad, l.pad}, "activation", "Relu")
		ir.WithNCHWcPoolAttrs(attrs, nntAttrs("kernel_shape", []int64{l.pk, l.pk}, "strides", []int64{l.ps, l.ps}))
		for k, a := range attrs {
			a.Name = k
		}
		n := &ir.Node{Name: "n", Op: "ConvMaxPoolNCHWc", Domain: ir.FusedDomain, Opset: 1, Attrs: attrs, Outputs: []*ir.Value{{Name: "y"}}}
		var types []*ir.Type
		for i, tn := range []*ir.Tensor{x, w, bias} {
			v := &ir.Value{Name: fmt.Sprint("in", i), Type: ir.TypeOfTensor(tn)}
			if i > 0 {
				v.Const = tn
			}
			n.Inputs = append(n.Inputs, v)
			types = append(types, &v.Type)
		}
		b := &Build{Node: n, InTypes: types, Level: isa.Current()}
		p, err := newConvPoolNCHWc(b)
		if err != nil {
			t.Fatal(err)
		}
		p.pieces = true
		convPoolPieceCols = os.Getenv("NNCC_CONVPOOL_SPLIT") == "cols"
		defer func() { convPoolPieceCols = false }()
		c := &Ctx{Outs: make([]*ir.Tensor, 1), Pool: Serial{}, Node: n}
		g, err := p.geometry(c, int(x.Shape[2]), int(x.Shape[3]))
		if err != nil {
			t.Fatal(err)
		}
		k := p.k
		ocb := int(ir.NCHWcBlocks(int64(k.m), 16))
		xd := x.F32()
		if k.pt|k.pl|k.pb|k.pr != 0 {
			xp := make([]float32, g.cg.imgX)
			k.padInput(Serial{}, g.cg, 1, xd, xp)
			xd = xp
		}
		y := make([]float32, ocb*g.ph*g.pw*16)
		a := new(amd64.NCHWcConvArgs)
		// cost times item it (run as the claim loop would, following
		// its predecessor when it is the next band) in ns of CPU.
		cost := func(j *convPoolJob, it int) float64 {
			s := j.band[:ocb*j.bs]
			run := func(pred bool) float64 {
				best := 1e18
				for range 15 {
					const reps = 20
					t0 := nchwcThreadCPU()
					for range reps {
						switch {
						case j.pieces:
							j.piece(a, s, it)
						case pred:
							j.item(a, s, it-1, false)
						default:
							if it%len(g.bands) != 0 {
								j.item(a, s, it-1, false)
							}
							j.item(a, s, it, it%len(g.bands) != 0)
						}
					}
					best = min(best, float64(nchwcThreadCPU()-t0)/reps)
				}
				return best
			}
			d := run(false)
			if !j.pieces && it%len(g.bands) != 0 {
				d -= run(true) // the item after its predecessor, less the predecessor
			}
			return d
		}
		// makespan claims items in order by two threads, the second
		// starting delay ns late.
		makespan := func(costs []float64, delay float64) float64 {
			free := [2]float64{0, delay}
			for _, cst := range costs {
				i := 0
				if free[1] < free[0] {
					i = 1
				}
				free[i] += cst
			}
			if free[1] == delay {
				return free[0] // the worker came too late to take an item
			}
			return max(free[0], free[1])
		}
		row := func(pieces bool) ([]float64, float64) {
			items, bs := len(k.groups)*len(g.bands), g.ybs
			if pieces {
				items, bs = len(k.groups)*len(g.pieces), g.pbs
			}
			j := &convPoolJob{p: p, g: g, x: xd, y: y, ocb: ocb, items: items, bs: bs, pieces: pieces, band: make([]float32, ocb*bs)}
			var costs []float64
			sum := 0.0
			for it := range items {
				cst := cost(j, it)
				costs = append(costs, cst)
				sum += cst
			}
			// Every image's items cost the same.
			for i := 1; i < l.n; i++ {
				costs = append(costs, costs[:items]...)
			}
			return costs, sum * float64(l.n)
		}
		bc, bsum := row(false)
		var pc []float64
		psum := 0.0
		if len(g.pieces) > 1 {
			pc, psum = row(true)
		}
		fmt.Fprintf(&out, "%-6s n%d %2d/%-3d %9.2f %9.2f |", l.name, l.n, len(bc), len(pc), bsum/1e3, psum/1e3)
		for _, cs := range [][]float64{bc, pc} {
			for _, d := range []float64{0, 2000, 5000, 10000} {
				if len(cs) == 0 {
					fmt.Fprintf(&out, " %6s", "-")
					continue
				}
				fmt.Fprintf(&out, " %6.2f", makespan(cs, d)/1e3)
			}
			out.WriteString(" |")
		}
		out.WriteString("\n")
	}
	t.Log("\n" + out.String())
}
