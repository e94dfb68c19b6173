package kernels

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/isa"
)

// TestConvPrepackedThroughBuild: a Conv with constant W transforms its
// weights through the Build's prepack hook, under keys naming the build's
// level (sgemm panels, Winograd operands for the 3×3 case, the flat
// form's panels for few channels on AVX-512); a build
// from the stored transforms makes none and gives the same output.
func TestConvPrepackedThroughBuild(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	for _, tc := range []struct {
		name       string
		c, m, h, k int
		want       string // key prefix the build must record
	}{
		{"winograd3x3", 64, 64, 16, 3, "winograd.U/"},
		{"pointwise", 32, 48, 9, 1, "sgemm."},
		{"5x5", 8, 16, 12, 5, "sgemm."},
		{"flat", 3, 8, 9, 3, "conv.flat6/"},
	} {
		x := ir.NewTensor(ir.Float32, []int64{1, int64(tc.c), int64(tc.h), int64(tc.h)})
		w := ir.NewTensor(ir.Float32, []int64{int64(tc.m), int64(tc.c), int64(tc.k), int64(tc.k)})
		for _, d := range [][]float32{x.F32(), w.F32()} {
			for i := range d {
				d[i] = r.Float32()*2 - 1
			}
		}
		pad := int64(tc.k / 2)
		for _, l := range isa.Supported() {
			t.Run(fmt.Sprint(tc.name, "/", l), func(t *testing.T) {
				a := ir.Attrs{}
				a.SetInts("pads", []int64{pad, pad, pad, pad})
				n := &ir.Node{Name: "n", Op: "Conv", Opset: 13, Attrs: a}
				xv := &ir.Value{Name: "x", Type: ir.TypeOfTensor(x)}
				wv := &ir.Value{Name: "w", Type: ir.TypeOfTensor(w), Const: w}
				n.Inputs = []*ir.Value{xv, wv}
				n.Outputs = []*ir.Value{{Name: "y"}}
				types := []*ir.Type{&xv.Type, &wv.Type}
				run := func(p Prepacks) []float32 {
					f, err := BuildNode(&Build{Node: n, InTypes: types, Level: l, Prepacks: p})
					require.NoError(t, err)
					c := &Ctx{Outs: make([]*ir.Tensor, 1), Node: n, Pool: testPool{1}}
					require.NoError(t, f(c, []*ir.Tensor{x, w}))
					return c.Outs[0].F32()
				}
				rec := NewPrepackStore(true)
				want := run(rec)
				ents := rec.Entries()
				found := false
				for _, e := range ents {
					found = found || strings.HasPrefix(e.Key, tc.want)
					if strings.HasPrefix(e.Key, "sgemm.") || strings.HasPrefix(e.Key, "winograd.") {
						require.Contains(t, e.Key, "/"+l.String()+"/", e.Key)
					}
				}
				if !found {
					t.Skipf("%s: the build chose another form (keys %v)", tc.want, keysOf(ents))
				}
				loaded := NewPrepackStore(false)
				for _, e := range ents {
					loaded.Add(e.Src, e.Key, e.Data)
				}
				got := run(loaded)
				hits, misses := loaded.Stats()
				require.Positive(t, hits)
				require.Zero(t, misses)
				require.Equal(t, want, got)
			})
		}
	}
}

func keysOf(es []PrepackEntry) []string {
	var k []string
	for _, e := range es {
		k = append(k, e.Key)
	}
	return k
}
