package kernels

import (
	"math/rand"
	"testing"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/vecmath"
)

// BenchmarkIm2col times the patch-matrix lowering on the shapes of the
// small CNNs (channels × plane, 3×3 kernels).
func BenchmarkIm2col(b *testing.B) {
	for _, tc := range []struct {
		name   string
		xs, ws []int64
		pads   []int64
	}{
		{"32x13x13", []int64{1, 32, 13, 13}, []int64{64, 32, 3, 3}, []int64{0, 0, 0, 0}},
		{"64x5x5p1", []int64{1, 64, 5, 5}, []int64{128, 64, 3, 3}, []int64{1, 1, 1, 1}},
	} {
		spec, _ := newConvSpec(&Build{Node: &ir.Node{Attrs: withNames(nntAttrs("pads", tc.pads))}})
		g, err := spec.resolve(&Ctx{}, tc.xs, tc.ws, false)
		if err != nil {
			b.Fatal(err)
		}
		x := nntRand(rand.New(rand.NewSource(1)), tc.xs...).F32()
		col := make([]float32, g.c*g.kSize*g.outSize)
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				im2col(g, x, g.c, col)
			}
		})
		w := vecmath.Window2D{H: int(g.in[0]), W: int(g.in[1]), KH: 3, KW: 3, SH: 1, SW: 1, DH: 1, DW: 1,
			PadT: int(g.pb[0]), PadL: int(g.pb[1]), PadB: int(g.pe[0]), PadR: int(g.pe[1]), OH: int(g.out[0]), OW: int(g.out[1])}
		b.Run(tc.name+"/vecmath", func(b *testing.B) {
			for b.Loop() {
				vecmath.Im2col(col, x, g.c, &w)
			}
		})
	}
}
