package onnx

import (
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/nncc/nncc/frontend/onnx/onnxpb"
	"github.com/nncc/nncc/ir"
)

// testDomain holds op rows registered by these tests only, so the tests do
// not depend on the state of the shared op table.
const testDomain = "test.nncc"

func init() {
	ir.RegisterOp(
		&ir.OpSchema{Domain: testDomain, Name: "Id", MinOpset: 1, MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1,
			Infer: ir.InferSameAsInput(0)},
		&ir.OpSchema{Domain: testDomain, Name: "Add", MinOpset: 1, MinInputs: 2, MaxInputs: 2, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []ir.AttrSpec{{Name: "alpha", Kind: ir.AttrFloat}}, Infer: ir.InferBroadcast(ir.Undefined)},
		&ir.OpSchema{Domain: testDomain, Name: "New", MinOpset: 3, MaxOpset: 5, MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1,
			Infer: ir.InferSameAsInput(0)},
	)
}

// vi builds a tensor ValueInfoProto; dims are int (dim_value), string
// (dim_param) or nil (unknown).
func vi(name string, dt ir.DType, dims ...any) *onnxpb.ValueInfoProto {
	sp := &onnxpb.TensorShapeProto{}
	for _, d := range dims {
		dim := &onnxpb.TensorShapeProto_Dimension{}
		switch d := d.(type) {
		case int:
			dim.Value = &onnxpb.TensorShapeProto_Dimension_DimValue{DimValue: int64(d)}
		case string:
			dim.Value = &onnxpb.TensorShapeProto_Dimension_DimParam{DimParam: d}
		}
		sp.Dim = append(sp.Dim, dim)
	}
	return &onnxpb.ValueInfoProto{Name: name, Type: &onnxpb.TypeProto{Value: &onnxpb.TypeProto_TensorType{
		TensorType: &onnxpb.TypeProto_Tensor{ElemType: int32(dt), Shape: sp}}}}
}

func nd(op string, in, out []string, attrs ...*onnxpb.AttributeProto) *onnxpb.NodeProto {
	return &onnxpb.NodeProto{OpType: op, Input: in, Output: out, Attribute: attrs}
}

func tnd(op string, in, out []string, attrs ...*onnxpb.AttributeProto) *onnxpb.NodeProto {
	n := nd(op, in, out, attrs...)
	n.Domain = testDomain
	return n
}

func ss(s ...string) []string { return s }

func graphAttr(name string, g *onnxpb.GraphProto) *onnxpb.AttributeProto {
	return &onnxpb.AttributeProto{Name: name, Type: onnxpb.AttributeProto_GRAPH, G: g}
}

func floatTensor(name string, dims []int64, vals ...float32) *onnxpb.TensorProto {
	return &onnxpb.TensorProto{Name: name, DataType: int32(ir.Float32), Dims: dims, FloatData: vals}
}

func modelOf(g *onnxpb.GraphProto, funcs ...*onnxpb.FunctionProto) *onnxpb.ModelProto {
	return &onnxpb.ModelProto{
		IrVersion:   8,
		OpsetImport: []*onnxpb.OperatorSetIdProto{{Domain: "", Version: 17}, {Domain: testDomain, Version: 4}},
		Graph:       g,
		Functions:   funcs,
	}
}

func marshal(t *testing.T, m *onnxpb.ModelProto) []byte {
	t.Helper()
	b, err := proto.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
