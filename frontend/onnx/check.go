package onnx

import (
	"fmt"

	"github.com/nncc/nncc/ir"
)

// OpError reports a node that the op table does not accept: an unknown
// (domain, op), an opset version outside the row's range, or a node whose
// arity or attributes do not match the row.
type OpError struct {
	Node   string
	Op     string
	Domain string // "" is ai.onnx
	Opset  int64
	Err    error // the reason
}

func (e *OpError) Error() string {
	dom := e.Domain
	if dom == "" {
		dom = "ai.onnx"
	}
	return fmt.Sprintf("node %q: op %s (domain %s, opset %d): %v", e.Node, e.Op, dom, e.Opset, e.Err)
}

func (e *OpError) Unwrap() error { return e.Err }

// ErrUnknownOp is the reason of an OpError for an op with no row.
var ErrUnknownOp = fmt.Errorf("not supported (no row in the op table)")

// checkOps checks every node of g and its subgraphs against the op table.
func checkOps(g *ir.Graph) error {
	for _, n := range g.Nodes {
		if err := checkNode(n); err != nil {
			return err
		}
		for _, sg := range n.Subgraphs() {
			if err := checkOps(sg); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkNode(n *ir.Node) error {
	fail := func(err error) error {
		return &OpError{Node: n.Name, Op: n.Op, Domain: n.Domain, Opset: n.Opset, Err: err}
	}
	s, ok := ir.LookupOp(n.Domain, n.Op)
	if !ok {
		return fail(ErrUnknownOp)
	}
	if n.Opset < s.MinOpset {
		return fail(fmt.Errorf("opset version %d is older than the oldest supported (%d)", n.Opset, s.MinOpset))
	}
	if s.MaxOpset != 0 && n.Opset > s.MaxOpset {
		return fail(fmt.Errorf("opset version %d is newer than the newest supported (%d)", n.Opset, s.MaxOpset))
	}
	if err := s.CheckNode(n); err != nil {
		return fail(err)
	}
	if err := ir.CheckOpForm(n); err != nil {
		return fail(err)
	}
	return nil
}
