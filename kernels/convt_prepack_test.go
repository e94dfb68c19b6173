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

// TestConvTransposePrepackedThroughBuild: a ConvTranspose with constant W
// packs its panels through the Build's prepack hook in every form (col:
// sgemm.A of W[g]ᵀ; colᵀ: convT.B of W[g] reordered tap-major; sub-pixel:
// convT.phase6 of W[g] stacked per phase class), keyed on the constant itself, so that a build from the
// stored transforms (an artifact's) finds every one of them, packs
// nothing and gives the same output.
func TestConvTransposePrepackedThroughBuild(t *testing.T) {
	r := rand.New(rand.NewSource(5))
	for _, tc := range []struct {
		name  string
		attrs ir.Attrs
		x, w  []int64
	}{
		{"1x1 input", nil, []int64{2, 20, 1, 1}, []int64{20, 40, 4, 4}},
		{"4x4 up group", nntAttrs("group", 2, "strides", []int64{2, 2}, "pads", []int64{1, 1, 1, 1}), []int64{1, 64, 4, 4}, []int64{64, 32, 4, 4}},
		{"large image", nntAttrs("strides", []int64{2, 2}, "pads", []int64{1, 1, 1, 1}), []int64{1, 8, 32, 32}, []int64{8, 4, 4, 4}},
	} {
		x, w := nntRand(r, tc.x...), nntRand(r, tc.w...)
		for _, of := range []struct {
			force int
			want  string // key prefix the build must record
		}{{0, "sgemm.A/"}, {1, "convT.B/"}, {2, "convT.phase6/"}} {
			for _, l := range isa.Supported() {
				t.Run(fmt.Sprint(tc.name, "/", of.want, l), func(t *testing.T) {
					defer func() { convTForce = -1 }()
					convTForce = of.force
					n := &ir.Node{Name: "n", Op: "ConvTranspose", Opset: 22, Attrs: withNames(tc.attrs)}
					if n.Attrs == nil {
						n.Attrs = ir.Attrs{}
					}
					xv := &ir.Value{Name: "x", Type: ir.TypeOfTensor(x)}
					wv := &ir.Value{Name: "w", Type: ir.TypeOfTensor(w), Const: w}
					n.Inputs = []*ir.Value{xv, wv}
					n.Outputs = []*ir.Value{{Name: "y"}}
					require.NoError(t, ir.InferNode(n))
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
					require.NotEmpty(t, ents)
					found := false
					for _, e := range ents {
						found = found || strings.HasPrefix(e.Key, of.want)
						require.Contains(t, e.Key, "/"+l.String()+"/", e.Key)
						require.True(t, within(e.Src, w.F32()), "%s: the source must be part of W", e.Key)
					}
					require.True(t, found, "keys %v", keysOf(ents))
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
}

// within reports whether s is a subslice of whole.
func within(s, whole []float32) bool {
	for i := range whole {
		if &whole[i] == &s[0] {
			return len(s) <= len(whole)-i
		}
	}
	return false
}
