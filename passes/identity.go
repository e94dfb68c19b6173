package passes

import "github.com/nncc/nncc/ir"

// eliminateIdentity removes Identity nodes and Dropout nodes in inference
// mode (no mask output used, training_mode absent or constant false): their
// uses read the input directly. A node whose output is a graph output is
// kept so that output names stay what the model declared.
func eliminateIdentity(g *ir.Graph, c *Context) error {
	dead := map[*ir.Node]bool{}
	for _, n := range g.Nodes {
		if n.Domain != "" || len(n.Outputs) == 0 || n.Out(0) == nil || n.In(0) == nil {
			continue
		}
		switch n.Op {
		case "Identity":
		case "Dropout":
			if n.Out(1) != nil || !dropoutIsInference(n) {
				continue
			}
		default:
			continue
		}
		in, out := n.In(0), n.Out(0)
		if in.Type.Kind != ir.KindTensor || isGraphOutput(g, out) {
			continue
		}
		replaceUses(g, out, in)
		dead[n] = true
	}
	removeNodes(g, dead)
	return nil
}

func dropoutIsInference(n *ir.Node) bool {
	if n.Opset < 7 && n.Attrs.Int("is_test", 0) == 0 {
		return false // old Dropout trains unless is_test is set
	}
	tm := n.In(2)
	if tm == nil {
		return true
	}
	if tm.Const == nil {
		return false
	}
	b, ok := tm.Const.Data.([]bool)
	return ok && len(b) == 1 && !b[0]
}
