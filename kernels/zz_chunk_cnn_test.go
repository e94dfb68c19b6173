package kernels

import (
	"fmt"
	"math/rand"
	"runtime"
	"testing"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/isa"
)

func BenchmarkZZChunk(b *testing.B) {
	defer func(f int) { nchwcWinoForce = f }(nchwcWinoForce)
	nchwcWinoForce = -1
	type shp struct{ c, h, m, k, pad, st int }
	for _, s := range []shp{{512, 7, 512, 3, 1, 1}, {256, 14, 512, 3, 1, 2}, {256, 14, 256, 3, 1, 1}} {
		for _, cfg := range [][3]int{{1 << 30, 1, 16}, {0, 37 << 10, 16}, {0, 74 << 10, 16}, {0, 128 << 10, 16}, {0, 256 << 10, 16}, {0, 74 << 10, 4}, {0, 74 << 10, 64}} {
			b.Run(fmt.Sprintf("c%d_h%d_s%d/b%d_t%d_n%d", s.c, s.h, s.st, cfg[0]>>10, cfg[1]>>10, cfg[2]), func(b *testing.B) {
				defer func(x, y, z int) { nchwcChunkBytes, nchwcChunkTarget, nchwcChunkTiles = x, y, z }(nchwcChunkBytes, nchwcChunkTarget, nchwcChunkTiles)
				nchwcChunkBytes, nchwcChunkTarget, nchwcChunkTiles = cfg[0], cfg[1], cfg[2]
				rng := rand.New(rand.NewSource(1))
				x := toNCHWc(nntRand(rng, 1, int64(s.c), int64(s.h), int64(s.h)))
				w := nntRand(rng, int64(s.m), int64(s.c), int64(s.k), int64(s.k))
				bias := nntRand(rng, int64(s.m))
				p := int64(s.pad)
				attrs := nntAttrs("block", 16, "kernel_shape", []int64{int64(s.k), int64(s.k)}, "pads", []int64{p, p, p, p}, "strides", []int64{int64(s.st), int64(s.st)}, "activation", "Relu")
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
					b.Fatal(err)
				}
				c := &Ctx{Outs: make([]*ir.Tensor, 1), Pool: Serial{}, Node: n}
				in := []*ir.Tensor{x, w, bias}
				f(c, in)
				oh := (s.h+2*s.pad-s.k)/s.st + 1
				flops := 2 * float64(s.m*oh*oh*s.c*s.k*s.k)
				c.Planned = []*ir.Tensor{c.Outs[0]}
				runtime.LockOSThread()
				defer runtime.UnlockOSThread()
				b.ResetTimer()
				cpu0 := nchwcThreadCPU()
				for range b.N {
					f(c, in)
				}
				cpu := nchwcThreadCPU() - cpu0
				b.ReportMetric(flops*float64(b.N)/float64(cpu), "cpuGFLOPS")
			})
		}
	}
}
