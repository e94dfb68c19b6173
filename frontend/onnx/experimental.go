package onnx

import (
	"fmt"
	"slices"

	"github.com/nncc/nncc/ir"
)

// Experimental ops: before opset 10 the default domain also held a few
// experimental operators (ImageScaler, ScaledTanh, Affine, Scale,
// ParametricSoftplus, ThresholdedRelu, ConstantFill) that old converters
// emitted —
// ImageScaler, for instance, is in models converted from CoreML and Caffe
// at opsets 7 to 9. They were removed in opset 10 and have no op table
// rows; the frontend expands each into standard ops with the same
// arithmetic, so the rest of nncc never sees them. At opset 10 and later
// the names are unknown ops, as in the standard.

// experimentalSince10 is the opset from which the experimental ops are
// gone.
const experimentalSince10 = 10

// expOpset is the opset given to the standard nodes an expansion makes:
// Mul and Add with multidirectional broadcasting need opset 7.
const expOpset = 7

// expStep is one standard op of an expansion: op applied to the running
// value and, when k is set, a constant made from the node's attributes.
type expStep struct {
	op string
	k  func(n *ir.Node) (*ir.Tensor, error)
}

// experimentalOps maps each experimental op to its expansion. A nil list
// means the op is a standard op under the same name from opset 10 with
// unchanged meaning (ThresholdedRelu), so only its version is raised.
var experimentalOps = map[string][]expStep{
	// y = scale * x + bias[c], x of layout NCHW.
	"ImageScaler": {{"Mul", expScalar("scale", 1, false)}, {"Add", expChannelBias}},
	// y = alpha * tanh(beta * x)
	"ScaledTanh": {{"Mul", expScalar("beta", 0, true)}, {"Tanh", nil}, {"Mul", expScalar("alpha", 0, true)}},
	// y = alpha * x + beta
	"Affine": {{"Mul", expScalar("alpha", 1, false)}, {"Add", expScalar("beta", 0, false)}},
	// y = scale * x
	"Scale": {{"Mul", expScalar("scale", 1, false)}},
	// y = alpha * ln(exp(beta * x) + 1)
	"ParametricSoftplus": {{"Mul", expScalar("beta", 0, true)}, {"Softplus", nil}, {"Mul", expScalar("alpha", 0, true)}},
	// y = x for x > alpha, else 0 (alpha 1.0): ThresholdedRelu-10.
	"ThresholdedRelu": nil,
	// ConstantOfShape of a shape: experimental_fill.go.
	"ConstantFill": {},
}

// expAttrs lists the attributes each experimental op may carry.
var expAttrs = map[string][]string{
	"ImageScaler": {"scale", "bias"}, "ScaledTanh": {"alpha", "beta"}, "Affine": {"alpha", "beta"},
	"Scale": {"scale"}, "ParametricSoftplus": {"alpha", "beta"},
}

// expScalar makes a float32 scalar from attribute name (def when absent;
// required: absent is an error, as these ops gave no default).
func expScalar(name string, def float32, required bool) func(*ir.Node) (*ir.Tensor, error) {
	return func(n *ir.Node) (*ir.Tensor, error) {
		if required && !n.Attrs.Has(name) {
			return nil, fmt.Errorf("attribute %q is required", name)
		}
		a, ok := n.Attrs[name]
		if ok && a.Kind != ir.AttrFloat {
			return nil, fmt.Errorf("attribute %q must be a float, got %v", name, a.Kind)
		}
		return ir.Scalar(n.Attrs.Float(name, def)), nil
	}
}

// expChannelBias makes ImageScaler's bias a [C,1,1] tensor (zeros when
// absent), which broadcasts over the channels of an NCHW input.
func expChannelBias(n *ir.Node) (*ir.Tensor, error) {
	a, ok := n.Attrs["bias"]
	if !ok {
		return nil, nil
	}
	if a.Kind != ir.AttrFloats {
		return nil, fmt.Errorf("attribute \"bias\" must be a list of floats, got %v", a.Kind)
	}
	return ir.FromSlice(append([]float32{}, a.Floats...), int64(len(a.Floats)), 1, 1), nil
}

// expandExperimental rewrites the experimental ops of g and its nested
// graphs into standard ops.
func expandExperimental(g *ir.Graph) error {
	var nodes []*ir.Node
	changed := false
	for _, n := range g.Nodes {
		for _, sg := range n.Subgraphs() {
			if err := expandExperimental(sg); err != nil {
				return err
			}
		}
		steps, ok := experimentalOps[n.Op]
		if !ok || n.Domain != "" || n.Opset >= experimentalSince10 {
			nodes = append(nodes, n)
			continue
		}
		if steps == nil {
			n.Opset = experimentalSince10
			nodes = append(nodes, n)
			continue
		}
		var repl []*ir.Node
		var consts []*ir.Value
		var err error
		if n.Op == "ConstantFill" {
			repl, consts, err = expandConstantFill(n)
		} else {
			repl, consts, err = expandNode(n, steps)
		}
		if err != nil {
			return fmt.Errorf("node %q (experimental op %s, opset %d): %v", n.Name, n.Op, n.Opset, err)
		}
		nodes = append(nodes, repl...)
		g.Constants = append(g.Constants, consts...)
		changed = true
	}
	if changed {
		g.Nodes = g.Nodes[:0]
		for _, n := range nodes {
			g.AddNode(n)
		}
	}
	return nil
}

// expandNode returns the standard nodes replacing n (the last writes n's
// output value) and the constants they read.
func expandNode(n *ir.Node, steps []expStep) ([]*ir.Node, []*ir.Value, error) {
	if len(n.Inputs) != 1 || n.Inputs[0] == nil || len(n.Outputs) != 1 || n.Outputs[0] == nil {
		return nil, nil, fmt.Errorf("takes one input and one output, got %d and %d", len(n.Inputs), len(n.Outputs))
	}
	for name := range n.Attrs {
		if !slices.Contains(expAttrs[n.Op], name) {
			return nil, nil, fmt.Errorf("%s has no attribute %q", n.Op, name)
		}
	}
	type made struct {
		op string
		k  *ir.Tensor
	}
	var plan []made
	for _, s := range steps {
		var k *ir.Tensor
		if s.k != nil {
			t, err := s.k(n)
			if err != nil {
				return nil, nil, err
			}
			if t == nil {
				continue // nothing to add
			}
			if k, err = expAs(t, n.Inputs[0].Type); err != nil {
				return nil, nil, err
			}
		}
		plan = append(plan, made{s.op, k})
	}
	out := n.Outputs[0]
	cur := n.Inputs[0]
	var nodes []*ir.Node
	var consts []*ir.Value
	for i, m := range plan {
		name := fmt.Sprintf("%s/%s_%d", n.Name, m.op, i)
		nn := &ir.Node{Name: name, Op: m.op, Opset: max(n.Opset, expOpset), Attrs: ir.Attrs{}, Inputs: []*ir.Value{cur}}
		if m.k != nil {
			kv := &ir.Value{Name: name + "/k", Type: ir.TypeOfTensor(m.k), Const: m.k}
			consts = append(consts, kv)
			nn.Inputs = append(nn.Inputs, kv)
		}
		next := out
		if i < len(plan)-1 {
			next = &ir.Value{Name: fmt.Sprintf("%s/%s_%d_out", out.Name, m.op, i)}
		}
		nn.Outputs = []*ir.Value{next}
		nodes = append(nodes, nn)
		cur = next
	}
	if len(nodes) == 0 {
		// Every step was a no-op: y = x.
		nodes = append(nodes, &ir.Node{Name: n.Name, Op: "Identity", Opset: max(n.Opset, expOpset), Attrs: ir.Attrs{}, Inputs: []*ir.Value{cur}, Outputs: []*ir.Value{out}})
	}
	return nodes, consts, nil
}

// expAs returns the float32 constant t in the element type of the input
// x (these ops take float16, float and double; an input whose type is not
// known yet, as inside a graph without value_info, keeps float32).
func expAs(t *ir.Tensor, x ir.Type) (*ir.Tensor, error) {
	if x.Kind != ir.KindTensor {
		return t, nil
	}
	src := t.F32()
	switch x.DType {
	case ir.Float32, ir.Undefined:
		return t, nil
	case ir.Float64:
		d := make([]float64, len(src))
		for i, v := range src {
			d[i] = float64(v)
		}
		return ir.FromSlice(d, t.Shape...), nil
	case ir.Float16:
		d := make([]ir.F16, len(src))
		for i, v := range src {
			d[i] = ir.NewFloat16(v)
		}
		return ir.FromSlice(d, t.Shape...), nil
	}
	return nil, fmt.Errorf("input is %v; the op takes float16, float or double", x.DType)
}
