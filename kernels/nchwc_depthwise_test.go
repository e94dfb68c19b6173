package kernels

import (
	"fmt"
	"math/rand"
	"testing"

	"github.com/nncc/nncc/ir"
)

// TestDepthwiseConvNCHWcAgainstDirect checks nncc.DepthwiseConvNCHWc
// against convDirect with group = C over strides, dilations, asymmetric
// pads (including pads wider than the kernel, so some pixels read no
// input), odd channel counts, batches, bias and the activations clamped in
// registers and applied after; serial and split over three threads.
func TestDepthwiseConvNCHWcAgainstDirect(t *testing.T) {
	defer func(m int) { nchwcDwParMACs = m }(nchwcDwParMACs)
	nchwcDwParMACs = 0
	nchwcLevels(t, testDepthwiseConvNCHWc)
}

func testDepthwiseConvNCHWc(t *testing.T) {
	rng := rand.New(rand.NewSource(17))
	type tc struct {
		n, c, h, w, kh, kw int
		s, d               [2]int64
		p                  [4]int64
		bias               bool
		act                string
		params             []float32
	}
	cases := []tc{
		{1, 16, 8, 8, 3, 3, [2]int64{1, 1}, [2]int64{1, 1}, [4]int64{1, 1, 1, 1}, true, "Clip", []float32{0, 6}},
		{2, 40, 9, 7, 3, 3, [2]int64{2, 2}, [2]int64{1, 1}, [4]int64{1, 1, 1, 1}, true, "Relu", nil},
		{1, 72, 15, 15, 5, 5, [2]int64{1, 1}, [2]int64{1, 1}, [4]int64{2, 2, 2, 2}, false, "", nil},
		{1, 24, 10, 10, 3, 3, [2]int64{1, 1}, [2]int64{1, 1}, [4]int64{0, 0, 1, 1}, true, "Clip", []float32{-0.5, 0.3}},
		{3, 17, 6, 11, 3, 3, [2]int64{1, 2}, [2]int64{2, 1}, [4]int64{2, 1, 0, 3}, true, "HardSwish", nil},
		{1, 33, 4, 4, 3, 3, [2]int64{1, 1}, [2]int64{1, 1}, [4]int64{4, 4, 4, 4}, true, "Sigmoid", nil},
		{1, 48, 30, 31, 3, 3, [2]int64{2, 2}, [2]int64{1, 1}, [4]int64{0, 0, 1, 1}, true, "Relu", nil},
		{2, 16, 1, 1, 1, 1, [2]int64{1, 1}, [2]int64{1, 1}, [4]int64{0, 0, 0, 0}, true, "Clip", []float32{1, 6}},
		{1, 24, 11, 9, 3, 3, [2]int64{1, 1}, [2]int64{1, 1}, [4]int64{1, 1, 1, 1}, true, "HardSwish", nil}, // branch-free (vecmath)
		{1, 40, 7, 12, 5, 5, [2]int64{2, 2}, [2]int64{1, 1}, [4]int64{2, 2, 2, 2}, true, "LeakyRelu", []float32{0.2}},
	}
	acts := []string{"", "Relu", "Clip", "Sigmoid"}
	for i := 0; i < 16; i++ {
		c := tc{1 + rng.Intn(2), 2 + rng.Intn(50), 3 + rng.Intn(14), 3 + rng.Intn(14), 1 + rng.Intn(4), 1 + rng.Intn(4),
			[2]int64{1 + rng.Int63n(2), 1 + rng.Int63n(3)}, [2]int64{1 + rng.Int63n(2), 1 + rng.Int63n(2)},
			[4]int64{rng.Int63n(3), rng.Int63n(3), rng.Int63n(3), rng.Int63n(3)}, rng.Intn(2) == 0, acts[rng.Intn(4)], nil}
		if c.act == "Clip" {
			c.params = []float32{-0.2, 0.4}
		}
		cases = append(cases, c)
	}
	for ci, k := range cases {
		name := fmt.Sprintf("case%d %+v", ci, k)
		x := nntRand(rng, int64(k.n), int64(k.c), int64(k.h), int64(k.w))
		w := nntRand(rng, int64(k.c), 1, int64(k.kh), int64(k.kw))
		var b *ir.Tensor
		var bd []float32
		if k.bias {
			b = nntRand(rng, int64(k.c))
			bd = b.F32()
		}
		var outSp []int64
		for a, in := range []int{k.h, k.w} {
			dk := (int64([]int{k.kh, k.kw}[a])-1)*k.d[a] + 1
			outSp = append(outSp, (int64(in)+k.p[a]+k.p[a+2]-dk)/k.s[a]+1)
		}
		if outSp[0] <= 0 || outSp[1] <= 0 {
			continue
		}
		want := convDirect(x.F32(), w.F32(), bd, x.Shape, w.Shape, k.c, k.s[:], k.d[:], k.p[:], outSp)
		attrs := nntAttrs("block", 16, "kernel_shape", []int64{int64(k.kh), int64(k.kw)}, "strides", k.s[:], "dilations", k.d[:], "pads", k.p[:])
		if k.act != "" {
			attrs.SetString("activation", k.act)
			if k.params != nil {
				attrs["activation_params"] = &ir.Attr{Name: "activation_params", Kind: ir.AttrFloats, Floats: k.params}
			}
		}
		act, err := parseFusedAct(&Build{Node: &ir.Node{Name: "act", Attrs: attrs}})
		if err != nil {
			t.Fatal(err)
		}
		if act.kind == faClip {
			for i, v := range want {
				want[i] = min(max(v, k.params[0]), k.params[1])
			}
		} else {
			act.apply(want)
		}
		for _, pool := range []Pool{Serial{}, testPool{3}} {
			y, err := nchwcRun("DepthwiseConvNCHWc", attrs, map[int]bool{1: true, 2: true}, pool, toNCHWc(x), w, b)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			nntClose(t, name, fromNCHWc(y, k.c), want, 1e-4)
			ys := y.F32()
			for q := 0; q < len(ys); q += 16 {
				blk := (q / 16 / int(outSp[0]*outSp[1])) % int(ir.NCHWcBlocks(int64(k.c), 16))
				for l := range 16 {
					if blk*16+l >= k.c && ys[q+l] != 0 {
						t.Fatalf("%s: padding channel %d holds %v", name, blk*16+l, ys[q+l])
					}
				}
			}
		}
	}
}
