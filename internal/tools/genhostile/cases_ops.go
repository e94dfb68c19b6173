package main

import (
	pb "github.com/nncc/nncc/frontend/onnx/onnxpb"
	"github.com/nncc/nncc/ir"
)

// opCases use ops, opsets and attributes wrongly, and carry tensors whose
// bytes do not match their declared shape.
var opCases = []hostileCase{
	{Name: "op_unknown", Group: "ops and attributes", What: "an op no table knows (FooBar)", Expect: "not supported",
		build: func(c *caseDir) error { return graphModel(c, node("FooBar", ss("x"), ss("y"))) }},
	{Name: "op_domain_not_imported", Group: "ops and attributes", What: "a node in a domain the model does not import", Expect: "is not imported",
		build: func(c *caseDir) error {
			return graphModel(c, &pb.NodeProto{OpType: "Relu", Domain: "evil.example", Input: ss("x"), Output: ss("y")})
		}},
	{Name: "op_opset_future", Group: "ops and attributes", What: "ai.onnx opset 9999", Expect: "opset 9999",
		build: func(c *caseDir) error {
			m := model(graphOf(node("Relu", ss("x"), ss("y"))))
			m.OpsetImport[0].Version = 9999
			return c.writeModel(m, x4())
		}},
	{Name: "op_opset_negative", Group: "ops and attributes", What: "ai.onnx opset -3", Expect: "opset -3",
		build: func(c *caseDir) error {
			m := model(graphOf(node("Relu", ss("x"), ss("y"))))
			m.OpsetImport[0].Version = -3
			return c.writeModel(m, x4())
		}},
	{Name: "op_opset_too_old", Group: "ops and attributes", What: "Expand in opset 7 (it first appears in 8)", Expect: "older than",
		build: func(c *caseDir) error {
			m := model(graphOf(node("Expand", ss("x", "s"), ss("y"))))
			m.Graph.Initializer = []*pb.TensorProto{int64s("s", []int64{1}, 4)}
			m.OpsetImport[0].Version = 7
			return c.writeModel(m, x4())
		}},
	{Name: "op_too_many_inputs", Group: "ops and attributes", What: "Relu with three inputs", Expect: "Relu",
		build: func(c *caseDir) error { return graphModel(c, node("Relu", ss("x", "x", "x"), ss("y"))) }},
	{Name: "op_unknown_attribute", Group: "ops and attributes", What: "Relu with an attribute it does not have", Expect: "evil",
		build: func(c *caseDir) error { return graphModel(c, node("Relu", ss("x"), ss("y"), intAttr("evil", 1))) }},
	{Name: "op_attribute_wrong_kind", Group: "ops and attributes", What: "Constant's value attribute given as an INT", Expect: "value",
		build: func(c *caseDir) error {
			return c.writeModel(constModel([]*pb.NodeProto{node("Constant", nil, ss("y"), intAttr("value", 7))}))
		}},
	{Name: "op_attribute_twice", Group: "ops and attributes", What: "the same attribute given twice", Expect: "given twice",
		build: func(c *caseDir) error {
			return graphModel(c, node("LeakyRelu", ss("x"), ss("y"),
				&pb.AttributeProto{Name: "alpha", Type: pb.AttributeProto_FLOAT, F: 0.1},
				&pb.AttributeProto{Name: "alpha", Type: pb.AttributeProto_FLOAT, F: 0.2}))
		}},
	{Name: "op_attribute_bad_type", Group: "ops and attributes", What: "an attribute of type 99", Expect: "attribute",
		build: func(c *caseDir) error {
			return graphModel(c, node("LeakyRelu", ss("x"), ss("y"), &pb.AttributeProto{Name: "alpha", Type: 99}))
		}},
	{Name: "op_if_without_branches", Group: "ops and attributes", What: "If without then/else graphs", Expect: "branch",
		build: func(c *caseDir) error {
			g := graphOf(node("If", ss("c"), ss("y")))
			g.Input = append(g.Input, vi("c", ir.Bool))
			return c.writeModel(model(g), x4(), bools("c", true))
		}},
	{Name: "attr_tensor_short_raw", Group: "tensor data", What: "Constant value tensor: float[4] with 6 raw bytes", Expect: "raw data has 6 bytes",
		build: func(c *caseDir) error {
			t := &pb.TensorProto{Name: "v", DataType: int32(ir.Float32), Dims: []int64{4}, RawData: []byte{1, 2, 3, 4, 5, 6}}
			return c.writeModel(constModel([]*pb.NodeProto{node("Constant", nil, ss("y"), tensorAttr("value", t))}))
		}},
	{Name: "attr_tensor_bad_dtype", Group: "tensor data", What: "Constant value tensor of data_type 999", Expect: "unsupported data type 999",
		build: func(c *caseDir) error {
			t := &pb.TensorProto{Name: "v", DataType: 999, Dims: []int64{1}, RawData: []byte{1, 2, 3, 4}}
			return c.writeModel(constModel([]*pb.NodeProto{node("Constant", nil, ss("y"), tensorAttr("value", t))}))
		}},
	{Name: "attr_tensor_undefined_dtype", Group: "tensor data", What: "Constant value tensor of data_type 0 (UNDEFINED)", Expect: "data type 0",
		build: func(c *caseDir) error {
			t := &pb.TensorProto{Name: "v", Dims: []int64{1}, RawData: []byte{1, 2, 3, 4}}
			return c.writeModel(constModel([]*pb.NodeProto{node("Constant", nil, ss("y"), tensorAttr("value", t))}))
		}},
	{Name: "attr_tensor_huge_dims", Group: "tensor data", What: "Constant value tensor of shape [2^31, 2^31, 2^31] (product overflows int64) with 4 bytes", Expect: "MaxTensorBytes",
		build: func(c *caseDir) error {
			t := &pb.TensorProto{Name: "v", DataType: int32(ir.Float32), Dims: []int64{1 << 31, 1 << 31, 1 << 31}, RawData: []byte{1, 2, 3, 4}}
			return c.writeModel(constModel([]*pb.NodeProto{node("Constant", nil, ss("y"), tensorAttr("value", t))}))
		}},
	{Name: "attr_tensor_segment", Group: "tensor data", What: "a segmented tensor", Expect: "segmented",
		build: func(c *caseDir) error {
			t := floats("v", []int64{1}, 1)
			t.Segment = &pb.TensorProto_Segment{Begin: 0, End: 1 << 40}
			return c.writeModel(constModel([]*pb.NodeProto{node("Constant", nil, ss("y"), tensorAttr("value", t))}))
		}},
	{Name: "init_short_raw", Group: "tensor data", What: "initializer float[4] with 12 raw bytes", Expect: "raw data has 12 bytes",
		build: func(c *caseDir) error {
			w := &pb.TensorProto{Name: "w", DataType: int32(ir.Float32), Dims: []int64{4}, RawData: f32bytes(3)}
			return c.writeModel(addModel(w), x4())
		}},
	{Name: "init_long_typed", Group: "tensor data", What: "initializer float[4] with 5 float_data values", Expect: "float_data has 5 values",
		build: func(c *caseDir) error { return c.writeModel(addModel(floats("w", []int64{4}, 1, 2, 3, 4, 5)), x4()) }},
	{Name: "init_wrong_field", Group: "tensor data", What: "initializer float[4] with its values in int64_data", Expect: "float_data has 0 values",
		build: func(c *caseDir) error {
			w := &pb.TensorProto{Name: "w", DataType: int32(ir.Float32), Dims: []int64{4}, Int64Data: []int64{1, 2, 3, 4}}
			return c.writeModel(addModel(w), x4())
		}},
	{Name: "init_negative_dim", Group: "tensor data", What: "initializer with dims [-4]", Expect: "negative",
		build: func(c *caseDir) error { return c.writeModel(addModel(floats("w", []int64{-4}, 1, 2, 3, 4)), x4()) }},
	{Name: "init_overflow_dims", Group: "tensor data", What: "initializer with dims [2^62, 4] (count wraps to 0 in int64)", Expect: "MaxTensorBytes",
		build: func(c *caseDir) error { return c.writeModel(addModel(floats("w", []int64{1 << 62, 4})), x4()) }},
	{Name: "init_zero_dim_huge", Group: "tensor data", What: "initializer with dims [0, 2^62] (zero elements, giant dim)", Expect: "cannot broadcast",
		build: func(c *caseDir) error { return c.writeModel(addModel(floats("w", []int64{0, 1 << 62})), x4()) }},
	{Name: "init_wrong_shape", Group: "tensor data", What: "initializer float[3] added to float[4]", Expect: "broadcast",
		build: func(c *caseDir) error { return c.writeModel(addModel(floats("w", []int64{3}, 1, 2, 3)), x4()) }},
	{Name: "init_wrong_dtype", Group: "tensor data", What: "initializer int64[4] added to float[4]", Expect: "int64",
		build: func(c *caseDir) error { return c.writeModel(addModel(int64s("w", []int64{4}, 1, 2, 3, 4)), x4()) }},
}
