package main

import (
	pb "github.com/nncc/nncc/frontend/onnx/onnxpb"
	"github.com/nncc/nncc/ir"
)

// emptyChannelsModel is y = nodes(Conv(x, w)) for x: float[batch, 0, 1, 1]
// and w an initializer of shape [2^29, 0, 1, 1]: no weight data at all,
// yet the convolution's output has 2^29 channels. Run on a batch of 0 the
// output is empty; an optimisation pass that materialises a value per
// channel (a broadcast scale or bias) would allocate gigabytes first.
func emptyChannelsModel(c *caseDir, nodes []*pb.NodeProto, inits ...*pb.TensorProto) error {
	const ch = 1 << 29
	m := model(&pb.GraphProto{
		Name:        "empty_channels",
		Input:       []*pb.ValueInfoProto{vi("x", ir.Float32, "batch", 0, 1, 1)},
		Initializer: append([]*pb.TensorProto{floats("w", []int64{ch, 0, 1, 1})}, inits...),
		Node:        append([]*pb.NodeProto{node("Conv", ss("x", "w"), ss("c"))}, nodes...),
		Output:      []*pb.ValueInfoProto{{Name: "y"}},
	})
	return c.writeModel(m, floats("x", []int64{0, 0, 1, 1}))
}

// passCases are models whose optimisation would build a constant sized by
// a shape or attribute rather than by data the file holds: the passes
// must leave them unfused (the kernels broadcast) instead of allocating.
var passCases = []hostileCase{
	{Name: "pass_scale_channels_2p29", Group: "optimisation passes", What: "Conv with weights [2^29, 0, 1, 1] (no data, 2^29 output channels) times a scalar constant, batch 0: folding the scale into the weights would expand it to 2^29 values", Outcome: "runs",
		build: func(c *caseDir) error {
			return emptyChannelsModel(c, []*pb.NodeProto{node("Mul", ss("c", "s"), ss("y"))}, floats("s", []int64{}, 2))
		}},
	{Name: "pass_bias_channels_2p29", Group: "optimisation passes", What: "Conv with weights [2^29, 0, 1, 1] plus a scalar constant and Relu, batch 0: fusing the Add as the convolution's bias would expand it to 2^29 values", Outcome: "runs",
		build: func(c *caseDir) error {
			return emptyChannelsModel(c, []*pb.NodeProto{node("Add", ss("c", "b"), ss("a")), node("Relu", ss("a"), ss("y"))}, floats("b", []int64{}, 1))
		}},
	{Name: "pass_layernorm_scale_2p31", Group: "optimisation passes", What: "the LayerNormalization pattern (ReduceMean, Sub, Pow, ReduceMean, Add, Sqrt, Div) over a last axis of 2^31 with no scale, batch 0: recognising it would build a scale of 2^31 ones", Outcome: "runs",
		build: func(c *caseDir) error {
			const n = 1 << 31
			m := model(&pb.GraphProto{
				Name:        "layernorm",
				Input:       []*pb.ValueInfoProto{vi("x", ir.Float32, "batch", n)},
				Initializer: []*pb.TensorProto{floats("two", []int64{}, 2), floats("eps", []int64{}, 1e-5)},
				Node: []*pb.NodeProto{
					node("ReduceMean", ss("x"), ss("mu"), intsAttr("axes", -1)),
					node("Sub", ss("x", "mu"), ss("d")),
					node("Pow", ss("d", "two"), ss("sq")),
					node("ReduceMean", ss("sq"), ss("var"), intsAttr("axes", -1)),
					node("Add", ss("var", "eps"), ss("ve")),
					node("Sqrt", ss("ve"), ss("sd")),
					node("Div", ss("d", "sd"), ss("y")),
				},
				Output: []*pb.ValueInfoProto{{Name: "y"}},
			})
			return c.writeModel(m, floats("x", []int64{0, n}))
		}},
	{Name: "pass_matmul_add_row_2p31", Group: "optimisation passes", What: "MatMul of x [batch, 0] by weights [0, 2^31] (no data) plus a scalar constant, batch 0: fusing it into a Gemm would expand the scalar to a 2^31-value row", Outcome: "runs",
		build: func(c *caseDir) error {
			const n = 1 << 31
			m := model(&pb.GraphProto{
				Name:        "matmul_add",
				Input:       []*pb.ValueInfoProto{vi("x", ir.Float32, "batch", 0)},
				Initializer: []*pb.TensorProto{floats("w", []int64{0, n}), floats("b", []int64{}, 1)},
				Node:        []*pb.NodeProto{node("MatMul", ss("x", "w"), ss("p")), node("Add", ss("p", "b"), ss("y"))},
				Output:      []*pb.ValueInfoProto{{Name: "y"}},
			})
			return c.writeModel(m, floats("x", []int64{0, 0}))
		}},
}
