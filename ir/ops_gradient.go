package ir

import "fmt"

// Op table row of Gradient (ai.onnx.preview.training, version 1): the
// derivative of the value named by attribute "y" with respect to each value
// named in "xs", evaluated at the point given by the node's inputs (the
// values of xs followed by those of zs). Output i is dy/dxs[i] and has
// xs[i]'s type. A non-scalar y is differentiated as the sum of its
// elements (the seed gradient is all ones), as reverse-mode training
// frameworks do.
//
// The attributes name values of the graph holding the node, so the
// differentiated ("forward") computation is found by name. GradientForward
// cuts it out into a self-contained graph; CaptureGradientForward stores
// that graph on the node under GradientForwardAttr before optimisation
// can rename, fuse, fold or delete the values the names refer to. The
// kernel builds the backward graph from it.

// GradientForwardAttr is the internal graph attribute holding a Gradient
// node's captured forward graph (inputs: xs then zs; one output: y).
const GradientForwardAttr = "nncc_forward"

func init() {
	RegisterOp(&OpSchema{
		Domain: TrainingDomain, Name: "Gradient", MinOpset: 1,
		MinInputs: 1, MaxInputs: -1, MinOutputs: 1, MaxOutputs: -1,
		Attrs: []AttrSpec{
			{Name: "xs", Kind: AttrStrings, Required: true},
			{Name: "y", Kind: AttrString, Required: true},
			{Name: "zs", Kind: AttrStrings},
			{Name: GradientForwardAttr, Kind: AttrGraph},
		},
		Infer: inferGradient,
	})
}

// gradientFloats are the dtypes a differentiated value may have.
var gradientFloats = []DType{Float32, Float64, Float16, BFloat16}

func inferGradient(c *InferCtx) error {
	xs := c.Attrs().Strings("xs", nil)
	zs := c.Attrs().Strings("zs", nil)
	if len(c.In) != len(xs)+len(zs) {
		return c.Errorf("%d inputs, but xs and zs name %d values", len(c.In), len(xs)+len(zs))
	}
	if len(c.Out) > len(xs) {
		return c.Errorf("%d outputs, but xs names only %d values", len(c.Out), len(xs))
	}
	for i := range c.In {
		if !c.Has(i) {
			return c.Errorf("input %d is missing", i)
		}
	}
	for i := range c.Out {
		if err := c.RequireDType(i, gradientFloats...); err != nil {
			return err
		}
		c.Out[i] = *c.In[i]
	}
	return nil
}

// GradientNames returns a Gradient node's attributes: the differentiated
// names xs, the other inputs zs and the target y.
func GradientNames(n *Node) (xs, zs []string, y string) {
	return n.Attrs.Strings("xs", nil), n.Attrs.Strings("zs", nil), n.Attrs.String("y", "")
}

// GradientForward cuts out of g the computation of the value named by n's
// attribute y from the values named in xs and zs: a new, self-contained
// graph whose inputs are those values (typed like n's inputs), whose
// constants are the constants the computation reads, whose nodes are
// copies of g's nodes between them (in order), and whose one output is y.
// g itself is not changed.
func GradientForward(g *Graph, n *Node) (*Graph, error) {
	xs, zs, y := GradientNames(n)
	names := append(append([]string{}, xs...), zs...)
	if len(names) != len(n.Inputs) {
		return nil, fmt.Errorf("node %q (Gradient): %d inputs, but xs and zs name %d values", n.Name, len(n.Inputs), len(names))
	}
	byName := map[string]*Value{}
	note := func(v *Value) {
		if v != nil && v.Name != "" {
			byName[v.Name] = v
		}
	}
	for _, v := range g.Inputs {
		note(v)
	}
	for _, v := range g.Constants {
		note(v)
	}
	for _, m := range g.Nodes {
		for _, o := range m.Outputs {
			note(o)
		}
	}
	body := &Graph{Name: n.Name + "/forward"}
	cut := map[string]*Value{}
	for i, name := range names {
		if name == "" {
			return nil, fmt.Errorf("node %q (Gradient): xs/zs entry %d is empty", n.Name, i)
		}
		if _, dup := cut[name]; dup {
			return nil, fmt.Errorf("node %q (Gradient): %q is named twice in xs/zs", n.Name, name)
		}
		if _, ok := byName[name]; !ok {
			return nil, fmt.Errorf("node %q (Gradient): xs/zs name %q, which is no value of graph %q", n.Name, name, g.Name)
		}
		in := &Value{Name: name}
		if v := n.In(i); v != nil {
			in.Type = v.Type
		}
		body.Inputs = append(body.Inputs, in)
		cut[name] = in
	}
	yv, ok := byName[y]
	if !ok {
		return nil, fmt.Errorf("node %q (Gradient): y names %q, which is no value of graph %q", n.Name, y, g.Name)
	}
	m := map[*Value]*Value{}
	var visit func(v *Value) (*Value, error)
	visit = func(v *Value) (*Value, error) {
		if c, ok := m[v]; ok {
			return c, nil
		}
		if c, ok := cut[v.Name]; ok && v.Name != "" {
			m[v] = c
			return c, nil
		}
		p := v.Producer
		if p == nil {
			if v.Const == nil {
				return nil, fmt.Errorf("node %q (Gradient): y %q depends on %q, which is neither named in xs or zs nor a constant", n.Name, y, v.Name)
			}
			c := &Value{Name: v.Name, Type: v.Type, Const: v.Const}
			body.Constants = append(body.Constants, c)
			m[v] = c
			return c, nil
		}
		if p == n {
			return nil, fmt.Errorf("node %q (Gradient): y %q depends on the Gradient node itself", n.Name, y)
		}
		if len(p.Subgraphs()) > 0 {
			return nil, fmt.Errorf("node %q (Gradient): y %q is computed through node %q (%s), which holds a nested graph; that is not supported", n.Name, y, p.Name, p.Op)
		}
		cn := &Node{Name: p.Name, Op: p.Op, Domain: p.Domain, Opset: p.Opset, Attrs: Attrs{}}
		for k, a := range p.Attrs {
			ca := *a // passes may rewrite the original's attributes
			cn.Attrs[k] = &ca
		}
		for _, in := range p.Inputs {
			if in == nil {
				cn.Inputs = append(cn.Inputs, nil)
				continue
			}
			c, err := visit(in)
			if err != nil {
				return nil, err
			}
			cn.Inputs = append(cn.Inputs, c)
		}
		for _, o := range p.Outputs {
			if o == nil {
				cn.Outputs = append(cn.Outputs, nil)
				continue
			}
			c := &Value{Name: o.Name, Type: o.Type}
			m[o] = c
			cn.Outputs = append(cn.Outputs, c)
		}
		body.AddNode(cn)
		return m[v], nil
	}
	out, err := visit(yv)
	if err != nil {
		return nil, err
	}
	body.Outputs = []*Value{out}
	return body, nil
}

// CaptureGradientForward stores on every Gradient node of g (and of its
// nested graphs) that does not have one yet its forward graph, under
// GradientForwardAttr. Run it on the freshly loaded, type-inferred graph:
// afterwards the node no longer depends on names, so passes may rewrite
// the rest of the graph freely (and, since the node now holds a nested
// graph, constant folding and CSE leave it alone).
func CaptureGradientForward(g *Graph) error {
	for _, n := range g.Nodes {
		for _, sg := range n.Subgraphs() {
			if err := CaptureGradientForward(sg); err != nil {
				return err
			}
		}
		if n.Op != "Gradient" || opKey(n.Domain, "") != opKey(TrainingDomain, "") || n.Attrs.Has(GradientForwardAttr) {
			continue
		}
		body, err := GradientForward(g, n)
		if err != nil {
			return err
		}
		if n.Attrs == nil {
			n.Attrs = Attrs{}
		}
		n.Attrs[GradientForwardAttr] = &Attr{Name: GradientForwardAttr, Kind: AttrGraph, G: body}
	}
	return nil
}
