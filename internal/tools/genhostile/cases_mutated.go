package main

import (
	pb "github.com/nncc/nncc/frontend/onnx/onnxpb"
	"github.com/nncc/nncc/ir"
)

// emptyBatchModel is y = op(x) for x: float[batch, 1, 2, 2], with
// constant inputs inits after x, run on a batch of 0.
func emptyBatchModel(c *caseDir, n *pb.NodeProto, inits ...*pb.TensorProto) error {
	m := model(&pb.GraphProto{
		Name:        "empty_batch",
		Input:       []*pb.ValueInfoProto{vi("x", ir.Float32, "batch", 1, 2, 2)},
		Initializer: inits,
		Node:        []*pb.NodeProto{n},
		Output:      []*pb.ValueInfoProto{{Name: "y"}},
	})
	return c.writeModel(m, floats("x", []int64{0, 1, 2, 2}))
}

// mutatedCases are well-formed models with one attribute turned hostile,
// the bugs the semantic mutation sweep (runtime/mutate_test.go) found.
var mutatedCases = []hostileCase{
	{Name: "op_avgpool_kernel_huge_same", Group: "ops and attributes", What: "AveragePool with kernel_shape [2^31-1, 2^31-1] and auto_pad SAME_UPPER over a 3×3 image (only in-range taps are visited)", Outcome: "runs",
		build: func(c *caseDir) error {
			return c.writeModel(constModel([]*pb.NodeProto{
				node("AveragePool", ss("x"), ss("y"), intsAttr("kernel_shape", 1<<31-1, 1<<31-1), strAttr("auto_pad", "SAME_UPPER"), intAttr("count_include_pad", 1)),
			}, floats("x", []int64{1, 1, 3, 3}, 1, 2, 3, 4, 5, 6, 7, 8, 9)))
		}},
	{Name: "op_maxpool_kernel_2p33", Group: "ops and attributes", What: "MaxPool with kernel_shape [2^33+2, 2^33+2] and auto_pad SAME_LOWER", Expect: "too large",
		build: func(c *caseDir) error {
			return c.writeModel(constModel([]*pb.NodeProto{
				node("MaxPool", ss("x"), ss("y"), intsAttr("kernel_shape", 1<<33+2, 1<<33+2), strAttr("auto_pad", "SAME_LOWER")),
			}, floats("x", []int64{1, 1, 3, 3}, 1, 2, 3, 4, 5, 6, 7, 8, 9)))
		}},
	{Name: "op_depthtospace_blocksize_2p40", Group: "ops and attributes", What: "DepthToSpace with blocksize 2^40 (its square wraps int64 to 0)", Expect: "blocksize",
		build: func(c *caseDir) error {
			return c.writeModel(constModel([]*pb.NodeProto{
				node("DepthToSpace", ss("x"), ss("y"), intAttr("blocksize", 1<<40)),
			}, floats("x", []int64{1, 4, 1, 1}, 1, 2, 3, 4)))
		}},
	{Name: "op_batchnorm_inference_extra_outputs", Group: "ops and attributes", What: "BatchNormalization (opset 17) with training_mode 0 and its running-mean and running-var outputs requested", Expect: "training_mode",
		build: func(c *caseDir) error {
			return c.writeModel(constModel([]*pb.NodeProto{
				node("BatchNormalization", ss("x", "s", "b", "m", "v"), ss("y", "rm", "rv"), intAttr("training_mode", 0)),
			}, floats("x", []int64{1, 2, 1, 1}, 1, 2), floats("s", []int64{2}, 1, 1), floats("b", []int64{2}, 0, 0),
				floats("m", []int64{2}, 0, 0), floats("v", []int64{2}, 1, 1)))
		}},
	{Name: "op_convtranspose_output_padding_empty_batch", Group: "ops and attributes", What: "ConvTranspose with output_padding [2^31-1, 2^31-1] run on a batch of 0 (an empty 2^31×2^31 output: no per-position tables are built)", Outcome: "runs",
		build: func(c *caseDir) error {
			return emptyBatchModel(c, node("ConvTranspose", ss("x", "w"), ss("y"), intsAttr("strides", 2, 2), intsAttr("output_padding", 1<<31-1, 1<<31-1)),
				floats("w", []int64{1, 1, 2, 2}, 1, 2, 3, 4))
		}},
	{Name: "op_avgpool_pads_empty_batch", Group: "ops and attributes", What: "AveragePool with pads 2^31-1 run on a batch of 0 (an empty output of 2^32 positions per axis)", Outcome: "runs",
		build: func(c *caseDir) error {
			return emptyBatchModel(c, node("AveragePool", ss("x"), ss("y"), intsAttr("kernel_shape", 2, 2), intsAttr("pads", 1<<31-1, 1<<31-1, 1<<31-1, 1<<31-1)))
		}},
	{Name: "op_quantize_output_dtype_bogus", Group: "ops and attributes", What: "QuantizeLinear (opset 21) with output_dtype -1", Expect: "not a data type",
		build: func(c *caseDir) error {
			m := constModel([]*pb.NodeProto{
				node("QuantizeLinear", ss("x", "s"), ss("y"), intAttr("output_dtype", -1)),
			}, floats("x", []int64{2}, 1, 2), floats("s", []int64{}, 0.5))
			m.OpsetImport[0].Version = 21
			return c.writeModel(m)
		}},
}
