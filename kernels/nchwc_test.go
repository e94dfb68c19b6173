package kernels

import (
	"fmt"
	"math"
	"math/rand"
	"testing"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/isa"
)

// Tests of the NCHWc kernels against the NCHW definitions: ConvNCHWc
// against convDirect (the slow twin of Conv) over strides, pads,
// dilations, odd channel counts, plain and blocked inputs, batches, bias,
// residual and activations; pooling against the MaxPool/AveragePool
// kernels; reorders round trip. Every level the CPU supports runs (the
// micro-kernel is chosen at build time from isa.Current()).

// nchwcRun builds and runs one nncc-domain node; consts marks inputs that
// are constants of the node (W, B).
func nchwcRun(op string, attrs ir.Attrs, consts map[int]bool, pool Pool, in ...*ir.Tensor) (*ir.Tensor, error) {
	for k, a := range attrs {
		a.Name = k
	}
	n := &ir.Node{Name: "n", Op: op, Domain: ir.FusedDomain, Opset: 1, Attrs: attrs, Outputs: []*ir.Value{{Name: "y"}}}
	var types []*ir.Type
	for i, t := range in {
		if t == nil {
			n.Inputs = append(n.Inputs, nil)
			types = append(types, nil)
			continue
		}
		v := &ir.Value{Name: fmt.Sprint("in", i), Type: ir.TypeOfTensor(t)}
		if consts[i] {
			v.Const = t
		}
		n.Inputs = append(n.Inputs, v)
		types = append(types, &v.Type)
	}
	if err := ir.InferNode(n); err != nil {
		return nil, fmt.Errorf("infer: %w", err)
	}
	f, err := BuildNode(&Build{Node: n, InTypes: types, Level: isa.Current()})
	if err != nil {
		return nil, err
	}
	c := &Ctx{Outs: make([]*ir.Tensor, 1), Pool: pool, Node: n}
	if err := f(c, in); err != nil {
		return nil, err
	}
	o, typ := c.Outs[0], n.Outputs[0].Type
	for d, dim := range typ.Shape {
		if !dim.Known() || dim.Size != o.Shape[d] {
			return nil, fmt.Errorf("inferred shape %v, got %v", typ.Shape, o.Shape)
		}
	}
	return o, nil
}

func toNCHWc(t *ir.Tensor) *ir.Tensor {
	s := t.Shape
	out := ir.NewTensor(ir.Float32, []int64{s[0], ir.NCHWcBlocks(s[1], 16), s[2], s[3], 16})
	nchwToNCHWc(t.F32(), out.F32(), int(s[0]), int(s[1]), int(s[2]*s[3]), 16)
	return out
}

func fromNCHWc(t *ir.Tensor, c int) []float32 {
	s := t.Shape
	out := make([]float32, int(s[0])*c*int(s[2]*s[3]))
	nchwcToNCHW(t.F32(), out, int(s[0]), c, int(s[2]*s[3]), 16)
	return out
}

// nchwcLevels runs f once per ISA level the CPU supports among generic
// and AVX-512 (the levels with distinct NCHWc micro-kernels).
func nchwcLevels(t *testing.T, f func(t *testing.T)) {
	for _, l := range []isa.Level{isa.Generic, isa.AVX512} {
		if !isa.Has(l) {
			continue
		}
		t.Run(l.String(), func(t *testing.T) {
			defer isa.Force(l)()
			f(t)
		})
	}
}

func TestConvNCHWcAgainstDirect(t *testing.T) {
	nchwcLevels(t, testConvNCHWc)
}

func testConvNCHWc(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	type tc struct {
		n, c, h, w, m, kh, kw int
		s, d, p               [2]int64 // strides, dilations, pads (begin=end... p[0] top/bottom, p[1] left/right)
		plain, bias, res      bool
		act                   string
	}
	cases := []tc{
		{1, 16, 8, 8, 16, 3, 3, [2]int64{1, 1}, [2]int64{1, 1}, [2]int64{1, 1}, false, true, false, "Relu"},
		{2, 3, 9, 7, 32, 3, 3, [2]int64{1, 1}, [2]int64{1, 1}, [2]int64{0, 0}, true, true, false, "Relu"},
		{1, 1, 28, 28, 32, 3, 3, [2]int64{1, 1}, [2]int64{1, 1}, [2]int64{0, 0}, true, true, false, "Relu"},
		{2, 20, 11, 13, 40, 3, 3, [2]int64{2, 1}, [2]int64{1, 1}, [2]int64{1, 2}, false, true, true, "Relu"},
		{1, 33, 10, 10, 17, 5, 3, [2]int64{1, 2}, [2]int64{2, 1}, [2]int64{2, 1}, false, false, false, ""},
		{3, 16, 5, 5, 48, 1, 1, [2]int64{1, 1}, [2]int64{1, 1}, [2]int64{0, 0}, false, true, true, "Sigmoid"},
		{1, 64, 6, 6, 128, 3, 3, [2]int64{1, 1}, [2]int64{1, 1}, [2]int64{1, 1}, false, true, false, "Relu"},
		{1, 7, 12, 9, 80, 2, 4, [2]int64{3, 2}, [2]int64{1, 2}, [2]int64{1, 0}, true, true, true, "Tanh"},
		{2, 32, 7, 7, 16, 3, 3, [2]int64{2, 2}, [2]int64{1, 1}, [2]int64{1, 1}, false, true, false, "LeakyRelu"},
		{1, 5, 4, 4, 3, 3, 3, [2]int64{1, 1}, [2]int64{1, 1}, [2]int64{1, 1}, false, true, true, ""},
		{2, 2, 11, 12, 24, 3, 5, [2]int64{1, 2}, [2]int64{2, 2}, [2]int64{1, 2}, true, true, true, "Relu"},  // row segments
		{1, 20, 9, 9, 24, 3, 3, [2]int64{1, 1}, [2]int64{1, 1}, [2]int64{1, 1}, false, true, false, "Clip"}, // one-pass clamp
		{1, 16, 6, 6, 40, 1, 1, [2]int64{1, 1}, [2]int64{1, 1}, [2]int64{0, 0}, false, true, true, "Clip"},
		// Branch-free activations (vecmath) on the shapes of a
		// tf2onnx audio embedding and a paddle OCR detector: a grey 3×3
		// stem, 24 channels in 1×3 and 3×1 kernels, a 16→32 1×1.
		{1, 1, 20, 12, 24, 3, 3, [2]int64{1, 1}, [2]int64{1, 1}, [2]int64{0, 0}, true, true, false, "LeakyRelu"},
		{1, 24, 14, 9, 24, 1, 3, [2]int64{1, 1}, [2]int64{1, 1}, [2]int64{0, 1}, false, true, false, "LeakyRelu"},
		{1, 24, 14, 9, 24, 3, 1, [2]int64{1, 1}, [2]int64{1, 1}, [2]int64{0, 0}, false, true, true, "LeakyRelu"},
		{1, 16, 13, 11, 32, 1, 1, [2]int64{1, 1}, [2]int64{1, 1}, [2]int64{0, 0}, false, true, false, "HardSwish"},
		{2, 3, 12, 10, 16, 3, 3, [2]int64{2, 2}, [2]int64{1, 1}, [2]int64{1, 1}, true, true, false, "HardSwish"},
		{1, 40, 14, 14, 72, 3, 3, [2]int64{1, 1}, [2]int64{1, 1}, [2]int64{1, 1}, false, true, false, "HardSwish"},
		// One output pixel of one block per image: the batch's images
		// are the tiles' pixels (a DCGAN discriminator's head, 1 to 3
		// tiles, padded, plain and residual forms).
		{3, 40, 4, 4, 1, 4, 4, [2]int64{1, 1}, [2]int64{1, 1}, [2]int64{0, 0}, false, true, false, ""},
		{8, 20, 3, 5, 12, 3, 5, [2]int64{1, 1}, [2]int64{1, 1}, [2]int64{0, 0}, false, true, true, "LeakyRelu"},
		{13, 3, 5, 5, 16, 5, 5, [2]int64{1, 1}, [2]int64{1, 1}, [2]int64{0, 0}, true, true, false, "Sigmoid"},
		{4, 16, 2, 2, 9, 3, 3, [2]int64{2, 2}, [2]int64{1, 1}, [2]int64{1, 1}, false, false, true, "Relu"},
		// Tap groups (nchwc_conv_taps.go): plain inputs, one output
		// block, kw a multiple of sw ≥ 2 (a DCGAN discriminator's stem;
		// 2 to 4 groups, padding lanes, residual, no pads at all, and a
		// layer large enough for the pool to take the ordinary form).
		{3, 3, 32, 32, 16, 4, 4, [2]int64{2, 2}, [2]int64{1, 1}, [2]int64{1, 1}, true, true, false, "LeakyRelu"},
		{2, 2, 9, 11, 5, 3, 6, [2]int64{1, 3}, [2]int64{2, 1}, [2]int64{0, 2}, true, true, true, "Relu"},
		{1, 1, 7, 13, 16, 2, 8, [2]int64{2, 2}, [2]int64{1, 1}, [2]int64{1, 0}, true, false, false, "Sigmoid"},
		{2, 3, 8, 8, 12, 2, 4, [2]int64{1, 2}, [2]int64{1, 1}, [2]int64{0, 0}, true, true, false, "Clip"},
		{2, 3, 64, 64, 16, 4, 4, [2]int64{2, 2}, [2]int64{1, 1}, [2]int64{1, 1}, true, true, true, ""},
	}
	for i := 0; i < 12; i++ { // random shapes
		cases = append(cases, tc{1 + rng.Intn(2), 1 + rng.Intn(40), 3 + rng.Intn(12), 3 + rng.Intn(12), 1 + rng.Intn(70), 1 + rng.Intn(3), 1 + rng.Intn(3),
			[2]int64{1 + rng.Int63n(2), 1 + rng.Int63n(2)}, [2]int64{1 + rng.Int63n(2), 1}, [2]int64{rng.Int63n(2), rng.Int63n(2)},
			rng.Intn(3) == 0, rng.Intn(2) == 0, rng.Intn(2) == 0, []string{"", "Relu", "Sigmoid"}[rng.Intn(3)]})
	}
	for ci, k := range cases {
		name := fmt.Sprintf("case%d %+v", ci, k)
		x := nntRand(rng, int64(k.n), int64(k.c), int64(k.h), int64(k.w))
		w := nntRand(rng, int64(k.m), int64(k.c), int64(k.kh), int64(k.kw))
		var b *ir.Tensor
		var bd []float32
		if k.bias {
			b = nntRand(rng, int64(k.m))
			bd = b.F32()
		}
		pads := []int64{k.p[0], k.p[1], k.p[0], k.p[1]}
		var outSp []int64
		for a, in := range []int{k.h, k.w} {
			dk := (int64([]int{k.kh, k.kw}[a])-1)*k.d[a] + 1
			outSp = append(outSp, (int64(in)+2*k.p[a]-dk)/k.s[a]+1)
		}
		if outSp[0] <= 0 || outSp[1] <= 0 {
			continue
		}
		want := convDirect(x.F32(), w.F32(), bd, x.Shape, w.Shape, 1, k.s[:], k.d[:], pads, outSp)
		var res *ir.Tensor
		if k.res {
			res = nntRand(rng, int64(k.n), int64(k.m), outSp[0], outSp[1])
			for i, v := range res.F32() {
				want[i] += v
			}
			res = toNCHWc(res)
		}
		attrs := nntAttrs("block", 16, "kernel_shape", []int64{int64(k.kh), int64(k.kw)}, "strides", k.s[:], "dilations", k.d[:], "pads", pads)
		if k.act != "" {
			attrs.SetString("activation", k.act)
			if k.act == "LeakyRelu" {
				attrs["activation_params"] = &ir.Attr{Name: "activation_params", Kind: ir.AttrFloats, Floats: []float32{0.1}}
			}
			if k.act == "Clip" {
				attrs["activation_params"] = &ir.Attr{Name: "activation_params", Kind: ir.AttrFloats, Floats: []float32{-0.5, 0.5}}
			}
		}
		act, err := parseFusedAct(&Build{Node: &ir.Node{Name: "act", Attrs: attrs}})
		if err != nil {
			t.Fatal(err)
		}
		act.apply(want)
		xin := x
		if !k.plain {
			xin = toNCHWc(x)
		}
		for _, pool := range []Pool{Serial{}, testPool{3}} {
			y, err := nchwcRun("ConvNCHWc", attrs, map[int]bool{1: true, 2: true}, pool, xin, w, b, res)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			nntClose(t, name, fromNCHWc(y, k.m), want, 1e-4)
			// Padding channels hold zero.
			ys := y.F32()
			for q := 0; q < len(ys); q += 16 {
				blk := (q / 16 / int(outSp[0]*outSp[1])) % int(ir.NCHWcBlocks(int64(k.m), 16))
				for l := range 16 {
					if blk*16+l >= k.m && ys[q+l] != 0 {
						t.Fatalf("%s: padding channel %d holds %v", name, blk*16+l, ys[q+l])
					}
				}
			}
		}
	}
}

// TestConvNCHWcChunkedAgainstDirect runs the cases of
// TestConvNCHWcAgainstDirect with K chunking forced on every blocked input
// (one input block per chunk, three tiles per pass) and the padding copy
// split over the pool, and a layer wide enough to be chunked by the
// default sizes.
func TestConvNCHWcChunkedAgainstDirect(t *testing.T) {
	defer func(b, g, tl int) { nchwcChunkBytes, nchwcChunkTarget, nchwcChunkTiles = b, g, tl }(nchwcChunkBytes, nchwcChunkTarget, nchwcChunkTiles)
	defer func(p int) { nchwcPadParElems = p }(nchwcPadParElems)
	nchwcChunkBytes, nchwcChunkTarget, nchwcChunkTiles, nchwcPadParElems = 0, 1, 3, 0
	nchwcLevels(t, testConvNCHWc)
	nchwcChunkBytes, nchwcChunkTarget, nchwcChunkTiles = 512<<10, 128<<10, 16
	nchwcLevels(t, func(t *testing.T) {
		rng := rand.New(rand.NewSource(11))
		for _, s := range []int64{1, 2} {
			// 17 input blocks of 36 KiB (F = 4): chunks of 3, 3, 3, 3, 3, 2.
			x := nntRand(rng, 2, 260, 9, 9)
			w := nntRand(rng, 70, 260, 3, 3)
			b := nntRand(rng, 70)
			o := (9+2-3)/s + 1
			want := convDirect(x.F32(), w.F32(), b.F32(), x.Shape, w.Shape, 1, []int64{s, s}, []int64{1, 1}, []int64{1, 1, 1, 1}, []int64{o, o})
			res := nntRand(rng, 2, 70, o, o)
			for i, v := range res.F32() {
				want[i] = max(0, want[i]+v)
			}
			attrs := nntAttrs("block", 16, "kernel_shape", []int64{3, 3}, "strides", []int64{s, s}, "pads", []int64{1, 1, 1, 1}, "activation", "Relu")
			for _, pool := range []Pool{Serial{}, testPool{3}} {
				y, err := nchwcRun("ConvNCHWc", attrs, map[int]bool{1: true, 2: true}, pool, toNCHWc(x), w, b, toNCHWc(res))
				if err != nil {
					t.Fatal(err)
				}
				nntClose(t, fmt.Sprint("wide stride ", s), fromNCHWc(y, 70), want, 1e-3)
			}
		}
	})
}

func TestConvNCHWcLargeParallel(t *testing.T) {
	// Large enough to be split over the pool (nchwcParMACs).
	rng := rand.New(rand.NewSource(9))
	x := nntRand(rng, 2, 64, 20, 20)
	w := nntRand(rng, 64, 64, 3, 3)
	want := convDirect(x.F32(), w.F32(), nil, x.Shape, w.Shape, 1, []int64{1, 1}, []int64{1, 1}, []int64{1, 1, 1, 1}, []int64{20, 20})
	attrs := nntAttrs("block", 16, "kernel_shape", []int64{3, 3}, "pads", []int64{1, 1, 1, 1})
	y, err := nchwcRun("ConvNCHWc", attrs, map[int]bool{1: true}, testPool{3}, toNCHWc(x), w)
	if err != nil {
		t.Fatal(err)
	}
	nntClose(t, "large", fromNCHWc(y, 64), want, 1e-4)
}

func TestPoolNCHWcAgainstNCHW(t *testing.T) {
	nchwcLevels(t, testPoolNCHWc)
}

// TestPoolNCHWcParallel runs the pooling cases split over three threads
// by rows (the split threshold lowered to zero).
func TestPoolNCHWcParallel(t *testing.T) {
	defer func(w int) { nchwcPoolParWork = w }(nchwcPoolParWork)
	nchwcPoolParWork = 0
	nchwcLevels(t, func(t *testing.T) { testPoolNCHWcOn(t, testPool{3}) })
}

func testPoolNCHWc(t *testing.T) { testPoolNCHWcOn(t, Serial{}) }

func testPoolNCHWcOn(t *testing.T, pool Pool) {
	rng := rand.New(rand.NewSource(8))
	for i := 0; i < 40; i++ {
		n, c, h, w := 1+rng.Intn(2), 1+rng.Intn(40), 2+rng.Intn(12), 2+rng.Intn(12)
		kh, kw := 1+rng.Intn(3), 1+rng.Intn(3)
		s := []int64{1 + rng.Int63n(2), 1 + rng.Int63n(3)}
		d := []int64{1, 1 + rng.Int63n(2)}
		pads := []int64{rng.Int63n(int64(kh)), rng.Int63n(int64(kw)), rng.Int63n(int64(kh)), rng.Int63n(int64(kw))}
		ceil := rng.Intn(2)
		if i == 0 {
			kh, kw, s, d, pads, ceil = 2, 2, []int64{2, 2}, []int64{1, 1}, []int64{0, 0, 0, 0}, 0
		}
		x := nntRand(rng, int64(n), int64(c), int64(h), int64(w))
		if i%7 == 3 {
			x.F32()[rng.Intn(len(x.F32()))] = float32(math.NaN())
		}
		for _, op := range []string{"MaxPool", "AveragePool"} {
			a := func() ir.Attrs {
				a := nntAttrs("kernel_shape", []int64{int64(kh), int64(kw)}, "strides", s, "pads", pads, "ceil_mode", ceil)
				if op == "MaxPool" {
					a.SetInts("dilations", d)
				} else {
					a.SetInt("count_include_pad", int64(i%2))
				}
				return a
			}
			ref, err := nntRun(op, 19, a(), 1, x)
			if err != nil {
				continue // e.g. a window larger than the padded input
			}
			attrs := a()
			attrs.SetInt("block", 16)
			y, err := nchwcRun(op+"NCHWc", attrs, nil, pool, toNCHWc(x))
			if err != nil {
				t.Fatalf("%s %d: %v", op, i, err)
			}
			got, want := fromNCHWc(y, c), ref[0].F32()
			for j := range got {
				if got[j] != want[j] && !(got[j] != got[j] && want[j] != want[j]) && math.Abs(float64(got[j]-want[j])) > 1e-5 {
					t.Fatalf("%s case %d: element %d = %v, want %v", op, i, j, got[j], want[j])
				}
			}
		}
		ref, err := nntRun("GlobalAveragePool", 1, nil, 1, x)
		if err != nil {
			t.Fatal(err)
		}
		y, err := nchwcRun("GlobalAveragePoolNCHWc", nntAttrs("block", 16), nil, Serial{}, toNCHWc(x))
		if err != nil {
			t.Fatal(err)
		}
		nntClose(t, "global", fromNCHWc(y, c), ref[0].F32(), 1e-5)
	}
}

func TestReorderNCHWcRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	for _, c := range []int{1, 15, 16, 17, 40} {
		x := nntRand(rng, 2, int64(c), 3, 5)
		b, err := nchwcRun("ReorderToNCHWc", nntAttrs("block", 16), nil, Serial{}, x)
		if err != nil {
			t.Fatal(err)
		}
		for q := 0; q < len(b.F32()); q += 16 {
			for l := c % 16; l > 0 && l < 16 && (q/16/15)%int(ir.NCHWcBlocks(int64(c), 16)) == int(ir.NCHWcBlocks(int64(c), 16))-1; l++ {
				if b.F32()[q+l] != 0 {
					t.Fatalf("c=%d: padding not zero", c)
				}
			}
		}
		y, err := nchwcRun("ReorderFromNCHWc", nntAttrs("block", 16, "channels", c), nil, Serial{}, b)
		if err != nil {
			t.Fatal(err)
		}
		nntClose(t, "roundtrip", y.F32(), x.F32(), 0)
	}
}
