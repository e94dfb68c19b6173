package kernels

import (
	"fmt"
	"math/rand"
	"os"
	"runtime"
	"slices"
	"testing"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/isa"
)

// TestDepthwise1DCPU (NNCC_DW1D_CPU=1) prints the median thread CPU time
// of 1-D depthwise FusedConv shapes (a speech model's layers) through the
// GEMM forms and through the depthwise form, interleaved in one process.
func TestDepthwise1DCPU(t *testing.T) {
	if os.Getenv("NNCC_DW1D_CPU") == "" {
		t.Skip("set NNCC_DW1D_CPU=1")
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	defer func(v bool) { convDepthwise1DOn = v }(convDepthwise1DOn)
	rng := rand.New(rand.NewSource(7))
	for _, tc := range []struct{ c, w int }{{258, 24}, {16, 12}, {32, 6}, {32, 3}, {128, 200}} {
		xs, ws := []int64{1, int64(tc.c), int64(tc.w)}, []int64{int64(tc.c), 1, 5}
		attrs := nntAttrs("group", tc.c, "pads", []int64{2, 2}, "activation", "Relu")
		x, w, bias := nntRand(rng, xs...), nntRand(rng, ws...), nntRand(rng, int64(tc.c))
		in := []*ir.Tensor{x, w, bias, nil}
		var fs []Func
		var cs []*Ctx
		for _, on := range []bool{false, true} {
			convDepthwise1DOn = on
			n := &ir.Node{Name: "n", Domain: ir.FusedDomain, Op: "FusedConv", Opset: 1, Attrs: withNames(attrs)}
			var types []*ir.Type
			for i, tt := range in {
				if tt == nil {
					n.Inputs = append(n.Inputs, nil)
					types = append(types, nil)
					continue
				}
				v := &ir.Value{Name: fmt.Sprint("in", i), Type: ir.TypeOfTensor(tt)}
				if i > 0 {
					v.Const = tt
				}
				n.Inputs = append(n.Inputs, v)
				types = append(types, &v.Type)
			}
			n.Outputs = []*ir.Value{{Name: "y"}}
			f, err := BuildNode(&Build{Node: n, InTypes: types, Level: isa.Current()})
			if err != nil {
				t.Fatal(err)
			}
			c := &Ctx{Outs: make([]*ir.Tensor, 1), Pool: Serial{}, Node: n}
			if err := f(c, in); err != nil {
				t.Fatal(err)
			}
			fs, cs = append(fs, f), append(cs, c)
		}
		times := make([][]float64, 2)
		const inner = 20
		for range 100 {
			for v, fn := range fs {
				convDepthwise1DOn = v == 1 // read as each Run chooses its form
				c0 := nchwcThreadCPU()
				for range inner {
					if err := fn(cs[v], in); err != nil {
						t.Fatal(err)
					}
				}
				times[v] = append(times[v], float64(nchwcThreadCPU()-c0)/inner/1e3)
			}
		}
		med := func(v []float64) float64 { slices.Sort(v); return v[len(v)/2] }
		t.Logf("%4d×%-4d GEMM forms %8.2f µs  depthwise %8.2f µs", tc.c, tc.w, med(times[0]), med(times[1]))
	}
}
