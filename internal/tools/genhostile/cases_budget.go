package main

import (
	"fmt"

	pb "github.com/nncc/nncc/frontend/onnx/onnxpb"
	"github.com/nncc/nncc/ir"
)

// foldBombNodes and foldBombElems make the fold bomb: that many
// ConstantOfShape nodes of that many float32 values each (16 MiB), all
// summed, 16 GiB of constants if every one were folded.
const (
	foldBombNodes = 1024
	foldBombElems = 1 << 22
)

// budgetCases ask for tensors within MaxTensorElements but beyond the
// memory budget (runtime.Options.MaxMemoryBytes: a quarter of the
// machine's memory and of the address-space limit, so 256 MiB under the
// hostile test's 1 GiB limit, and no more than 16 GiB anywhere).
var budgetCases = []hostileCase{
	{Name: "budget_constantofshape_8gib", Group: "memory budget", What: "ConstantOfShape to [2^31] float32 from a constant shape (8 GiB, within MaxTensorElements)", Expect: "memory budget",
		build: func(c *caseDir) error {
			return opGraph(c, []*pb.NodeProto{node("ConstantOfShape", ss("s"), ss("y"))}, int64s("s", []int64{1}, 1<<31))
		}},
	{Name: "budget_expand_8gib_input", Group: "memory budget", What: "Expand float[4] to [2^29, 4] (8 GiB) with the shape from an input", Expect: "memory budget",
		build: func(c *caseDir) error { return shapeInputGraph(c, "Expand", 1<<29, 4) }},
	{Name: "budget_fold_bomb", Group: "memory budget", What: fmt.Sprintf("%d ConstantOfShape nodes of %d float32 values each, all summed: 16 GiB of folded constants from a small file (folding stops at the budget; the rest needs an arena beyond it)", foldBombNodes, foldBombElems), Expect: "MaxMemoryBytes",
		build: func(c *caseDir) error {
			var nodes []*pb.NodeProto
			var sum []string
			for i := range foldBombNodes {
				out := fmt.Sprintf("c%d", i)
				nodes = append(nodes, node("ConstantOfShape", ss("s"), ss(out), tensorAttr("value", floats("v", []int64{1}, float32(i)))))
				sum = append(sum, out)
			}
			// The input x keeps the Sum from folding and gives the test
			// data set a file (git keeps no empty folder, and nncc check
			// wants a set before it plans the model).
			nodes = append(nodes, node("Sum", append(sum, "x"), ss("y")))
			g := &pb.GraphProto{
				Name:        "fold_bomb",
				Input:       []*pb.ValueInfoProto{vi("x", ir.Float32, 1)},
				Initializer: []*pb.TensorProto{int64s("s", []int64{1}, foldBombElems)},
				Node:        nodes,
				Output:      []*pb.ValueInfoProto{vi("y", ir.Float32, foldBombElems)},
			}
			return c.writeModel(model(g), floats("x", []int64{1}, 1))
		}},
}
