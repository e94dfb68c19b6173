package zoo

import (
	"fmt"

	"github.com/nncc/nncc/builder"
	"github.com/nncc/nncc/ir"
)

// ResizeModes applies Resize in the modes exporters write, each to the
// same input "x" [2, 3, 7, 10], one output each: cubic with PyTorch's
// and TensorFlow's coefficients, nearest with every rounding, bilinear
// with each coordinate transformation, non-integer up- and down-scales,
// sizes instead of scales, tf_crop_and_resize with a region and an
// extrapolation value; from opset 18 also antialiased downscaling, axes
// and keep_aspect_ratio_policy. Opset ≥ 11.
func ResizeModes(opset int64) (*ir.Graph, error) {
	n := newNet(fmt.Sprintf("resize_op%d", opset), opset, 19)
	b := n.b
	x := b.Input("x", ir.Float32, 2, 3, 7, 10)
	var outs []*builder.Value
	k := 0
	resize := func(roi, scales, sizes *builder.Value, args ...builder.Arg) {
		if roi == nil && opset < 13 {
			roi = b.Float32s([]int64{0})
		}
		if scales == nil && sizes != nil && opset < 13 {
			scales = b.Float32s([]int64{0})
		}
		y := b.Resize(x, append([]builder.Arg{builder.Inputs(roi, scales, sizes)}, args...)...)
		outs = append(outs, b.Output(fmt.Sprintf("y%d", k), y))
		k++
	}
	mode, coord, nearest := builder.AttrMode, builder.AttrCoordinateTransformationMode, builder.AttrNearestMode
	// Scales exact in binary: with 2.3, 10·2.3 is 23 in float32 (ONNX
	// Runtime's kernels) but 22.99… in float64 (ONNX shape inference and
	// reference, nncc); with 1.7, output row 8 maps to source row 4.5 in
	// float32 and 4.4999… in float64, which the nearest modes round apart.
	up := b.Float32s([]int64{4}, 1, 1, 1.75, 2.25)
	down := b.Float32s([]int64{4}, 1, 1, 0.6, 0.45)
	sizes := b.Int64s(2, 3, 11, 4)
	resize(nil, up, nil, mode("cubic"), coord("half_pixel"), builder.AttrCubicCoeffA(-0.75))
	resize(nil, down, nil, mode("cubic"), coord("asymmetric"), builder.AttrCubicCoeffA(-0.5), builder.AttrExcludeOutside(1))
	for _, nm := range []string{"round_prefer_floor", "round_prefer_ceil", "floor", "ceil"} {
		resize(nil, up, nil, mode("nearest"), coord("half_pixel"), nearest(nm))
	}
	// Not 0.6 on the 7 rows: 3 / 0.6 is 5 in float32 but 4.99… in
	// float64, which floor separates (see above).
	resize(nil, b.Float32s([]int64{4}, 1, 1, 0.5, 0.45), nil, mode("nearest"), coord("asymmetric"), nearest("floor"))
	for _, c := range []string{"half_pixel", "pytorch_half_pixel", "asymmetric"} {
		resize(nil, up, nil, mode("linear"), coord(c))
		resize(nil, down, nil, mode("linear"), coord(c))
	}
	// align_corners with sizes: with scales whose product with the input
	// length is not an integer, ONNX's reference (and nncc) divide by
	// scale·length - 1, ONNX Runtime by the integer output length - 1.
	resize(nil, nil, b.Int64s(2, 3, 12, 22), mode("linear"), coord("align_corners"))
	resize(nil, nil, b.Int64s(2, 3, 4, 4), mode("linear"), coord("align_corners"))
	resize(nil, nil, sizes, mode("linear"), coord("pytorch_half_pixel"))
	resize(nil, nil, b.Int64s(2, 3, 1, 1), mode("linear"), coord("pytorch_half_pixel"))
	roi := b.Float32s([]int64{8}, 0, 0, 0.2, 0.1, 1, 1, 0.9, 1.2)
	resize(roi, nil, b.Int64s(2, 3, 5, 6), mode("linear"), coord("tf_crop_and_resize"), builder.AttrExtrapolationValue(-3))
	if opset >= 18 {
		resize(nil, down, nil, mode("linear"), builder.AttrAntialias(1))
		resize(nil, down, nil, mode("cubic"), builder.AttrAntialias(1))
		resize(nil, nil, b.Int64s(14, 9), mode("linear"), builder.AttrAxes(2, 3), builder.AttrKeepAspectRatioPolicy("not_larger"))
		resize(nil, b.Float32s([]int64{2}, 1.5, 0.5), nil, mode("nearest"), builder.AttrAxes(3, 2))
	}
	return b.Build(outs...)
}
