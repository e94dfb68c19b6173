package passes

import "github.com/nncc/nncc/ir"

func init() {
	goldenCases = append(goldenCases, goldenCase{"minmax_clip", "minmax-clip", buildMinMaxClip})
}

// buildMinMaxClip: tf2onnx's tf.maximum(x, -0.4) as Max(x, c[1,1,1,1])
// and a Min with the constant first become Clips; a Max of three inputs,
// a Max of two tensors and one whose constant has more dims than x (it
// broadcasts x up) stay.
func buildMinMaxClip() *ir.Graph {
	b := newGB("minmax_clip")
	x := b.input("x", ir.TensorType(ir.Float32, 2, 3, 4, 4))
	lo := b.constant("lo", ir.FromSlice([]float32{-0.4}, 1, 1, 1, 1))
	hi := b.constant("hi", scalarF(6))
	y := b.op("Max", nil, 1, x, lo)[0]
	y = b.op("Min", nil, 1, hi, y)[0]
	y = b.op("Max", nil, 1, y, hi, lo)[0]
	y = b.op("Max", nil, 1, y, x)[0]
	v := b.input("v", ir.TensorType(ir.Float32, 4))
	w := b.op("Min", nil, 1, v, lo)[0]
	return b.output(y, w)
}
