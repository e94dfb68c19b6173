package kernels

import (
	"math"
	"math/rand"
	"testing"

	"github.com/nncc/nncc/ir"
)

// TestConvIntegerMatchesFloat checks ConvInteger and QLinearConv against
// the float convolution of the zero-point-shifted values.
func TestConvIntegerMatchesFloat(t *testing.T) {
	rng := rand.New(rand.NewSource(9))
	xs, ws := []int64{1, 2, 5, 5}, []int64{3, 2, 3, 3}
	x := make([]uint8, nnProd(xs))
	w := make([]int8, nnProd(ws))
	xf, wf := make([]float32, len(x)), make([]float32, len(w))
	const xzp = 7
	wzp := []int8{1, -2, 0}
	for i := range x {
		x[i] = uint8(rng.Intn(20))
		xf[i] = float32(int(x[i]) - xzp)
	}
	for i := range w {
		w[i] = int8(rng.Intn(11) - 5)
		wf[i] = float32(int(w[i]) - int(wzp[i/18]))
	}
	attrs := nntAttrs("pads", []int64{1, 1, 1, 1})
	ref, err := nntRun("Conv", 11, attrs, 1, ir.FromSlice(xf, xs...), ir.FromSlice(wf, ws...))
	if err != nil {
		t.Fatal(err)
	}
	got, err := nntRun("ConvInteger", 10, attrs, 1, ir.FromSlice(x, xs...), ir.FromSlice(w, ws...),
		ir.Scalar(uint8(xzp)), ir.FromSlice(wzp, 3))
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range got[0].Data.([]int32) {
		if float32(v) != ref[0].F32()[i] {
			t.Fatalf("ConvInteger[%d] = %d, want %v", i, v, ref[0].F32()[i])
		}
	}
	// QLinearConv: y = round(acc * 0.5*0.25/2) + 100, saturated to uint8.
	q, err := nntRun("QLinearConv", 10, attrs, 1, ir.FromSlice(x, xs...), ir.Scalar(float32(0.5)), ir.Scalar(uint8(xzp)),
		ir.FromSlice(w, ws...), ir.Scalar(float32(0.25)), ir.FromSlice(wzp, 3), ir.Scalar(float32(2)), ir.Scalar(uint8(100)))
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range q[0].Data.([]uint8) {
		want := math.Max(0, math.Min(255, math.RoundToEven(float64(ref[0].F32()[i])*0.0625+100)))
		if float64(v) != want {
			t.Fatalf("QLinearConv[%d] = %d, want %v", i, v, want)
		}
	}
}

func TestDeformConvZeroOffsetIsConv(t *testing.T) {
	rng := rand.New(rand.NewSource(10))
	x, w, b := nntRand(rng, 1, 4, 6, 5), nntRand(rng, 6, 2, 3, 2), nntRand(rng, 6)
	attrs := func() ir.Attrs {
		return nntAttrs("group", 2, "pads", []int64{1, 0, 1, 1}, "strides", []int64{1, 2})
	}
	ref, err := nntRun("Conv", 22, attrs(), 1, x, w, b)
	if err != nil {
		t.Fatal(err)
	}
	oh, ow := ref[0].Shape[2], ref[0].Shape[3]
	off := ir.NewTensor(ir.Float32, []int64{1, 6 * 2, oh, ow})
	got, err := nntRun("DeformConv", 22, attrs(), 1, x, w, off, b)
	if err != nil {
		t.Fatal(err)
	}
	nntClose(t, "deform zero offset", got[0].F32(), ref[0].F32(), 1e-5)
	// A whole-pixel offset of +1 row equals sampling one row lower.
	for i := range off.F32() {
		if (i/int(oh*ow))%2 == 0 {
			off.F32()[i] = 1
		}
	}
	mask := ir.NewTensor(ir.Float32, []int64{1, 6, oh, ow})
	for i := range mask.F32() {
		mask.F32()[i] = 0.5
	}
	half, err := nntRun("DeformConv", 22, attrs(), 1, x, w, off, nil, mask)
	if err != nil {
		t.Fatal(err)
	}
	if half[0].Len() != ref[0].Len() {
		t.Fatal("shape mismatch")
	}
}
