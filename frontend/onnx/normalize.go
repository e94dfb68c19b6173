package onnx

import (
	"fmt"
	"math"
	"strings"

	"github.com/nncc/nncc/ir"
)

// Opset normalisation: old forms of an op whose attributes changed kind
// are rewritten into the op's canonical form before the op table sees
// them. (Most version differences — attributes that became inputs,
// changed defaults — are handled by the op rows and kernels themselves,
// which branch on Node.Opset; this table holds the changes the op table
// cannot express, because it gives each attribute one kind.)
//
// A rule applies to nodes of the default domain whose opset is below
// `below`; after it runs, the node is marked as written for `below`.
var normRules = []struct {
	op    string
	below int64
	fn    func(n *ir.Node) error
}{
	{"Cast", 6, normCastTo},           // Cast-1: `to` named the type as a string
	{"LpPool", 2, normLpFloatP},       // LpPool-1: `p` was a float
	{"GlobalLpPool", 2, normLpFloatP}, // GlobalLpPool-1: likewise
}

// normalize applies normRules to every node of g and its nested graphs.
func normalize(g *ir.Graph) error {
	for _, n := range g.Nodes {
		if n.Domain == "" {
			for _, r := range normRules {
				if n.Op == r.op && n.Opset < r.below {
					if err := r.fn(n); err != nil {
						return fmt.Errorf("node %q (%s, opset %d): %v", n.Name, n.Op, n.Opset, err)
					}
					n.Opset = r.below
				}
			}
		}
		for _, sg := range n.Subgraphs() {
			if err := normalize(sg); err != nil {
				return err
			}
		}
	}
	return nil
}

// normCastTo turns Cast-1's `to` (a TensorProto.DataType name such as
// "FLOAT" or "INT64") into the element-type number later versions use.
func normCastTo(n *ir.Node) error {
	a, ok := n.Attrs["to"]
	if !ok || a.Kind != ir.AttrString {
		return nil
	}
	name := strings.ToLower(a.S)
	aliases := map[string]string{"float32": "float", "float64": "double"}
	if alias, ok := aliases[name]; ok {
		name = alias
	}
	dt, ok := ir.ParseDType(name)
	if !ok {
		return fmt.Errorf("attribute to = %q names no element type", a.S)
	}
	n.Attrs.SetInt("to", int64(dt))
	return nil
}

// normLpFloatP turns LpPool-1's float `p` into the integer later versions
// take; a fractional p has no later equivalent and is an error.
func normLpFloatP(n *ir.Node) error {
	a, ok := n.Attrs["p"]
	if !ok {
		return nil
	}
	if a.Kind != ir.AttrFloat {
		return nil
	}
	if a.F != float32(math.Trunc(float64(a.F))) || a.F < 1 {
		return fmt.Errorf("p = %g: only positive integral p is supported", a.F)
	}
	n.Attrs.SetInt("p", int64(a.F))
	return nil
}
