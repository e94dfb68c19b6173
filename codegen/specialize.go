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
	return nil
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
