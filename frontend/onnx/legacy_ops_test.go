package onnx_test

import (
	"testing"

	"github.com/nncc/nncc/frontend/onnx/onnxpb"
	"github.com/nncc/nncc/ir"
)

// x24 is a [2,4] input holding 0..7.
var x24 = feed{"x", f32(sh(2, 4), iota32(8)...)}

func TestLegacyMovement(t *testing.T) {
	runLegacy(t, []legacyCase{
		{name: "Slice-1 attributes", opset: 1, feeds: []feed{x24},
			nodes: []*onnxpb.NodeProto{lNode("Slice", ss("x"), ss("y"), aInts("starts", 1), aInts("ends", 3), aInts("axes", 1))},
			want:  map[string]*ir.Tensor{"y": f32(sh(2, 2), 1, 2, 5, 6)}},
		{name: "Slice-1 no axes", opset: 9, feeds: []feed{x24},
			nodes: []*onnxpb.NodeProto{lNode("Slice", ss("x"), ss("y"), aInts("starts", 1, 0), aInts("ends", 2, 1000))},
			want:  map[string]*ir.Tensor{"y": f32(sh(1, 4), 4, 5, 6, 7)}},
		{name: "Pad-2 pads value", opset: 2, feeds: []feed{x24},
			nodes: []*onnxpb.NodeProto{lNode("Pad", ss("x"), ss("y"), aInts("pads", 0, 1, 0, 0), aFloat("value", 9))},
			want:  map[string]*ir.Tensor{"y": f32(sh(2, 5), 9, 0, 1, 2, 3, 9, 4, 5, 6, 7)}},
		{name: "Pad-1 paddings", opset: 1, feeds: []feed{x24},
			nodes: []*onnxpb.NodeProto{lNode("Pad", ss("x"), ss("y"), aInts("paddings", 1, 0, 0, 0), aFloat("value", -1))},
			want:  map[string]*ir.Tensor{"y": f32(sh(3, 4), -1, -1, -1, -1, 0, 1, 2, 3, 4, 5, 6, 7)}},
		{name: "Pad-2 reflect", opset: 2, feeds: []feed{x24},
			nodes: []*onnxpb.NodeProto{lNode("Pad", ss("x"), ss("y"), aInts("pads", 0, 2, 0, 0), aStr("mode", "reflect"))},
			want:  map[string]*ir.Tensor{"y": f32(sh(2, 6), 2, 1, 0, 1, 2, 3, 6, 5, 4, 5, 6, 7)}},
		{name: "Reshape-1 shape attribute", opset: 1, feeds: []feed{x24},
			nodes: []*onnxpb.NodeProto{lNode("Reshape", ss("x"), ss("y"), aInts("shape", 4, -1))},
			want:  map[string]*ir.Tensor{"y": f32(sh(4, 2), iota32(8)...)}},
		{name: "Reshape-1 zero copies", opset: 4, feeds: []feed{x24},
			nodes: []*onnxpb.NodeProto{lNode("Reshape", ss("x"), ss("y"), aInts("shape", 0, 2, 2))},
			want:  map[string]*ir.Tensor{"y": f32(sh(2, 2, 2), iota32(8)...)}},
		{name: "Squeeze-1 Unsqueeze-1 axes", opset: 1, feeds: []feed{x24},
			nodes: []*onnxpb.NodeProto{
				lNode("Unsqueeze", ss("x"), ss("u"), aInts("axes", 0, 3)),
				lNode("Squeeze", ss("u"), ss("y"), aInts("axes", 0))},
			want: map[string]*ir.Tensor{"u": f32(sh(1, 2, 4, 1), iota32(8)...), "y": f32(sh(2, 4, 1), iota32(8)...)}},
		{name: "Squeeze-1 no axes", opset: 1, feeds: []feed{{"x", f32(sh(1, 3, 1), 1, 2, 3)}},
			nodes: []*onnxpb.NodeProto{lNode("Squeeze", ss("x"), ss("y"))},
			want:  map[string]*ir.Tensor{"y": f32(sh(3), 1, 2, 3)}},
		{name: "Split-2 split attribute", opset: 2, feeds: []feed{x24},
			nodes: []*onnxpb.NodeProto{lNode("Split", ss("x"), ss("a", "b"), aInt("axis", 1), aInts("split", 1, 3))},
			want:  map[string]*ir.Tensor{"a": f32(sh(2, 1), 0, 4), "b": f32(sh(2, 3), 1, 2, 3, 5, 6, 7)}},
		{name: "Split-1 split input", opset: 1, feeds: []feed{x24},
			inits: []*onnxpb.TensorProto{initOf("s", i64(sh(2), 3, 1))},
			nodes: []*onnxpb.NodeProto{lNode("Split", ss("x", "s"), ss("a", "b"), aInt("axis", 1))},
			want:  map[string]*ir.Tensor{"a": f32(sh(2, 3), 0, 1, 2, 4, 5, 6), "b": f32(sh(2, 1), 3, 7)}},
		{name: "Split-1 default axis 0 equal", opset: 1, feeds: []feed{x24},
			nodes: []*onnxpb.NodeProto{lNode("Split", ss("x"), ss("a", "b"))},
			want:  map[string]*ir.Tensor{"a": f32(sh(1, 4), 0, 1, 2, 3), "b": f32(sh(1, 4), 4, 5, 6, 7)}},
		{name: "Concat-1 default axis 1", opset: 1, feeds: []feed{x24, {"z", f32(sh(2, 1), 8, 9)}},
			nodes: []*onnxpb.NodeProto{lNode("Concat", ss("x", "z"), ss("y"))},
			want:  map[string]*ir.Tensor{"y": f32(sh(2, 5), 0, 1, 2, 3, 8, 4, 5, 6, 7, 9)}},
		{name: "Tile-1 tiles axis", opset: 1, feeds: []feed{x24},
			inits: []*onnxpb.TensorProto{initOf("tiles", i64(sh(), 2)), initOf("axis", i64(sh(), 0))},
			nodes: []*onnxpb.NodeProto{lNode("Tile", ss("x", "tiles", "axis"), ss("y"))},
			want:  map[string]*ir.Tensor{"y": f32(sh(4, 4), 0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7)}},
		{name: "Tile-6 repeats", opset: 6, feeds: []feed{x24},
			inits: []*onnxpb.TensorProto{initOf("r", i64(sh(2), 1, 2))},
			nodes: []*onnxpb.NodeProto{lNode("Tile", ss("x", "r"), ss("y"))},
			want:  map[string]*ir.Tensor{"y": f32(sh(2, 8), 0, 1, 2, 3, 0, 1, 2, 3, 4, 5, 6, 7, 4, 5, 6, 7)}},
		{name: "Flatten-1 axis", opset: 1, feeds: []feed{{"x", f32(sh(2, 2, 2), iota32(8)...)}},
			nodes: []*onnxpb.NodeProto{lNode("Flatten", ss("x"), ss("y"), aInt("axis", 2))},
			want:  map[string]*ir.Tensor{"y": f32(sh(4, 2), iota32(8)...)}},
		{name: "TopK-1 k attribute", opset: 1, feeds: []feed{{"x", f32(sh(2, 3), 3, 1, 2, 0, 5, 4)}},
			nodes: []*onnxpb.NodeProto{lNode("TopK", ss("x"), ss("v", "i"), aInt("k", 2))},
			want:  map[string]*ir.Tensor{"v": f32(sh(2, 2), 3, 2, 5, 4), "i": i64(sh(2, 2), 0, 2, 1, 2)}},
		{name: "Transpose-1 default perm", opset: 1, feeds: []feed{x24},
			nodes: []*onnxpb.NodeProto{lNode("Transpose", ss("x"), ss("y"))},
			want:  map[string]*ir.Tensor{"y": f32(sh(4, 2), 0, 4, 1, 5, 2, 6, 3, 7)}},
		{name: "Gather-1", opset: 1, feeds: []feed{x24},
			inits: []*onnxpb.TensorProto{initOf("i", i64(sh(2), 3, 0))},
			nodes: []*onnxpb.NodeProto{lNode("Gather", ss("x", "i"), ss("y"), aInt("axis", 1))},
			want:  map[string]*ir.Tensor{"y": f32(sh(2, 2), 3, 0, 7, 4)}},
	})
}
