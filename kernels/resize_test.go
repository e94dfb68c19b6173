package kernels

import (
	"testing"

	"github.com/nncc/nncc/ir"
)

func TestResize(t *testing.T) {
	x12 := ir.FromSlice([]float32{1, 2}, 1, 2)
	cases := []struct {
		name  string
		op    string
		opset int64
		attrs ir.Attrs
		in    []*ir.Tensor
		shape []int64
		want  []float64
	}{
		{"nearest up 2x", "Resize", 19, nil,
			[]*ir.Tensor{x12, nil, ir.FromSlice([]float32{1, 2})}, []int64{1, 4}, []float64{1, 1, 2, 2}},
		{"linear half_pixel 2x", "Resize", 19, advAttrs("mode", "linear"),
			[]*ir.Tensor{ir.FromSlice([]float32{0, 4}, 1, 2), nil, ir.FromSlice([]float32{1, 2})}, []int64{1, 4}, []float64{0, 1, 3, 4}},
		{"linear align_corners sizes", "Resize", 19, advAttrs("mode", "linear", "coordinate_transformation_mode", "align_corners"),
			[]*ir.Tensor{ir.FromSlice([]float32{0, 3}, 1, 2), nil, nil, ir.FromSlice([]int64{1, 4})}, []int64{1, 4}, []float64{0, 1, 2, 3}},
		{"axes and not_larger", "Resize", 19, advAttrs("axes", []int64{1}, "keep_aspect_ratio_policy", "not_larger"),
			[]*ir.Tensor{x12, nil, nil, ir.FromSlice([]int64{4})}, []int64{1, 4}, []float64{1, 1, 2, 2}},
		{"tf_crop_and_resize extrapolation", "Resize", 19,
			advAttrs("mode", "linear", "coordinate_transformation_mode", "tf_crop_and_resize", "extrapolation_value", 9.0),
			[]*ir.Tensor{ir.FromSlice([]float32{0, 4}, 2), ir.FromSlice([]float32{0.5, 1.5}), nil, ir.FromSlice([]int64{3})},
			[]int64{3}, []float64{2, 4, 9}},
		{"int rounding", "Resize", 19, advAttrs("mode", "linear"),
			[]*ir.Tensor{ir.FromSlice([]int32{0, 3}, 2), nil, ir.FromSlice([]float32{2})}, []int64{4}, []float64{0, 1, 2, 3}},
		{"resize-10 nearest down uses ceil", "Resize", 10, nil,
			[]*ir.Tensor{ir.FromSlice([]float32{1, 2, 3, 4}, 4), ir.FromSlice([]float32{0.6})}, []int64{2}, []float64{1, 3}},
		{"upsample-7 attribute scales", "Upsample", 7, advAttrs("scales", []float32{1, 2}),
			[]*ir.Tensor{x12}, []int64{1, 4}, []float64{1, 1, 2, 2}},
		{"upsample-9 linear asymmetric", "Upsample", 9, advAttrs("mode", "linear"),
			[]*ir.Tensor{ir.FromSlice([]float32{0, 4}, 2), ir.FromSlice([]float32{2})}, []int64{4}, []float64{0, 2, 4, 4}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, consts := range []bool{false, true} {
				out, err := advRun(tc.op, tc.opset, tc.attrs, 1, consts, tc.in...)
				if err != nil {
					t.Fatal(err)
				}
				advClose(t, tc.name, out[0], tc.shape, tc.want, 1e-6)
			}
		})
	}
}

func TestResizeCubicMatchesKeys(t *testing.T) {
	// A linear ramp is reproduced exactly by Keys' cubic kernel in the
	// interior (it reproduces polynomials up to degree 1 for any a).
	x := ir.FromSlice([]float64{0, 1, 2, 3, 4, 5, 6, 7}, 8)
	out, err := advRun("Resize", 19, advAttrs("mode", "cubic", "coordinate_transformation_mode", "align_corners"), 1, false,
		x, nil, nil, ir.FromSlice([]int64{15}))
	if err != nil {
		t.Fatal(err)
	}
	for i := 2; i < 13; i++ {
		if g, w := out[0].Float64At(i), float64(i)/2; g < w-1e-9 || g > w+1e-9 {
			t.Fatalf("element %d = %v, want %v", i, g, w)
		}
	}
}

func TestResizeNearestStrings(t *testing.T) {
	x := ir.FromSlice([]string{"a", "b"}, 2)
	out, err := advRun("Resize", 13, nil, 1, false, x, nil, ir.FromSlice([]float32{2}))
	if err != nil {
		t.Fatal(err)
	}
	if got := ir.Data[string](out[0]); len(got) != 4 || got[0] != "a" || got[1] != "a" || got[2] != "b" || got[3] != "b" {
		t.Fatalf("got %v", got)
	}
	if _, err := advRun("Resize", 13, advAttrs("mode", "linear"), 1, false, x, nil, ir.FromSlice([]float32{2})); err == nil {
		t.Fatal("linear on strings should fail")
	}
	if _, err := advRun("Resize", 19, advAttrs("mode", "bogus"), 1, false, x, nil, ir.FromSlice([]float32{2})); err == nil {
		t.Fatal("unknown mode should fail")
	}
}

func TestResizeComplexLinear(t *testing.T) {
	x := ir.FromSlice([]complex64{0, 4 + 8i}, 2)
	out, err := advRun("Resize", 19, advAttrs("mode", "linear"), 1, false, x, nil, ir.FromSlice([]float32{2}))
	if err != nil {
		t.Fatal(err)
	}
	got := ir.Data[complex64](out[0])
	want := []complex64{0, 1 + 2i, 3 + 6i, 4 + 8i}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
}
