package onnxpb_test

import (
	"errors"
	"io/fs"
	"os"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/nncc/nncc/frontend/onnx/onnxpb"
)

func TestModelRoundTrip(t *testing.T) {
	in := &onnxpb.ModelProto{
		IrVersion:    int64(onnxpb.Version_IR_VERSION),
		ProducerName: "nncc-test",
		OpsetImport:  []*onnxpb.OperatorSetIdProto{{Domain: "", Version: 21}},
		Graph: &onnxpb.GraphProto{
			Name: "g",
			Node: []*onnxpb.NodeProto{{
				OpType: "Add",
				Input:  []string{"x", "w"},
				Output: []string{"y"},
				Attribute: []*onnxpb.AttributeProto{{
					Name: "ints",
					Type: onnxpb.AttributeProto_INTS,
					Ints: []int64{1, 2, 3},
				}},
			}},
			Initializer: []*onnxpb.TensorProto{{
				Name:      "w",
				Dims:      []int64{2},
				DataType:  int32(onnxpb.TensorProto_FLOAT),
				FloatData: []float32{1.5, -2},
			}},
			Input: []*onnxpb.ValueInfoProto{{
				Name: "x",
				Type: &onnxpb.TypeProto{Value: &onnxpb.TypeProto_TensorType{
					TensorType: &onnxpb.TypeProto_Tensor{
						ElemType: int32(onnxpb.TensorProto_FLOAT),
						Shape: &onnxpb.TensorShapeProto{Dim: []*onnxpb.TensorShapeProto_Dimension{
							{Value: &onnxpb.TensorShapeProto_Dimension_DimParam{DimParam: "N"}},
							{Value: &onnxpb.TensorShapeProto_Dimension_DimValue{DimValue: 2}},
						}},
					},
				}},
			}},
			Output: []*onnxpb.ValueInfoProto{{Name: "y"}},
		},
	}

	b, err := proto.Marshal(in)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	out := &onnxpb.ModelProto{}
	if err := proto.Unmarshal(b, out); err != nil {
		t.Fatalf("unmarshal: %v", err)
	}
	if !proto.Equal(in, out) {
		t.Fatalf("round trip mismatch:\n in: %v\nout: %v", in, out)
	}
}

func TestDecodeSeedModel(t *testing.T) {
	const path = "../../../../shared/models/seed_cnn_mnist/model.onnx"
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skip("../shared not present: " + path + " not found")
	}
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	m := &onnxpb.ModelProto{}
	if err := proto.Unmarshal(b, m); err != nil {
		t.Fatalf("unmarshal %s: %v", path, err)
	}
	g := m.GetGraph()
	if len(g.GetNode()) == 0 {
		t.Errorf("graph has no nodes")
	}
	if len(g.GetInitializer()) == 0 {
		t.Errorf("graph has no initializers")
	}
	if len(m.GetOpsetImport()) == 0 {
		t.Errorf("model has no opset imports")
	}
}
