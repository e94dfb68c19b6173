package codegen

import (
	"fmt"

	"github.com/nncc/nncc/ir"
)

// Specialised graphs: besides the optimised graph with the model's
// symbolic shapes, an artifact stores the graph optimised again for fixed
// input shapes (the shapes `nncc compile` was told, symbolic dimensions 1
// by default), with every shape static and every shape computation
// folded. A session whose inputs have exactly those shapes lowers that
// graph directly: its first Run runs no pass and, the graph's weight
// transforms being stored too, packs nothing. Inputs of other shapes go
// through the generic graph (passes for their shapes, then lowering).
//
// A specialised graph shares the weights section with the generic graph
// (a tensor both use is stored once) but not its values: it is a graph of
// its own, decoded and checked like the generic one, plus the rules of
// CheckSpecialized.

// maxSpecialized bounds the specialised graphs of one artifact.
const maxSpecialized = 64

// CheckSpecialized checks that sg can stand in for g on inputs of sg's
// input shapes: the same inputs (names, kinds and dtypes) and outputs
// (count and names), each input of sg a tensor of a static shape that g's
// input type admits.
func CheckSpecialized(g, sg *ir.Graph) error {
	if sg == nil {
		return fmt.Errorf("missing graph")
	}
	if len(sg.Inputs) != len(g.Inputs) || len(sg.Outputs) != len(g.Outputs) {
		return fmt.Errorf("%d inputs and %d outputs, the model has %d and %d",
			len(sg.Inputs), len(sg.Outputs), len(g.Inputs), len(g.Outputs))
	}
	for i, v := range sg.Inputs {
		gv := g.Inputs[i]
		if v.Name != gv.Name {
			return fmt.Errorf("input %d is %q, the model's is %q", i, v.Name, gv.Name)
		}
		t, gt := v.Type, gv.Type
		if t.Kind != ir.KindTensor || gt.Kind != ir.KindTensor || t.DType != gt.DType || !t.RankKnown {
			return fmt.Errorf("input %q has type %v, the model's is %v (specialised inputs are tensors of static shape)", v.Name, t, gt)
		}
		if gt.RankKnown && len(gt.Shape) != len(t.Shape) {
			return fmt.Errorf("input %q has rank %d, the model's %d", v.Name, len(t.Shape), len(gt.Shape))
		}
		for j, d := range t.Shape {
			if !d.Known() {
				return fmt.Errorf("input %q has a dynamic dimension %v", v.Name, d)
			}
			if gt.RankKnown && gt.Shape[j].Known() && gt.Shape[j].Size != d.Size {
				return fmt.Errorf("input %q dimension %d is %d, the model's is %d", v.Name, j, d.Size, gt.Shape[j].Size)
			}
		}
	}
	for i, v := range sg.Outputs {
		if v.Name != g.Outputs[i].Name {
			return fmt.Errorf("output %d is %q, the model's is %q", i, v.Name, g.Outputs[i].Name)
		}
	}
	return checkStoredTypes(sg)
}

// checkStoredTypes infers every node's output types of sg from its input
// types (in order, as the graph is topologically sorted) and checks them
// against the stored ones: lowering trusts a specialised graph's static
// shapes (no pass re-infers them), so a stored shape may be more
// specific than inference (a declared value_info) but never contradict
// it.
func checkStoredTypes(sg *ir.Graph) error {
	for _, n := range sg.Nodes {
		s, ok := ir.LookupOp(n.Domain, n.Op)
		if !ok || s.Infer == nil {
			return fmt.Errorf("node %q: op %s has no type inference", n.Name, n.Op)
		}
		ctx := &ir.InferCtx{Node: n, In: make([]*ir.Type, len(n.Inputs)), Const: make([]*ir.Tensor, len(n.Inputs)), Out: make([]ir.Type, len(n.Outputs))}
		for i, v := range n.Inputs {
			if v != nil {
				t := v.Type
				ctx.In[i], ctx.Const[i] = &t, v.Const
			}
		}
		if err := s.Infer(ctx); err != nil {
			return fmt.Errorf("node %q (%s): %v", n.Name, n.Op, err)
		}
		for i, o := range n.Outputs {
			if o != nil && !typeAgrees(o.Type, ctx.Out[i]) {
				return fmt.Errorf("node %q (%s) output %q is stored as %v, its inputs give %v", n.Name, n.Op, o.Name, o.Type, ctx.Out[i])
			}
		}
	}
	return nil
}

// typeAgrees reports whether a stored type is consistent with an inferred
// one: same kind and dtype (where inferred), same rank and sizes where
// inference knows them.
func typeAgrees(stored, inferred ir.Type) bool {
	if inferred.Kind != stored.Kind {
		return inferred.Kind == ir.KindTensor && inferred.DType == ir.Undefined
	}
	if inferred.Kind != ir.KindTensor {
		return true
	}
	if inferred.DType != ir.Undefined && inferred.DType != stored.DType {
		return false
	}
	if !inferred.RankKnown {
		return true
	}
	if !stored.RankKnown || len(stored.Shape) != len(inferred.Shape) {
		return false
	}
	for i, d := range inferred.Shape {
		if d.Known() && (!stored.Shape[i].Known() || stored.Shape[i].Size != d.Size) {
			return false
		}
	}
	return true
}

// InputShapes returns the static input shapes of a specialised graph.
func InputShapes(sg *ir.Graph) [][]int64 {
	out := make([][]int64, len(sg.Inputs))
	for i, v := range sg.Inputs {
		s := make([]int64, len(v.Type.Shape))
		for j, d := range v.Type.Shape {
			s[j] = d.Size
		}
		out[i] = s
	}
	return out
}
