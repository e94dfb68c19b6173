package kernels

import (
	"fmt"
	"math"
	"math/rand"
	"runtime"
	"testing"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/isa"
)

// TestConvMaxPoolNCHWcAgainstUnfused checks ConvMaxPoolNCHWc against
// ConvNCHWc followed by MaxPoolNCHWc (each tested against the NCHW
// definitions in nchwc_test.go). Every output pixel of the fused kernel
// runs the same micro-kernel sequence, so the results must be equal bit
// for bit. Cases cover plain and blocked inputs, convolution pads,
// strides and dilations, pool pads, strides, dilations and ceil mode,
// overlapping windows, channel counts off the block, activations, K
// chunks, one band and many bands (shared rows moved), serial and split
// over threads, in bands or in pieces (small pieces of one pixel and up,
// with and without K chunks).
func TestConvMaxPoolNCHWcAgainstUnfused(t *testing.T) {
	nchwcLevels(t, func(t *testing.T) {
		for _, mode := range []struct {
			name                 string
			band, chunk, parMACs int
			pieces               int  // convPoolPieceItems; 0: the default
			cols                 bool // convPoolPieceCols
		}{
			{"default", convPoolBandBytes, nchwcChunkBytes, convPoolParMACs, 0, false},
			{"bands", 1, nchwcChunkBytes, 0, 0, false},
			{"bands-chunks", 2048, 0, 0, 0, false},
			{"pieces", convPoolBandBytes, nchwcChunkBytes, convPoolParMACs, 1 << 20, true},
			{"pieces-rows", convPoolBandBytes, nchwcChunkBytes, convPoolParMACs, 5, false},
			{"pieces-chunks", convPoolBandBytes, 0, convPoolParMACs, 7, true},
		} {
			t.Run(mode.name, func(t *testing.T) {
				defer func(b, c, p, tg, tt, pi, pp int) {
					convPoolBandBytes, nchwcChunkBytes, convPoolParMACs, nchwcChunkTarget, nchwcChunkTiles = b, c, p, tg, tt
					convPoolPieceItems, convPoolPiecePixels, convPoolPieceCols, convPoolPieceForce = pi, pp, false, false
				}(convPoolBandBytes, nchwcChunkBytes, convPoolParMACs, nchwcChunkTarget, nchwcChunkTiles,
					convPoolPieceItems, convPoolPiecePixels)
				convPoolBandBytes, nchwcChunkBytes, convPoolParMACs = mode.band, mode.chunk, mode.parMACs
				if mode.chunk == 0 {
					nchwcChunkTarget, nchwcChunkTiles = 1, 3
				}
				if mode.pieces > 0 {
					convPoolPieceItems, convPoolPiecePixels, convPoolPieceCols, convPoolPieceForce, convPoolParMACs = mode.pieces, 1, mode.cols, true, 0
				}
				testConvMaxPoolNCHWc(t)
			})
		}
	})
}

func testConvMaxPoolNCHWc(t *testing.T) {
	rng := rand.New(rand.NewSource(21))
	type tc struct {
		n, c, h, w, m, k   int
		cs, cp             int64 // conv stride, pads (all sides)
		plain              bool
		act                string
		pk, ps, pp, pd, pc int64 // pool kernel, stride, pad (top/left; bottom/right pp/2), dilation, ceil
	}
	cases := []tc{
		{2, 1, 28, 28, 32, 3, 1, 0, true, "Relu", 2, 2, 0, 1, 0},     // LeNet first layer
		{1, 3, 32, 32, 32, 3, 1, 0, true, "Relu", 2, 2, 0, 1, 0},     // CIFAR first layer
		{1, 32, 13, 13, 64, 3, 1, 0, false, "Relu", 2, 2, 0, 1, 0},   // odd output, floor
		{1, 64, 5, 5, 128, 3, 1, 1, false, "Relu", 2, 2, 0, 1, 0},    // padded conv
		{1, 3, 30, 30, 24, 7, 2, 3, true, "Relu", 3, 2, 1, 1, 0},     // ResNet stem, overlapping windows
		{2, 20, 9, 11, 40, 3, 1, 1, false, "Sigmoid", 3, 1, 1, 1, 0}, // stride-1 pool
		{1, 17, 10, 9, 19, 3, 2, 1, false, "", 2, 2, 1, 1, 1},        // ceil mode, padded pool
		{1, 5, 12, 12, 70, 3, 1, 0, false, "Clip", 3, 2, 0, 2, 1},    // dilated pool, clamp
		{1, 2, 15, 14, 33, 5, 1, 2, true, "LeakyRelu", 2, 3, 1, 1, 1},
	}
	for i := 0; i < 10; i++ {
		pk := 1 + rng.Int63n(3)
		cases = append(cases, tc{1 + rng.Intn(2), 1 + rng.Intn(40), 4 + rng.Intn(12), 4 + rng.Intn(12), 1 + rng.Intn(70), 1 + rng.Intn(3),
			1 + rng.Int63n(2), rng.Int63n(2), rng.Intn(3) == 0, []string{"", "Relu", "Tanh"}[rng.Intn(3)],
			pk, 1 + rng.Int63n(3), rng.Int63n(pk), 1 + rng.Int63n(2), rng.Int63n(2)})
	}
	ran := 0
	for ci, k := range cases {
		name := fmt.Sprintf("case%d %+v", ci, k)
		x := nntRand(rng, int64(k.n), int64(k.c), int64(k.h), int64(k.w))
		if ci%5 == 2 {
			x.F32()[rng.Intn(len(x.F32()))] = float32(math.NaN())
		}
		w := nntRand(rng, int64(k.m), int64(k.c), int64(k.k), int64(k.k))
		b := nntRand(rng, int64(k.m))
		conv := nntAttrs("block", 16, "kernel_shape", []int64{int64(k.k), int64(k.k)}, "strides", []int64{k.cs, k.cs},
			"pads", []int64{k.cp, k.cp, k.cp, k.cp})
		if k.act != "" {
			conv.SetString("activation", k.act)
			switch k.act {
			case "LeakyRelu":
				conv["activation_params"] = &ir.Attr{Kind: ir.AttrFloats, Floats: []float32{0.1}}
			case "Clip":
				conv["activation_params"] = &ir.Attr{Kind: ir.AttrFloats, Floats: []float32{-0.5, 0.5}}
			}
		}
		pool := nntAttrs("kernel_shape", []int64{k.pk, k.pk}, "strides", []int64{k.ps, k.ps}, "dilations", []int64{k.pd, k.pd},
			"pads", []int64{k.pp, k.pp, k.pp / 2, k.pp / 2}, "ceil_mode", int(k.pc))
		xin := x
		if !k.plain {
			xin = toNCHWc(x)
		}
		y, err := nchwcRun("ConvNCHWc", cloneTestAttrs(conv), map[int]bool{1: true, 2: true}, Serial{}, xin, w, b)
		if err != nil {
			continue // e.g. a kernel larger than the padded input
		}
		pattrs := cloneTestAttrs(pool)
		pattrs.SetInt("block", 16)
		want, err := nchwcRun("MaxPoolNCHWc", pattrs, nil, Serial{}, y)
		if err != nil {
			continue
		}
		if empty := emptyPoolWindow(y.Shape, k.pk, k.ps, k.pp, k.pp/2, k.pd, want.Shape); empty {
			continue // the pass does not fuse such pools
		}
		ran++
		fused := cloneTestAttrs(conv)
		ir.WithNCHWcPoolAttrs(fused, pool)
		for _, p := range []Pool{Serial{}, testPool{3}} {
			got, err := nchwcRun("ConvMaxPoolNCHWc", cloneTestAttrs(fused), map[int]bool{1: true, 2: true}, p, xin, w, b)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if !sameShape(got.Shape, want.Shape) {
				t.Fatalf("%s: shape %v, want %v", name, got.Shape, want.Shape)
			}
			g, wv := got.F32(), want.F32()
			for i := range g {
				if g[i] != wv[i] && !(g[i] != g[i] && wv[i] != wv[i]) {
					t.Fatalf("%s (threads %d): element %d = %v, want %v", name, p.Threads(), i, g[i], wv[i])
				}
			}
		}
	}
	if ran < len(cases)*2/3 {
		t.Fatalf("only %d of %d cases ran", ran, len(cases))
	}
}

// emptyPoolWindow reports whether a pooling window over conv output shape
// s (NCHWc) lies wholly in the padding.
func emptyPoolWindow(s []int64, k, st, pb, pe, d int64, out []int64) bool {
	for a := range 2 {
		for o := range out[2+a] {
			start, any := o*st-pb, false
			for t := range k {
				if q := start + t*d; q >= 0 && q < s[2+a] {
					any = true
				}
			}
			if !any {
				return true
			}
		}
	}
	_ = pe
	return false
}

// cloneTestAttrs copies attrs (nchwcRun renames attribute values).
func cloneTestAttrs(a ir.Attrs) ir.Attrs {
	out := ir.Attrs{}
	for k, v := range a {
		c := *v
		out[k] = &c
	}
	return out
}

// BenchmarkConvMaxPoolNCHWc times the fused ConvMaxPoolNCHWc against
// ConvNCHWc followed by MaxPoolNCHWc (bias + ReLU fused, one thread) on
// the first layers of the seed CNNs and ResNet-18's stem; cpu-ns/op is
// the thread's CPU time per op.
func BenchmarkConvMaxPoolNCHWc(b *testing.B) {
	for _, s := range []struct {
		name                   string
		c, h, w, m, k, pad, st int
		plain                  bool
		pk, ps, pp             int64
	}{
		{"mnist1_1x28x28_32", 1, 28, 28, 32, 3, 0, 1, true, 2, 2, 0},
		{"mnist2_32x13x13_64", 32, 13, 13, 64, 3, 0, 1, false, 2, 2, 0},
		{"cifar1_3x32x32_32", 3, 32, 32, 32, 3, 0, 1, true, 2, 2, 0},
		{"r18stem_3x224x224_64s2", 3, 224, 224, 64, 7, 3, 2, true, 3, 2, 1},
	} {
		rng := rand.New(rand.NewSource(1))
		x := nntRand(rng, 1, int64(s.c), int64(s.h), int64(s.w))
		if !s.plain {
			x = toNCHWc(x)
		}
		w := nntRand(rng, int64(s.m), int64(s.c), int64(s.k), int64(s.k))
		bias := nntRand(rng, int64(s.m))
		p := int64(s.pad)
		conv := nntAttrs("block", 16, "kernel_shape", []int64{int64(s.k), int64(s.k)}, "pads", []int64{p, p, p, p},
			"strides", []int64{int64(s.st), int64(s.st)}, "activation", "Relu")
		pool := nntAttrs("kernel_shape", []int64{s.pk, s.pk}, "strides", []int64{s.ps, s.ps}, "pads", []int64{s.pp, s.pp, s.pp, s.pp})
		fused := cloneTestAttrs(conv)
		ir.WithNCHWcPoolAttrs(fused, pool)
		pool.SetInt("block", 16)
		build := func(b *testing.B, op string, attrs ir.Attrs, consts bool, in ...*ir.Tensor) func() *ir.Tensor {
			n := &ir.Node{Name: "n", Op: op, Domain: ir.FusedDomain, Opset: 1, Attrs: cloneTestAttrs(attrs), Outputs: []*ir.Value{{Name: "y"}}}
			for k, a := range n.Attrs {
				a.Name = k
			}
			var types []*ir.Type
			for i, t := range in {
				v := &ir.Value{Name: fmt.Sprint("in", i), Type: ir.TypeOfTensor(t)}
				if consts && i > 0 {
					v.Const = t
				}
				n.Inputs = append(n.Inputs, v)
				types = append(types, &v.Type)
			}
			f, err := BuildNode(&Build{Node: n, InTypes: types, Level: isa.Current()})
			if err != nil {
				b.Fatal(err)
			}
			c := &Ctx{Outs: make([]*ir.Tensor, 1), Pool: Serial{}, Node: n}
			if err := f(c, in); err != nil {
				b.Fatal(err)
			}
			c.Planned = []*ir.Tensor{c.Outs[0]}
			return func() *ir.Tensor {
				if err := f(c, in); err != nil {
					b.Fatal(err)
				}
				return c.Outs[0]
			}
		}
		timeIt := func(b *testing.B, run func()) {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			b.ResetTimer()
			cpu0 := nchwcThreadCPU()
			for range b.N {
				run()
			}
			b.ReportMetric(float64(nchwcThreadCPU()-cpu0)/float64(b.N), "cpu-ns/op")
		}
		b.Run(s.name+"/fused", func(b *testing.B) {
			f := build(b, "ConvMaxPoolNCHWc", fused, true, x, w, bias)
			timeIt(b, func() { f() })
		})
		b.Run(s.name+"/unfused", func(b *testing.B) {
			f := build(b, "ConvNCHWc", conv, true, x, w, bias)
			y := f()
			g := build(b, "MaxPoolNCHWc", pool, false, y)
			timeIt(b, func() { f(); g() })
		})
	}
}
