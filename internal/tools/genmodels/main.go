// Command genmodels writes the small models that ship in testdata/models,
// built directly through nncc's ONNX protobuf bindings, with seeded random
// weights and inputs. Reference outputs come from ONNX Runtime:
//
//	go run ./internal/tools/genmodels -o testdata/models
//	eval "$(../shared/tools/ort/setup.sh)"
//	NODE_PATH=$ORT_NODE_PATH node ../shared/tools/ort/ref.js testdata/models/*/
package main

import (
	"encoding/binary"
	"flag"
	"fmt"
	"log"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"

	"google.golang.org/protobuf/proto"

	pb "github.com/nncc/nncc/frontend/onnx/onnxpb"
)

func main() {
	out := flag.String("o", "testdata/models", "output folder")
	flag.Parse()
	for _, m := range models {
		dir := filepath.Join(*out, m.name)
		mp, ins := m.build()
		if err := write(dir, mp, ins); err != nil {
			log.Fatal(err)
		}
		fmt.Println("wrote", dir)
	}
}

type model struct {
	name  string
	build func() (*pb.ModelProto, []*pb.TensorProto)
}

var models = []model{{"cnn", smallCNN}}

// smallCNN: Conv(8,3x3,pad 1)+Relu+MaxPool 2 → Conv(16,3x3,pad 1)+Relu+
// MaxPool 2 → Flatten → Gemm(32)+Relu → Gemm(10) → Softmax, on
// float[batch,1,16,16].
func smallCNN() (*pb.ModelProto, []*pb.TensorProto) {
	r := rand.New(rand.NewPCG(1, 2))
	b := &graphBuilder{g: &pb.GraphProto{Name: "small_cnn"}}
	b.input("image", "batch", 1, 16, 16)
	b.weight(r, "conv1.w", 8, 1, 3, 3)
	b.weight(r, "conv1.b", 8)
	b.weight(r, "conv2.w", 16, 8, 3, 3)
	b.weight(r, "conv2.b", 16)
	b.weight(r, "fc1.w", 32, 16*4*4)
	b.weight(r, "fc1.b", 32)
	b.weight(r, "fc2.w", 10, 32)
	b.weight(r, "fc2.b", 10)
	conv := func(in, w, bias, out string) {
		b.node("Conv", []string{in, w, bias}, out,
			ints("kernel_shape", 3, 3), ints("pads", 1, 1, 1, 1), ints("strides", 1, 1))
	}
	conv("image", "conv1.w", "conv1.b", "c1")
	b.node("Relu", []string{"c1"}, "r1")
	b.node("MaxPool", []string{"r1"}, "p1", ints("kernel_shape", 2, 2), ints("strides", 2, 2))
	conv("p1", "conv2.w", "conv2.b", "c2")
	b.node("Relu", []string{"c2"}, "r2")
	b.node("MaxPool", []string{"r2"}, "p2", ints("kernel_shape", 2, 2), ints("strides", 2, 2))
	b.node("Flatten", []string{"p2"}, "flat", intAttr("axis", 1))
	b.node("Gemm", []string{"flat", "fc1.w", "fc1.b"}, "h", intAttr("transB", 1))
	b.node("Relu", []string{"h"}, "hr")
	b.node("Gemm", []string{"hr", "fc2.w", "fc2.b"}, "logits", intAttr("transB", 1))
	b.node("Softmax", []string{"logits"}, "probs", intAttr("axis", 1))
	b.output("probs", "batch", 10)
	m := &pb.ModelProto{
		IrVersion:    8,
		ProducerName: "nncc genmodels",
		OpsetImport:  []*pb.OperatorSetIdProto{{Domain: "", Version: 17}},
		Graph:        b.g,
	}
	input := randTensor(r, "image", 2, 1, 16, 16)
	return m, []*pb.TensorProto{input}
}

type graphBuilder struct{ g *pb.GraphProto }

func (b *graphBuilder) input(name string, batch string, dims ...int64) {
	b.g.Input = append(b.g.Input, valueInfo(name, batch, dims...))
}

func (b *graphBuilder) output(name string, batch string, dims ...int64) {
	b.g.Output = append(b.g.Output, valueInfo(name, batch, dims...))
}

func (b *graphBuilder) weight(r *rand.Rand, name string, dims ...int64) {
	t := randTensor(r, name, dims...)
	// Scale by 1/sqrt(fan-in) so activations stay in a sensible range.
	fan := 1.0
	if len(dims) > 1 {
		for _, d := range dims[1:] {
			fan *= float64(d)
		}
	}
	scaleRaw(t, float32(1/math.Sqrt(fan)))
	b.g.Initializer = append(b.g.Initializer, t)
}

func (b *graphBuilder) node(op string, ins []string, out string, attrs ...*pb.AttributeProto) {
	b.g.Node = append(b.g.Node, &pb.NodeProto{
		Name: out + "_" + op, OpType: op, Input: ins, Output: []string{out}, Attribute: attrs,
	})
}

func valueInfo(name, batch string, dims ...int64) *pb.ValueInfoProto {
	shape := &pb.TensorShapeProto{}
	if batch != "" {
		shape.Dim = append(shape.Dim, &pb.TensorShapeProto_Dimension{Value: &pb.TensorShapeProto_Dimension_DimParam{DimParam: batch}})
	}
	for _, d := range dims {
		shape.Dim = append(shape.Dim, &pb.TensorShapeProto_Dimension{Value: &pb.TensorShapeProto_Dimension_DimValue{DimValue: d}})
	}
	return &pb.ValueInfoProto{Name: name, Type: &pb.TypeProto{Value: &pb.TypeProto_TensorType{
		TensorType: &pb.TypeProto_Tensor{ElemType: int32(pb.TensorProto_FLOAT), Shape: shape}}}}
}

func ints(name string, v ...int64) *pb.AttributeProto {
	return &pb.AttributeProto{Name: name, Type: pb.AttributeProto_INTS, Ints: v}
}

func intAttr(name string, v int64) *pb.AttributeProto {
	return &pb.AttributeProto{Name: name, Type: pb.AttributeProto_INT, I: v}
}

// randTensor makes a float tensor of standard-normal values.
func randTensor(r *rand.Rand, name string, dims ...int64) *pb.TensorProto {
	n := int64(1)
	for _, d := range dims {
		n *= d
	}
	raw := make([]byte, 4*n)
	for i := int64(0); i < n; i++ {
		binary.LittleEndian.PutUint32(raw[4*i:], math.Float32bits(float32(r.NormFloat64())))
	}
	return &pb.TensorProto{Name: name, Dims: dims, DataType: int32(pb.TensorProto_FLOAT), RawData: raw}
}

func scaleRaw(t *pb.TensorProto, s float32) {
	for i := 0; i+4 <= len(t.RawData); i += 4 {
		v := math.Float32frombits(binary.LittleEndian.Uint32(t.RawData[i:]))
		binary.LittleEndian.PutUint32(t.RawData[i:], math.Float32bits(v*s))
	}
}

func write(dir string, m *pb.ModelProto, inputs []*pb.TensorProto) error {
	set := filepath.Join(dir, "test_data_set_0")
	if err := os.MkdirAll(set, 0o755); err != nil {
		return err
	}
	data, err := proto.Marshal(m)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "model.onnx"), data, 0o644); err != nil {
		return err
	}
	for i, in := range inputs {
		data, err := proto.Marshal(in)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(set, fmt.Sprintf("input_%d.pb", i)), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
