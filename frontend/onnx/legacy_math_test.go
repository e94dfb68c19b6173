package onnx_test

import (
	"math"
	"testing"

	"github.com/nncc/nncc/frontend/onnx/onnxpb"
	"github.com/nncc/nncc/ir"
)

// softmaxRows applies softmax to each row of len n of v.
func softmaxRows(v []float32, n int, log bool) []float32 {
	out := make([]float32, len(v))
	for r := 0; r < len(v); r += n {
		mx := math.Inf(-1)
		for _, x := range v[r : r+n] {
			mx = math.Max(mx, float64(x))
		}
		var sum float64
		for _, x := range v[r : r+n] {
			sum += math.Exp(float64(x) - mx)
		}
		for i, x := range v[r : r+n] {
			if log {
				out[r+i] = float32(float64(x) - mx - math.Log(sum))
			} else {
				out[r+i] = float32(math.Exp(float64(x)-mx) / sum)
			}
		}
	}
	return out
}

// x222 is a [2,2,2] input holding 0..7.
var x222 = feed{"x", f32(sh(2, 2, 2), iota32(8)...)}

func TestLegacySoftmax(t *testing.T) {
	v := iota32(8)
	runLegacy(t, []legacyCase{
		// Before opset 13 the input is coerced to 2-D at axis (default 1)
		// and normalised over everything after it.
		{name: "Softmax-1 coerced", opset: 1, feeds: []feed{x222},
			nodes: []*onnxpb.NodeProto{lNode("Softmax", ss("x"), ss("y"))},
			want:  map[string]*ir.Tensor{"y": f32(sh(2, 2, 2), softmaxRows(v, 4, false)...)}},
		{name: "Softmax-11 axis 0", opset: 11, feeds: []feed{x222},
			nodes: []*onnxpb.NodeProto{lNode("Softmax", ss("x"), ss("y"), aInt("axis", 0))},
			want:  map[string]*ir.Tensor{"y": f32(sh(2, 2, 2), softmaxRows(v, 8, false)...)}},
		{name: "Softmax-11 axis -1", opset: 11, feeds: []feed{x222},
			nodes: []*onnxpb.NodeProto{lNode("Softmax", ss("x"), ss("y"), aInt("axis", -1))},
			want:  map[string]*ir.Tensor{"y": f32(sh(2, 2, 2), softmaxRows(v, 2, false)...)}},
		{name: "Softmax-13 default axis", opset: 13, feeds: []feed{x222},
			nodes: []*onnxpb.NodeProto{lNode("Softmax", ss("x"), ss("y"))},
			want:  map[string]*ir.Tensor{"y": f32(sh(2, 2, 2), softmaxRows(v, 2, false)...)}},
		{name: "LogSoftmax-1 coerced", opset: 1, feeds: []feed{x222},
			nodes: []*onnxpb.NodeProto{lNode("LogSoftmax", ss("x"), ss("y"))},
			want:  map[string]*ir.Tensor{"y": f32(sh(2, 2, 2), softmaxRows(v, 4, true)...)}},
		{name: "Hardmax-1 coerced", opset: 1, feeds: []feed{x222},
			nodes: []*onnxpb.NodeProto{lNode("Hardmax", ss("x"), ss("y"))},
			want:  map[string]*ir.Tensor{"y": f32(sh(2, 2, 2), 0, 0, 0, 1, 0, 0, 0, 1)}},
		// Softmax followed by MatMul and Transpose, so that fusion passes see it.
		{name: "Softmax-11 coerced in a chain", opset: 11, feeds: []feed{x222},
			nodes: []*onnxpb.NodeProto{
				lNode("Mul", ss("x", "x"), ss("m")),
				lNode("Softmax", ss("m"), ss("s")),
				lNode("Transpose", ss("s"), ss("y"), aInts("perm", 0, 2, 1))},
			want: map[string]*ir.Tensor{"y": f32(sh(2, 2, 2), transpose122(softmaxRows([]float32{0, 1, 4, 9, 16, 25, 36, 49}, 4, false))...)}},
	})
}

func transpose122(v []float32) []float32 {
	return []float32{v[0], v[2], v[1], v[3], v[4], v[6], v[5], v[7]}
}

func TestLegacyBroadcast(t *testing.T) {
	a33 := feed{"a", f32(sh(3, 3), iota32(9)...)}
	b3 := feed{"b", f32(sh(3), 10, 20, 30)}
	runLegacy(t, []legacyCase{
		// broadcast=1, axis=0: b runs along the first axis (numpy would
		// broadcast it along the last).
		{name: "Add-1 axis 0", opset: 1, feeds: []feed{a33, b3},
			nodes: []*onnxpb.NodeProto{lNode("Add", ss("a", "b"), ss("y"), aInt("broadcast", 1), aInt("axis", 0))},
			want:  map[string]*ir.Tensor{"y": f32(sh(3, 3), 10, 11, 12, 23, 24, 25, 36, 37, 38)}},
		{name: "Mul-6 axis 0", opset: 6, feeds: []feed{a33, b3},
			nodes: []*onnxpb.NodeProto{lNode("Mul", ss("a", "b"), ss("y"), aInt("broadcast", 1), aInt("axis", 0))},
			want:  map[string]*ir.Tensor{"y": f32(sh(3, 3), 0, 10, 20, 60, 80, 100, 180, 210, 240)}},
		{name: "Sub-6 suffix", opset: 6, feeds: []feed{a33, b3},
			nodes: []*onnxpb.NodeProto{lNode("Sub", ss("a", "b"), ss("y"), aInt("broadcast", 1))},
			want:  map[string]*ir.Tensor{"y": f32(sh(3, 3), -10, -19, -28, -7, -16, -25, -4, -13, -22)}},
		{name: "Div-6 axis 1 of 3", opset: 6, feeds: []feed{{"a", f32(sh(2, 3, 2), iota32(12)...)}, {"b", f32(sh(3), 1, 2, 4)}},
			nodes: []*onnxpb.NodeProto{lNode("Div", ss("a", "b"), ss("y"), aInt("broadcast", 1), aInt("axis", 1))},
			want:  map[string]*ir.Tensor{"y": f32(sh(2, 3, 2), 0, 1, 1, 1.5, 1, 1.25, 6, 7, 4, 4.5, 2.5, 2.75)}},
		{name: "Pow-1 axis 0", opset: 1, feeds: []feed{a33, {"b", f32(sh(3), 1, 2, 0)}},
			nodes: []*onnxpb.NodeProto{lNode("Pow", ss("a", "b"), ss("y"), aInt("broadcast", 1), aInt("axis", 0))},
			want:  map[string]*ir.Tensor{"y": f32(sh(3, 3), 0, 1, 2, 9, 16, 25, 1, 1, 1)}},
		{name: "Greater-1 axis 0", opset: 1, feeds: []feed{a33, {"b", f32(sh(3), 1, 4, 6)}},
			nodes: []*onnxpb.NodeProto{lNode("Greater", ss("a", "b"), ss("y"), aInt("broadcast", 1), aInt("axis", 0))},
			want:  map[string]*ir.Tensor{"y": ir.FromSlice([]bool{false, false, true, false, false, true, false, true, true}, 3, 3)}},
		{name: "Add-6 no broadcast shapes differ", opset: 6, feeds: []feed{a33, b3},
			nodes:   []*onnxpb.NodeProto{lNode("Add", ss("a", "b"), ss("y"))},
			wantErr: "broadcast"},
	})
}

func TestLegacyNN(t *testing.T) {
	runLegacy(t, []legacyCase{
		{name: "Clip-6 attributes", opset: 6, feeds: []feed{x24},
			nodes: []*onnxpb.NodeProto{lNode("Clip", ss("x"), ss("y"), aFloat("min", 1), aFloat("max", 5.5))},
			want:  map[string]*ir.Tensor{"y": f32(sh(2, 4), 1, 1, 2, 3, 4, 5, 5.5, 5.5)}},
		{name: "Clip-1 only max", opset: 1, feeds: []feed{x24},
			nodes: []*onnxpb.NodeProto{lNode("Clip", ss("x"), ss("y"), aFloat("max", 2))},
			want:  map[string]*ir.Tensor{"y": f32(sh(2, 4), 0, 1, 2, 2, 2, 2, 2, 2)}},
		{name: "Dropout-6 is_test=0", opset: 6, feeds: []feed{x24},
			nodes: []*onnxpb.NodeProto{lNode("Dropout", ss("x"), ss("y"), aInt("is_test", 1), aFloat("ratio", 0.3))},
			want:  map[string]*ir.Tensor{"y": f32(sh(2, 4), iota32(8)...)}},
		{name: "Dropout-7 mask", opset: 7, feeds: []feed{x24},
			nodes: []*onnxpb.NodeProto{lNode("Dropout", ss("x"), ss("y", "m"), aFloat("ratio", 0.3))},
			want:  map[string]*ir.Tensor{"y": f32(sh(2, 4), iota32(8)...), "m": f32(sh(2, 4), 1, 1, 1, 1, 1, 1, 1, 1)}},
		{name: "Dropout-10 mask", opset: 10, feeds: []feed{x24},
			nodes: []*onnxpb.NodeProto{lNode("Dropout", ss("x"), ss("y", "m"), aFloat("ratio", 0.3))},
			want:  map[string]*ir.Tensor{"y": f32(sh(2, 4), iota32(8)...), "m": ir.FromSlice([]bool{true, true, true, true, true, true, true, true}, 2, 4)}},
		{name: "Gemm-6 broadcast", opset: 6, feeds: []feed{x24},
			inits: []*onnxpb.TensorProto{initOf("w", f32(sh(4, 1), 1, 1, 1, 1)), initOf("c", f32(sh(1), 100))},
			nodes: []*onnxpb.NodeProto{lNode("Gemm", ss("x", "w", "c"), ss("y"), aInt("broadcast", 1), aFloat("beta", 2))},
			want:  map[string]*ir.Tensor{"y": f32(sh(2, 1), 206, 222)}},
		{name: "BatchNormalization-7 spatial", opset: 7, feeds: []feed{{"x", f32(sh(1, 2, 2), 1, 2, 3, 4)}},
			inits: []*onnxpb.TensorProto{initOf("s", f32(sh(2), 2, 3)), initOf("b", f32(sh(2), 1, -1)),
				initOf("m", f32(sh(2), 1, 3)), initOf("v", f32(sh(2), 4, 16))},
			nodes: []*onnxpb.NodeProto{lNode("BatchNormalization", ss("x", "s", "b", "m", "v"), ss("y"), aFloat("epsilon", 0))},
			want:  map[string]*ir.Tensor{"y": f32(sh(1, 2, 2), 1, 2, -1, -0.25)}},
		// spatial=0: statistics and parameters per (channel, position).
		{name: "BatchNormalization-7 spatial=0", opset: 7, feeds: []feed{{"x", f32(sh(1, 2, 2), 1, 2, 3, 4)}},
			inits: []*onnxpb.TensorProto{initOf("s", f32(sh(2, 2), 1, 2, 3, 4)), initOf("b", f32(sh(2, 2), 0, 1, 0, 1)),
				initOf("m", f32(sh(2, 2), 1, 1, 1, 1)), initOf("v", f32(sh(2, 2), 1, 1, 4, 4))},
			nodes: []*onnxpb.NodeProto{lNode("BatchNormalization", ss("x", "s", "b", "m", "v"), ss("y"), aInt("spatial", 0), aFloat("epsilon", 0))},
			want:  map[string]*ir.Tensor{"y": f32(sh(1, 2, 2), 0, 3, 3, 7)}},
		{name: "BatchNormalization-6 is_test", opset: 6, feeds: []feed{{"x", f32(sh(1, 2, 2), 1, 2, 3, 4)}},
			inits: []*onnxpb.TensorProto{initOf("s", f32(sh(2), 2, 3)), initOf("b", f32(sh(2), 1, -1)),
				initOf("m", f32(sh(2), 1, 3)), initOf("v", f32(sh(2), 4, 16))},
			nodes: []*onnxpb.NodeProto{lNode("BatchNormalization", ss("x", "s", "b", "m", "v"), ss("y"), aInt("is_test", 1), aFloat("epsilon", 0))},
			want:  map[string]*ir.Tensor{"y": f32(sh(1, 2, 2), 1, 2, -1, -0.25)}},
		{name: "MaxPool-8 indices", opset: 8, feeds: []feed{{"x", f32(sh(1, 1, 2, 2), 1, 4, 3, 2)}},
			nodes: []*onnxpb.NodeProto{lNode("MaxPool", ss("x"), ss("y", "i"), aInts("kernel_shape", 2, 2))},
			want:  map[string]*ir.Tensor{"y": f32(sh(1, 1, 1, 1), 4), "i": i64(sh(1, 1, 1, 1), 1)}},
		{name: "MaxPool-8 indices column major", opset: 8, feeds: []feed{{"x", f32(sh(1, 1, 2, 2), 1, 4, 3, 2)}},
			nodes: []*onnxpb.NodeProto{lNode("MaxPool", ss("x"), ss("y", "i"), aInts("kernel_shape", 2, 2), aInt("storage_order", 1))},
			want:  map[string]*ir.Tensor{"y": f32(sh(1, 1, 1, 1), 4), "i": i64(sh(1, 1, 1, 1), 2)}},
		{name: "AveragePool-1 excludes pads", opset: 1, feeds: []feed{{"x", f32(sh(1, 1, 1, 2), 2, 4)}},
			nodes: []*onnxpb.NodeProto{lNode("AveragePool", ss("x"), ss("y"), aInts("kernel_shape", 1, 2), aInts("pads", 0, 1, 0, 1))},
			want:  map[string]*ir.Tensor{"y": f32(sh(1, 1, 1, 3), 2, 3, 4)}},
		{name: "AveragePool-7 count_include_pad", opset: 7, feeds: []feed{{"x", f32(sh(1, 1, 1, 2), 2, 4)}},
			nodes: []*onnxpb.NodeProto{lNode("AveragePool", ss("x"), ss("y"), aInts("kernel_shape", 1, 2), aInts("pads", 0, 1, 0, 1), aInt("count_include_pad", 1))},
			want:  map[string]*ir.Tensor{"y": f32(sh(1, 1, 1, 3), 1, 3, 2)}},
		{name: "ArgMax-12 select_last_index", opset: 12, feeds: []feed{{"x", f32(sh(4), 1, 2, 2, 0)}},
			nodes: []*onnxpb.NodeProto{lNode("ArgMax", ss("x"), ss("y"), aInt("select_last_index", 1))},
			want:  map[string]*ir.Tensor{"y": i64(sh(1), 2)}},
		{name: "ArgMax-1 first index", opset: 1, feeds: []feed{{"x", f32(sh(4), 1, 2, 2, 0)}},
			nodes: []*onnxpb.NodeProto{lNode("ArgMax", ss("x"), ss("y"))},
			want:  map[string]*ir.Tensor{"y": i64(sh(1), 1)}},
		{name: "Mod-10 fmod", opset: 10, feeds: []feed{{"a", i64(sh(2), -3, 3)}, {"b", i64(sh(2), 2, -2)}},
			nodes: []*onnxpb.NodeProto{lNode("Mod", ss("a", "b"), ss("y"), aInt("fmod", 1))},
			want:  map[string]*ir.Tensor{"y": i64(sh(2), -1, 1)}},
		{name: "Mod-10 integer", opset: 10, feeds: []feed{{"a", i64(sh(2), -3, 3)}, {"b", i64(sh(2), 2, -2)}},
			nodes: []*onnxpb.NodeProto{lNode("Mod", ss("a", "b"), ss("y"))},
			want:  map[string]*ir.Tensor{"y": i64(sh(2), 1, -1)}},
		{name: "Mod-10 float needs fmod", opset: 10, feeds: []feed{{"a", f32(sh(2), -3, 3)}, {"b", f32(sh(2), 2, -2)}},
			nodes:   []*onnxpb.NodeProto{lNode("Mod", ss("a", "b"), ss("y"))},
			wantErr: "fmod"},
		{name: "Cast-1 string to", opset: 1, feeds: []feed{{"x", f32(sh(2), 1.5, -2.5)}},
			nodes: []*onnxpb.NodeProto{lNode("Cast", ss("x"), ss("y"), aStr("to", "INT32"))},
			want:  map[string]*ir.Tensor{"y": ir.FromSlice([]int32{1, -2}, 2)}},
		{name: "ReduceSum-1 axes", opset: 1, feeds: []feed{x24},
			nodes: []*onnxpb.NodeProto{lNode("ReduceSum", ss("x"), ss("y"), aInts("axes", 1), aInt("keepdims", 0))},
			want:  map[string]*ir.Tensor{"y": f32(sh(2), 6, 22)}},
		{name: "ReduceMean-1 all", opset: 1, feeds: []feed{x24},
			nodes: []*onnxpb.NodeProto{lNode("ReduceMean", ss("x"), ss("y"))},
			want:  map[string]*ir.Tensor{"y": f32(sh(1, 1), 3.5)}},
		{name: "Scatter-9", opset: 9, feeds: []feed{{"x", f32(sh(1, 5), 1, 2, 3, 4, 5)}},
			inits: []*onnxpb.TensorProto{initOf("i", i64(sh(1, 2), 1, 3)), initOf("u", f32(sh(1, 2), 1.5, 2.5))},
			nodes: []*onnxpb.NodeProto{lNode("Scatter", ss("x", "i", "u"), ss("y"), aInt("axis", 1))},
			want:  map[string]*ir.Tensor{"y": f32(sh(1, 5), 1, 1.5, 3, 2.5, 5)}},
	})
}

func TestLegacyResize(t *testing.T) {
	x := feed{"x", f32(sh(1, 1, 2, 2), 1, 2, 3, 4)}
	row := feed{"x", f32(sh(1, 1, 1, 4), 1, 2, 3, 4)}
	runLegacy(t, []legacyCase{
		{name: "Upsample-7 nearest", opset: 7, feeds: []feed{x},
			nodes: []*onnxpb.NodeProto{lNode("Upsample", ss("x"), ss("y"), aFloats("scales", 1, 1, 2, 2))},
			want:  map[string]*ir.Tensor{"y": f32(sh(1, 1, 4, 4), 1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4)}},
		{name: "Upsample-7 linear", opset: 7, feeds: []feed{x},
			nodes: []*onnxpb.NodeProto{lNode("Upsample", ss("x"), ss("y"), aFloats("scales", 1, 1, 1, 2), aStr("mode", "linear"))},
			want:  map[string]*ir.Tensor{"y": f32(sh(1, 1, 2, 4), 1, 1.5, 2, 2, 3, 3.5, 4, 4)}},
		{name: "Upsample-9 scales input", opset: 9, feeds: []feed{x},
			inits: []*onnxpb.TensorProto{initOf("s", f32(sh(4), 1, 1, 1, 2))},
			nodes: []*onnxpb.NodeProto{lNode("Upsample", ss("x", "s"), ss("y"), aStr("mode", "linear"))},
			want:  map[string]*ir.Tensor{"y": f32(sh(1, 1, 2, 4), 1, 1.5, 2, 2, 3, 3.5, 4, 4)}},
		// Resize-10 is Upsample with the scales as an input: asymmetric
		// coordinates, nearest rounds down.
		{name: "Resize-10 linear asymmetric", opset: 10, feeds: []feed{x},
			inits: []*onnxpb.TensorProto{initOf("s", f32(sh(4), 1, 1, 1, 2))},
			nodes: []*onnxpb.NodeProto{lNode("Resize", ss("x", "s"), ss("y"), aStr("mode", "linear"))},
			want:  map[string]*ir.Tensor{"y": f32(sh(1, 1, 2, 4), 1, 1.5, 2, 2, 3, 3.5, 4, 4)}},
		{name: "Resize-10 nearest 1.5", opset: 10, feeds: []feed{row},
			inits: []*onnxpb.TensorProto{initOf("s", f32(sh(4), 1, 1, 1, 1.5))},
			nodes: []*onnxpb.NodeProto{lNode("Resize", ss("x", "s"), ss("y"))},
			want:  map[string]*ir.Tensor{"y": f32(sh(1, 1, 1, 6), 1, 1, 2, 3, 3, 4)}},
		{name: "Upsample-9 nearest 1.5", opset: 9, feeds: []feed{row},
			inits: []*onnxpb.TensorProto{initOf("s", f32(sh(4), 1, 1, 1, 1.5))},
			nodes: []*onnxpb.NodeProto{lNode("Upsample", ss("x", "s"), ss("y"))},
			want:  map[string]*ir.Tensor{"y": f32(sh(1, 1, 1, 6), 1, 1, 2, 3, 3, 4)}},
	})
}
