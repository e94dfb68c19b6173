package ir

import "fmt"

// Verify checks a graph's structural invariants: every node's op is in the
// op table with valid arity and attributes, every value is defined once and
// before use (graph inputs, constants, earlier node outputs, or values of an
// enclosing graph for nested graphs), Producer links are consistent, and
// every graph output is defined. It checks nested graphs too.
func Verify(g *Graph) error {
	return verify(g, nil, 0)
}

type scope struct {
	defined map[*Value]bool
	parent  *scope
}

func (s *scope) has(v *Value) bool {
	for ; s != nil; s = s.parent {
		if s.defined[v] {
			return true
		}
	}
	return false
}

func verify(g *Graph, parent *scope, depth int) error {
	if depth > 64 {
		return fmt.Errorf("graph %q: nesting deeper than 64", g.Name)
	}
	sc := &scope{defined: map[*Value]bool{}, parent: parent}
	define := func(v *Value, what string) error {
		if v == nil {
			return nil
		}
		if sc.defined[v] {
			return fmt.Errorf("graph %q: value %q defined twice (%s)", g.Name, v.Name, what)
		}
		sc.defined[v] = true
		return nil
	}
	for _, v := range g.Inputs {
		if v == nil {
			return fmt.Errorf("graph %q: nil input", g.Name)
		}
		if err := define(v, "graph input"); err != nil {
			return err
		}
	}
	for _, v := range g.Constants {
		if v.Const == nil {
			return fmt.Errorf("graph %q: constant %q has no value", g.Name, v.Name)
		}
		if err := define(v, "constant"); err != nil {
			return err
		}
	}
	for _, n := range g.Nodes {
		s, ok := LookupOp(n.Domain, n.Op)
		if !ok {
			return fmt.Errorf("node %q: unknown op %s (domain %q)", n.Name, n.Op, n.Domain)
		}
		if err := s.CheckNode(n); err != nil {
			return fmt.Errorf("node %q: %w", n.Name, err)
		}
		for i, in := range n.Inputs {
			if in == nil {
				continue
			}
			if !sc.has(in) && !(in.Const != nil && in.Producer == nil) {
				return fmt.Errorf("node %q (%s): input %d %q is used before it is defined", n.Name, n.Op, i, in.Name)
			}
		}
		for _, sg := range n.Subgraphs() {
			if err := verify(sg, sc, depth+1); err != nil {
				return fmt.Errorf("node %q (%s) body: %w", n.Name, n.Op, err)
			}
		}
		for i, o := range n.Outputs {
			if o == nil {
				continue
			}
			if o.Producer != n || o.Index != i {
				return fmt.Errorf("node %q (%s): output %d %q has a stale producer link", n.Name, n.Op, i, o.Name)
			}
			if err := define(o, "output of "+n.Name); err != nil {
				return err
			}
		}
	}
	for i, o := range g.Outputs {
		if o == nil || !sc.has(o) {
			name := "<nil>"
			if o != nil {
				name = o.Name
			}
			return fmt.Errorf("graph %q: output %d %q is never defined", g.Name, i, name)
		}
	}
	return nil
}
