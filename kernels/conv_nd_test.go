package kernels

import (
	"fmt"
	"math"
	"math/rand"
	"testing"

	"github.com/nncc/nncc/ir"
)

// TestIm2col3D compares the 3-D im2col with the N-D definition over
// strides, dilations, asymmetric and negative pads, into a NaN-filled
// patch matrix (every entry must be written) from an input left unmodified.
func TestIm2col3D(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	cases := []struct {
		x, w  []int64
		attrs ir.Attrs
	}{
		{[]int64{1, 2, 4, 5, 6}, []int64{3, 2, 3, 3, 3}, nil},
		{[]int64{1, 3, 5, 6, 7}, []int64{2, 3, 3, 3, 3}, nntAttrs("pads", []int64{1, 1, 1, 1, 1, 1})},
		{[]int64{1, 2, 7, 6, 9}, []int64{2, 2, 2, 3, 2}, nntAttrs("strides", []int64{2, 1, 3}, "pads", []int64{0, 2, 1, 1, 0, 2})},
		{[]int64{1, 1, 9, 8, 7}, []int64{1, 1, 3, 2, 3}, nntAttrs("dilations", []int64{2, 3, 1}, "strides", []int64{1, 2, 2}, "pads", []int64{2, 1, 0, 0, 1, 3})},
		{[]int64{1, 2, 3, 3, 3}, []int64{1, 2, 1, 1, 1}, nntAttrs("pads", []int64{3, 0, 0, 0, 0, 3})},
		{[]int64{1, 1, 40, 3, 70}, []int64{1, 1, 2, 2, 3}, nntAttrs("strides", []int64{1, 1, 1})},
	}
	for i, tc := range cases {
		spec := &convSpec{attrs: withNames(tc.attrs), group: 1}
		if spec.attrs == nil {
			spec.attrs = ir.Attrs{}
		}
		g, err := spec.resolve(&Ctx{}, tc.x, tc.w, false)
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		x := nntRand(rng, tc.x...).F32()
		orig := append([]float32{}, x...)
		rows := g.c * g.kSize
		want := make([]float32, rows*g.outSize)
		im2colND(g, x, g.c, want)
		got := make([]float32, len(want))
		for j := range got {
			got[j] = float32(math.NaN())
		}
		im2col(g, x, g.c, got)
		for j, v := range got {
			if v != want[j] {
				t.Fatalf("case %d (%v): element %d = %v, want %v", i, g.oshape, j, v, want[j])
			}
		}
		nntClose(t, fmt.Sprintf("case %d input unmodified", i), x, orig, 0)
	}
}
