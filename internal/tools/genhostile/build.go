package main

import (
	"encoding/binary"
	"math"
	"strconv"

	"google.golang.org/protobuf/proto"

	pb "github.com/nncc/nncc/frontend/onnx/onnxpb"
	"github.com/nncc/nncc/ir"
)

// Small builders over the protobuf bindings. The models stay tiny: the
// point of each is one hostile detail, everything else valid.

const opset = 17

func model(g *pb.GraphProto) *pb.ModelProto {
	return &pb.ModelProto{
		IrVersion:    8,
		ProducerName: "genhostile",
		OpsetImport:  []*pb.OperatorSetIdProto{{Domain: "", Version: opset}},
		Graph:        g,
	}
}

func mustMarshal(m proto.Message) []byte {
	b, err := proto.Marshal(m)
	if err != nil {
		panic(err)
	}
	return b
}

// writeModel writes model.onnx and the inputs as test_data_set_0/input_N.pb.
func (c *caseDir) writeModel(m *pb.ModelProto, inputs ...*pb.TensorProto) error {
	if err := c.write("model.onnx", mustMarshal(m)); err != nil {
		return err
	}
	return c.writeInputs(inputs...)
}

func (c *caseDir) writeInputs(inputs ...*pb.TensorProto) error {
	for i, t := range inputs {
		if err := c.write("test_data_set_0/input_"+strconv.Itoa(i)+".pb", mustMarshal(t)); err != nil {
			return err
		}
	}
	return nil
}

// vi builds a tensor ValueInfoProto; dims are int/int64 (dim_value) or
// string (dim_param).
func vi(name string, dt ir.DType, dims ...any) *pb.ValueInfoProto {
	sp := &pb.TensorShapeProto{}
	for _, d := range dims {
		dim := &pb.TensorShapeProto_Dimension{}
		switch d := d.(type) {
		case int:
			dim.Value = &pb.TensorShapeProto_Dimension_DimValue{DimValue: int64(d)}
		case int64:
			dim.Value = &pb.TensorShapeProto_Dimension_DimValue{DimValue: d}
		case string:
			dim.Value = &pb.TensorShapeProto_Dimension_DimParam{DimParam: d}
		}
		sp.Dim = append(sp.Dim, dim)
	}
	return &pb.ValueInfoProto{Name: name, Type: &pb.TypeProto{Value: &pb.TypeProto_TensorType{
		TensorType: &pb.TypeProto_Tensor{ElemType: int32(dt), Shape: sp}}}}
}

func node(op string, in, out []string, attrs ...*pb.AttributeProto) *pb.NodeProto {
	return &pb.NodeProto{OpType: op, Name: op + "_" + out[0], Input: in, Output: out, Attribute: attrs}
}

func ss(s ...string) []string { return s }

func floats(name string, dims []int64, v ...float32) *pb.TensorProto {
	return &pb.TensorProto{Name: name, DataType: int32(ir.Float32), Dims: dims, FloatData: v}
}

func int64s(name string, dims []int64, v ...int64) *pb.TensorProto {
	return &pb.TensorProto{Name: name, DataType: int32(ir.Int64), Dims: dims, Int64Data: v}
}

func bools(name string, v bool) *pb.TensorProto {
	b := int32(0)
	if v {
		b = 1
	}
	return &pb.TensorProto{Name: name, DataType: int32(ir.Bool), Int32Data: []int32{b}}
}

// external makes a float32 tensor of dims whose data is in a file.
func external(name string, dims []int64, kv ...string) *pb.TensorProto {
	t := &pb.TensorProto{Name: name, DataType: int32(ir.Float32), Dims: dims, DataLocation: pb.TensorProto_EXTERNAL}
	for i := 0; i+1 < len(kv); i += 2 {
		t.ExternalData = append(t.ExternalData, &pb.StringStringEntryProto{Key: kv[i], Value: kv[i+1]})
	}
	return t
}

// f32bytes returns n little-endian float32s 1, 2, …, n.
func f32bytes(n int) []byte {
	b := make([]byte, 4*n)
	for i := range n {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(float32(i+1)))
	}
	return b
}

func tensorAttr(name string, t *pb.TensorProto) *pb.AttributeProto {
	return &pb.AttributeProto{Name: name, Type: pb.AttributeProto_TENSOR, T: t}
}

func graphAttr(name string, g *pb.GraphProto) *pb.AttributeProto {
	return &pb.AttributeProto{Name: name, Type: pb.AttributeProto_GRAPH, G: g}
}

func intAttr(name string, v int64) *pb.AttributeProto {
	return &pb.AttributeProto{Name: name, Type: pb.AttributeProto_INT, I: v}
}

// addModel is y = x + w with x: float[4] and w: float[4] an initializer
// (often the hostile part).
func addModel(w *pb.TensorProto) *pb.ModelProto {
	return model(&pb.GraphProto{
		Name:        "add",
		Input:       []*pb.ValueInfoProto{vi("x", ir.Float32, 4)},
		Initializer: []*pb.TensorProto{w},
		Node:        []*pb.NodeProto{node("Add", ss("x", "w"), ss("y"))},
		Output:      []*pb.ValueInfoProto{vi("y", ir.Float32, 4)},
	})
}

// x4 is a valid input for addModel.
func x4() *pb.TensorProto { return floats("x", []int64{4}, 1, 2, 3, 4) }

// constModel is a model without inputs whose output y is computed by
// nodes from constants: the hostile part runs at compile or run time.
func constModel(nodes []*pb.NodeProto, inits ...*pb.TensorProto) *pb.ModelProto {
	return model(&pb.GraphProto{
		Name:        "const",
		Initializer: inits,
		Node:        nodes,
		Output:      []*pb.ValueInfoProto{{Name: "y"}},
	})
}
