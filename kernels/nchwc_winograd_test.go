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

// forceNCHWcWino sets nchwcWinoForce for one test.
func forceNCHWcWino(v int) func() {
	old := nchwcWinoForce
	nchwcWinoForce = v
	return func() { nchwcWinoForce = old }
}

// TestConvNCHWcWinogradAgainstDirect runs ConvNCHWc with the Winograd
// form forced on every 3×3 stride-1 shape against convDirect: odd channel
// counts, batches, pads, bias, residual and every kind of activation, on
// one and three threads, at every level with an NCHWc kernel. The
// tolerance is twice the error bound of kernels/winograd (doc.go).
func TestConvNCHWcWinogradAgainstDirect(t *testing.T) {
	defer forceNCHWcWino(1)()
	nchwcLevels(t, testConvNCHWcWinograd)
}

func testConvNCHWcWinograd(t *testing.T) {
	rng := rand.New(rand.NewSource(11))
	type tc struct {
		n, c, h, w, m int
		pads          []int64
		bias, res     bool
		act           string
	}
	cases := []tc{
		{1, 16, 8, 8, 16, []int64{1, 1, 1, 1}, true, false, "Relu"},
		{1, 64, 14, 14, 64, []int64{1, 1, 1, 1}, true, true, "Relu"},
		{2, 20, 11, 13, 40, []int64{1, 1, 1, 1}, true, true, ""},
		{1, 33, 10, 9, 17, []int64{0, 2, 1, 0}, false, false, "Sigmoid"},
		{3, 16, 5, 5, 48, []int64{1, 1, 1, 1}, true, true, "LeakyRelu"},
		{1, 5, 4, 4, 3, []int64{1, 1, 1, 1}, true, true, "Tanh"},
		{1, 32, 30, 30, 32, []int64{1, 1, 1, 1}, true, true, "Relu"},
		{1, 16, 3, 20, 16, []int64{0, 0, 0, 0}, false, true, "Relu"},
		{1, 24, 12, 12, 40, []int64{1, 1, 1, 1}, true, false, "HardSwish"}, // branch-free (vecmath)
	}
	for ci, k := range cases {
		name := fmt.Sprintf("case%d %+v", ci, k)
		x := nntRand(rng, int64(k.n), int64(k.c), int64(k.h), int64(k.w))
		w := nntRand(rng, int64(k.m), int64(k.c), 3, 3)
		var b *ir.Tensor
		var bd []float32
		if k.bias {
			b = nntRand(rng, int64(k.m))
			bd = b.F32()
		}
		outSp := []int64{int64(k.h) + k.pads[0] + k.pads[2] - 2, int64(k.w) + k.pads[1] + k.pads[3] - 2}
		want := convDirect(x.F32(), w.F32(), bd, x.Shape, w.Shape, 1, []int64{1, 1}, []int64{1, 1}, k.pads, outSp)
		var res *ir.Tensor
		if k.res {
			res = nntRand(rng, int64(k.n), int64(k.m), outSp[0], outSp[1])
			for i, v := range res.F32() {
				want[i] += v
			}
			res = toNCHWc(res)
		}
		attrs := nntAttrs("block", 16, "kernel_shape", []int64{3, 3}, "pads", k.pads)
		if k.act != "" {
			attrs.SetString("activation", k.act)
			if k.act == "LeakyRelu" {
				attrs["activation_params"] = &ir.Attr{Name: "activation_params", Kind: ir.AttrFloats, Floats: []float32{0.1}}
			}
		}
		act, err := parseFusedAct(&Build{Node: &ir.Node{Name: "act", Attrs: attrs}})
		require.NoError(t, err)
		act.apply(want)
		tol := 2 * 6.0 / (1 << 24) * 31.5 * float64(k.c+15)
		for _, pool := range []Pool{Serial{}, testPool{3}} {
			y, err := nchwcRun("ConvNCHWc", attrs, map[int]bool{1: true, 2: true}, pool, toNCHWc(x), w, b, res)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			nntClose(t, name, fromNCHWc(y, k.m), want, tol)
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

// TestConvNCHWcWinogradPrepacked: building the Winograd form records its
// transformed weights under winograd keys, and a build from the recorded
// store makes nothing (every lookup hits) and computes the same output.
func TestConvNCHWcWinogradPrepacked(t *testing.T) {
	if !isa.Has(isa.AVX512) {
		t.Skip("the NCHWc Winograd form is picked on AVX-512")
	}
	rng := rand.New(rand.NewSource(12))
	x := toNCHWc(nntRand(rng, 1, 64, 28, 28))
	w := nntRand(rng, 64, 64, 3, 3)
	attrs := nntAttrs("block", 16, "kernel_shape", []int64{3, 3}, "pads", []int64{1, 1, 1, 1}, "activation", "Relu")
	for k, a := range attrs {
		a.Name = k
	}
	build := func(store *PrepackStore) (*ir.Tensor, error) {
		n := &ir.Node{Name: "n", Op: "ConvNCHWc", Domain: ir.FusedDomain, Opset: 1, Attrs: attrs, Outputs: []*ir.Value{{Name: "y"}}}
		xv := &ir.Value{Name: "x", Type: ir.TypeOfTensor(x)}
		wv := &ir.Value{Name: "w", Type: ir.TypeOfTensor(w), Const: w}
		n.Inputs = []*ir.Value{xv, wv}
		f, err := BuildNode(&Build{Node: n, InTypes: []*ir.Type{&xv.Type, &wv.Type}, Level: isa.AVX512, Prepacks: store})
		if err != nil {
			return nil, err
		}
		c := &Ctx{Outs: make([]*ir.Tensor, 1), Pool: Serial{}, Node: n}
		if err := f(c, []*ir.Tensor{x, w}); err != nil {
			return nil, err
		}
		return c.Outs[0], nil
	}
	rec := NewPrepackStore(true)
	y0, err := build(rec)
	require.NoError(t, err)
	require.Len(t, rec.Entries(), 36)
	for _, e := range rec.Entries() {
		require.True(t, strings.HasPrefix(e.Key, "winograd.nchwc16.U/"), e.Key)
	}
	loaded := NewPrepackStore(false)
	for _, e := range rec.Entries() {
		loaded.Add(e.Src, e.Key, e.Data)
	}
	y1, err := build(loaded)
	require.NoError(t, err)
	hits, misses := loaded.Stats()
	require.Equal(t, 36, hits)
	require.Equal(t, 0, misses)
	require.Equal(t, y0.F32(), y1.F32())
}
