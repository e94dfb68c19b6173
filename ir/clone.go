package ir

// Clone returns a deep copy of g's structure: new Graph, Node and Value
// objects (nested graphs included), so passes may rewrite the copy freely.
// Constant tensors and attribute tensors are shared, not copied: passes
// treat tensors as immutable. Values of enclosing scopes that g refers to
// (when g is a nested graph) are kept as they are.
func Clone(g *Graph) *Graph {
	m := map[*Value]*Value{}
	return cloneGraph(g, m)
}

func cloneValue(v *Value, m map[*Value]*Value) *Value {
	if v == nil {
		return nil
	}
	if c, ok := m[v]; ok {
		return c
	}
	c := &Value{Name: v.Name, Type: v.Type, Const: v.Const}
	m[v] = c
	return c
}

func cloneGraph(g *Graph, m map[*Value]*Value) *Graph {
	c := &Graph{Name: g.Name, Opsets: g.Opsets, Metadata: g.Metadata}
	for _, v := range g.Inputs {
		c.Inputs = append(c.Inputs, cloneValue(v, m))
	}
	for _, v := range g.Constants {
		c.Constants = append(c.Constants, cloneValue(v, m))
	}
	for _, n := range g.Nodes {
		cn := &Node{Name: n.Name, Op: n.Op, Domain: n.Domain, Opset: n.Opset, Attrs: Attrs{}}
		for _, in := range n.Inputs {
			if in == nil {
				cn.Inputs = append(cn.Inputs, nil)
				continue
			}
			if cv, ok := m[in]; ok {
				cn.Inputs = append(cn.Inputs, cv)
			} else {
				cn.Inputs = append(cn.Inputs, in) // outer-scope or free constant
			}
		}
		for k, a := range n.Attrs {
			ca := *a
			if a.G != nil {
				ca.G = cloneGraph(a.G, m)
			}
			if a.Graphs != nil {
				ca.Graphs = make([]*Graph, len(a.Graphs))
				for i, sg := range a.Graphs {
					ca.Graphs[i] = cloneGraph(sg, m)
				}
			}
			cn.Attrs[k] = &ca
		}
		for _, o := range n.Outputs {
			cn.Outputs = append(cn.Outputs, cloneValue(o, m))
		}
		c.AddNode(cn)
	}
	for _, v := range g.Outputs {
		if cv, ok := m[v]; ok {
			c.Outputs = append(c.Outputs, cv)
		} else {
			c.Outputs = append(c.Outputs, v)
		}
	}
	return c
}
