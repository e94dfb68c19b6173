package passes

import (
	"fmt"
	"strings"

	"github.com/nncc/nncc/ir"
)

// eliminateCommonSubexpressions merges a node into an earlier one with the
// same op, domain, opset, attributes and inputs. Constant inputs compare by
// value. Nodes with nested graphs, nondeterministic ops, and nodes whose
// outputs are graph outputs (their names are part of the interface) stay.
func eliminateCommonSubexpressions(g *ir.Graph, c *Context) error {
	constKey := map[*ir.Value]string{}
	seen := map[string]*ir.Node{}
	dead := map[*ir.Node]bool{}
	for _, n := range g.Nodes {
		if nondeterministic(n) || len(n.Subgraphs()) > 0 {
			continue
		}
		key := nodeKey(n, constKey)
		prev, ok := seen[key]
		if !ok {
			seen[key] = n
			continue
		}
		if len(prev.Outputs) != len(n.Outputs) {
			continue
		}
		merge := true
		for i, o := range n.Outputs {
			if o != nil && (isGraphOutput(g, o) || prev.Outputs[i] == nil) {
				merge = false
			}
		}
		if !merge {
			continue
		}
		for i, o := range n.Outputs {
			if o != nil {
				replaceUses(g, o, prev.Outputs[i])
			}
		}
		dead[n] = true
	}
	removeNodes(g, dead)
	return nil
}

func nodeKey(n *ir.Node, constKey map[*ir.Value]string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s|%s|%d|", n.Domain, n.Op, n.Opset)
	for _, in := range n.Inputs {
		switch {
		case in == nil:
			b.WriteString("_,")
		case in.Const != nil && in.Producer == nil:
			k, ok := constKey[in]
			if !ok {
				k = tensorKey(in.Const)
				constKey[in] = k
			}
			b.WriteString(k + ",")
		default:
			fmt.Fprintf(&b, "%p,", in)
		}
	}
	for _, a := range n.Attrs.Sorted() {
		fmt.Fprintf(&b, "|%s:%d:%v:%v:%q:%v:%v:%q", a.Name, a.Kind, a.F, a.I, a.S, a.Floats, a.Ints, a.Strings)
		if a.T != nil {
			b.WriteString(tensorKey(a.T))
		}
	}
	fmt.Fprintf(&b, "|%d", len(n.Outputs))
	return b.String()
}

// tensorKey is a value identity for small constants; large ones compare by
// pointer (equal large constants are rare and hashing them costs).
func tensorKey(t *ir.Tensor) string {
	if t.Kind != ir.KindTensor || t.Len() > 64 {
		return fmt.Sprintf("T%p", t)
	}
	return fmt.Sprintf("C%v%v%v", t.DType, t.Shape, t.Data)
}
