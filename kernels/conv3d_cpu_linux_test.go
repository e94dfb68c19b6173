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

// TestConv3DCPU (NNCC_CONV3D_CPU=1) prints the median thread CPU time per
// Run of 3-D FusedConv shapes with the patch layout (conv_patches.go) and
// with the materialised im2col3D, interleaved in one process.
func TestConv3DCPU(t *testing.T) {
	if os.Getenv("NNCC_CONV3D_CPU") == "" {
		t.Skip("set NNCC_CONV3D_CPU=1")
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	defer func(v bool) { convLayout3D = v }(convLayout3D)
	rng := rand.New(rand.NewSource(7))
	cases := []struct {
		name   string
		xs, ws []int64
		attrs  ir.Attrs
	}{
		{"convnd c3 relu", []int64{2, 4, 5, 6, 7}, []int64{6, 4, 3, 3, 3}, nntAttrs("pads", []int64{1, 1, 1, 1, 1, 1}, "activation", "Relu")},
		{"convnd c4 group", []int64{2, 6, 2, 3, 3}, []int64{4, 3, 1, 2, 2}, nntAttrs("group", 2, "pads", []int64{0, 1, 0, 0, 0, 1})},
		{"video 3x3x3", []int64{1, 16, 8, 28, 28}, []int64{32, 16, 3, 3, 3}, nntAttrs("pads", []int64{1, 1, 1, 1, 1, 1})},
	}
	for _, tc := range cases {
		x, w := nntRand(rng, tc.xs...), nntRand(rng, tc.ws...)
		in := []*ir.Tensor{x, w, nil, nil}
		var fs []Func
		var cs []*Ctx
		for _, on := range []bool{false, true} {
			convLayout3D = on
			n := &ir.Node{Name: "n", Domain: ir.FusedDomain, Op: "FusedConv", Opset: 1, Attrs: withNames(tc.attrs)}
			var types []*ir.Type
			for i, tt := range in {
				if tt == nil {
					n.Inputs = append(n.Inputs, nil)
					types = append(types, nil)
					continue
				}
				v := &ir.Value{Name: fmt.Sprint("in", i), Type: ir.TypeOfTensor(tt)}
				if i == 1 {
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
			if err := f(c, in); err != nil { // resolves the geometry with this setting
				t.Fatal(err)
			}
			fs, cs = append(fs, f), append(cs, c)
		}
		times := make([][]float64, 2)
		const inner = 10
		for range 100 {
			for v, fn := range fs {
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
		t.Logf("%-16s im2col3D %8.2f µs  patches %8.2f µs", tc.name, med(times[0]), med(times[1]))
	}
}
