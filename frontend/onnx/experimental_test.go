package onnx_test

import (
	"math"
	"testing"

	"github.com/nncc/nncc/frontend/onnx/onnxpb"
	"github.com/nncc/nncc/ir"
)

func TestExperimentalOps(t *testing.T) {
	img := feed{"x", f32(sh(1, 2, 1, 2), 1, 2, 3, 4)}
	v := feed{"x", f32(sh(2), 0, 2)}
	runLegacy(t, []legacyCase{
		{name: "ImageScaler-8", opset: 8, feeds: []feed{img},
			nodes: []*onnxpb.NodeProto{lNode("ImageScaler", ss("x"), ss("y"), aFloat("scale", 2), aFloats("bias", 1, -1))},
			want:  map[string]*ir.Tensor{"y": f32(sh(1, 2, 1, 2), 3, 5, 5, 7)}},
		{name: "ImageScaler-1 defaults in a chain", opset: 1, feeds: []feed{img},
			nodes: []*onnxpb.NodeProto{
				lNode("ImageScaler", ss("x"), ss("s")),
				lNode("Relu", ss("s"), ss("y"))},
			want: map[string]*ir.Tensor{"y": f32(sh(1, 2, 1, 2), 1, 2, 3, 4)}},
		{name: "ImageScaler-8 double", opset: 8, feeds: []feed{{"x", ir.FromSlice([]float64{1, 2, 3, 4}, 1, 2, 1, 2)}},
			nodes: []*onnxpb.NodeProto{lNode("ImageScaler", ss("x"), ss("y"), aFloat("scale", 2), aFloats("bias", 1, -1))},
			want:  map[string]*ir.Tensor{"y": ir.FromSlice([]float64{3, 5, 5, 7}, 1, 2, 1, 2)}},
		{name: "ScaledTanh-9", opset: 9, feeds: []feed{v},
			nodes: []*onnxpb.NodeProto{lNode("ScaledTanh", ss("x"), ss("y"), aFloat("alpha", 2), aFloat("beta", 0.5))},
			want:  map[string]*ir.Tensor{"y": f32(sh(2), 0, float32(2*math.Tanh(1)))}},
		{name: "Affine-1", opset: 1, feeds: []feed{v},
			nodes: []*onnxpb.NodeProto{lNode("Affine", ss("x"), ss("y"), aFloat("alpha", 3), aFloat("beta", 1))},
			want:  map[string]*ir.Tensor{"y": f32(sh(2), 1, 7)}},
		{name: "Scale-7", opset: 7, feeds: []feed{v},
			nodes: []*onnxpb.NodeProto{lNode("Scale", ss("x"), ss("y"), aFloat("scale", 0.5))},
			want:  map[string]*ir.Tensor{"y": f32(sh(2), 0, 1)}},
		{name: "ParametricSoftplus-7", opset: 7, feeds: []feed{v},
			nodes: []*onnxpb.NodeProto{lNode("ParametricSoftplus", ss("x"), ss("y"), aFloat("alpha", 2), aFloat("beta", 1))},
			want:  map[string]*ir.Tensor{"y": f32(sh(2), float32(2*math.Log(2)), float32(2*math.Log(math.Exp(2)+1)))}},
		{name: "ThresholdedRelu-1", opset: 1, feeds: []feed{v},
			nodes: []*onnxpb.NodeProto{lNode("ThresholdedRelu", ss("x"), ss("y"), aFloat("alpha", 1.5))},
			want:  map[string]*ir.Tensor{"y": f32(sh(2), 0, 2)}},
		{name: "ConstantFill-1 shape attribute", opset: 1, feeds: []feed{v},
			nodes: []*onnxpb.NodeProto{
				lNode("ConstantFill", nil, ss("c"), aInts("shape", 2), aFloat("value", 3)),
				lNode("Add", ss("x", "c"), ss("y"))},
			want: map[string]*ir.Tensor{"y": f32(sh(2), 3, 5)}},
		{name: "ConstantFill-1 shape of input with extra_shape", opset: 8, feeds: []feed{v},
			nodes: []*onnxpb.NodeProto{lNode("ConstantFill", ss("x"), ss("y"), aInts("extra_shape", 3), aInt("dtype", int64(ir.Int64)), aFloat("value", 7))},
			want:  map[string]*ir.Tensor{"y": i64(sh(2, 3), 7, 7, 7, 7, 7, 7)}},
		{name: "ConstantFill-1 input as shape", opset: 8, feeds: []feed{{"x", i64(sh(2), 1, 2)}},
			nodes: []*onnxpb.NodeProto{lNode("ConstantFill", ss("x"), ss("y"), aInt("input_as_shape", 1))},
			want:  map[string]*ir.Tensor{"y": f32(sh(1, 2), 0, 0)}},
		{name: "ConstantFill huge shape", opset: 8, feeds: []feed{v},
			nodes:   []*onnxpb.NodeProto{lNode("ConstantFill", nil, ss("y"), aInts("shape", 1<<40, 1<<40))},
			wantErr: "elements"},
		{name: "ConstantFill string dtype", opset: 8, feeds: []feed{v},
			nodes:   []*onnxpb.NodeProto{lNode("ConstantFill", nil, ss("y"), aInts("shape", 1), aInt("dtype", int64(ir.String)))},
			wantErr: "dtype"},
		{name: "ImageScaler-10 removed", opset: 10, feeds: []feed{img},
			nodes:   []*onnxpb.NodeProto{lNode("ImageScaler", ss("x"), ss("y"), aFloat("scale", 2))},
			wantErr: "ImageScaler"},
		{name: "ScaledTanh without alpha", opset: 9, feeds: []feed{v},
			nodes:   []*onnxpb.NodeProto{lNode("ScaledTanh", ss("x"), ss("y"), aFloat("beta", 0.5))},
			wantErr: "alpha"},
		{name: "ImageScaler unknown attribute", opset: 8, feeds: []feed{img},
			nodes:   []*onnxpb.NodeProto{lNode("ImageScaler", ss("x"), ss("y"), aFloat("gain", 2))},
			wantErr: "gain"},
		{name: "ImageScaler bias of wrong length", opset: 8, feeds: []feed{img},
			nodes:   []*onnxpb.NodeProto{lNode("ImageScaler", ss("x"), ss("y"), aFloats("bias", 1, 2, 3))},
			wantErr: "ImageScaler"},
	})
}
