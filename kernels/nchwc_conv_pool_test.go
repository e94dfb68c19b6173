package kernels

import (
	"fmt"
	"math"
	"math/rand"
	"testing"

	"github.com/nncc/nncc/ir"
)

// TestConvMaxPoolNCHWcAgainstUnfused checks ConvMaxPoolNCHWc against
// ConvNCHWc followed by MaxPoolNCHWc (each tested against the NCHW
// definitions in nchwc_test.go). Every output pixel of the fused kernel
// runs the same micro-kernel sequence, so the results must be equal bit
// for bit. Cases cover plain and blocked inputs, convolution pads,
// strides and dilations, pool pads, strides, dilations and ceil mode,
// overlapping windows, channel counts off the block, activations, K
// chunks, one band and many bands (shared rows moved), serial and split
// over threads.
func TestConvMaxPoolNCHWcAgainstUnfused(t *testing.T) {
	nchwcLevels(t, func(t *testing.T) {
		for _, mode := range []struct {
			name                 string
			band, chunk, parMACs int
		}{
			{"default", convPoolBandBytes, nchwcChunkBytes, convPoolParMACs},
			{"bands", 1, nchwcChunkBytes, 0},
			{"bands-chunks", 2048, 0, 0},
		} {
			t.Run(mode.name, func(t *testing.T) {
				defer func(b, c, p, tg, tt int) {
					convPoolBandBytes, nchwcChunkBytes, convPoolParMACs, nchwcChunkTarget, nchwcChunkTiles = b, c, p, tg, tt
				}(convPoolBandBytes, nchwcChunkBytes, convPoolParMACs, nchwcChunkTarget, nchwcChunkTiles)
				convPoolBandBytes, nchwcChunkBytes, convPoolParMACs = mode.band, mode.chunk, mode.parMACs
				if mode.chunk == 0 {
					nchwcChunkTarget, nchwcChunkTiles = 1, 3
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
		{2, 1, 28, 28, 32, 3, 1, 0, true, "Relu", 2, 2, 0, 1, 0},    // LeNet first layer
		{1, 3, 32, 32, 32, 3, 1, 0, true, "Relu", 2, 2, 0, 1, 0},    // CIFAR first layer
		{1, 32, 13, 13, 64, 3, 1, 0, false, "Relu", 2, 2, 0, 1, 0},  // odd output, floor
		{1, 64, 5, 5, 128, 3, 1, 1, false, "Relu", 2, 2, 0, 1, 0},   // padded conv
		{1, 3, 30, 30, 24, 7, 2, 3, true, "Relu", 3, 2, 1, 1, 0},    // ResNet stem, overlapping windows
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
