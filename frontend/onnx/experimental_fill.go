package onnx

import (
	"fmt"

	"github.com/nncc/nncc/ir"
)

// ConstantFill (experimental, before opset 10; emitted by early PyTorch
// exporters for zero states) fills a tensor with `value` converted to
// `dtype`. Its shape is the `shape` attribute when the node has no
// input, the input's values when input_as_shape = 1, or else the input's
// shape; extra_shape is appended in every case. It becomes
// ConstantOfShape of a constant shape, of the input, or of Shape(input)
// (with a Concat for extra_shape), so the usual size limits apply.

// fillDTypes are the dtypes ConstantFill's value converts to.
var fillDTypes = map[ir.DType]func(float32) *ir.Tensor{
	ir.Float32: func(v float32) *ir.Tensor { return ir.FromSlice([]float32{v}, 1) },
	ir.Float64: func(v float32) *ir.Tensor { return ir.FromSlice([]float64{float64(v)}, 1) },
	ir.Int32:   func(v float32) *ir.Tensor { return ir.FromSlice([]int32{int32(v)}, 1) },
	ir.Int64:   func(v float32) *ir.Tensor { return ir.FromSlice([]int64{int64(v)}, 1) },
	ir.Bool:    func(v float32) *ir.Tensor { return ir.FromSlice([]bool{v != 0}, 1) },
}

// fillAttrs are ConstantFill's attributes.
var fillAttrs = map[string]ir.AttrKind{
	"dtype": ir.AttrInt, "extra_shape": ir.AttrInts, "input_as_shape": ir.AttrInt, "shape": ir.AttrInts, "value": ir.AttrFloat,
}

// expandConstantFill returns the standard nodes replacing a ConstantFill
// node and the constants they read.
func expandConstantFill(n *ir.Node) ([]*ir.Node, []*ir.Value, error) {
	for name, a := range n.Attrs {
		k, ok := fillAttrs[name]
		if !ok {
			return nil, nil, fmt.Errorf("ConstantFill has no attribute %q", name)
		}
		if a.Kind != k {
			return nil, nil, fmt.Errorf("attribute %q must be %v, got %v", name, k, a.Kind)
		}
	}
	if len(n.Inputs) > 1 || len(n.Outputs) != 1 || n.Outputs[0] == nil {
		return nil, nil, fmt.Errorf("takes at most one input and one output, got %d and %d", len(n.Inputs), len(n.Outputs))
	}
	dt := ir.DType(n.Attrs.Int("dtype", int64(ir.Float32)))
	mk, ok := fillDTypes[dt]
	if !ok {
		return nil, nil, fmt.Errorf("dtype %v is not supported (float, double, int32, int64 or bool)", dt)
	}
	opset := max(n.Opset, 9) // ConstantOfShape
	extra := n.Attrs.Ints("extra_shape", nil)
	var nodes []*ir.Node
	var consts []*ir.Value
	konst := func(name string, t *ir.Tensor) *ir.Value {
		v := &ir.Value{Name: name, Type: ir.TypeOfTensor(t), Const: t}
		consts = append(consts, v)
		return v
	}
	var shape *ir.Value
	var in *ir.Value
	if len(n.Inputs) == 1 {
		in = n.Inputs[0]
	}
	switch {
	case in == nil:
		if n.Attrs.Int("input_as_shape", 0) != 0 {
			return nil, nil, fmt.Errorf("input_as_shape = 1 needs an input")
		}
		dims := append(append([]int64{}, n.Attrs.Ints("shape", nil)...), extra...)
		shape, extra = konst(n.Name+"/shape", ir.FromSlice(dims, int64(len(dims)))), nil
	case n.Attrs.Has("shape"):
		return nil, nil, fmt.Errorf("the shape attribute and an input are exclusive")
	case n.Attrs.Int("input_as_shape", 0) != 0:
		shape = in
	default:
		shape = &ir.Value{Name: n.Name + "/shape_of_input"}
		nodes = append(nodes, &ir.Node{Name: n.Name + "/Shape", Op: "Shape", Opset: opset, Attrs: ir.Attrs{}, Inputs: []*ir.Value{in}, Outputs: []*ir.Value{shape}})
	}
	if len(extra) > 0 {
		joined := &ir.Value{Name: n.Name + "/full_shape"}
		e := konst(n.Name+"/extra_shape", ir.FromSlice(append([]int64{}, extra...), int64(len(extra))))
		at := ir.Attrs{}
		at.SetInt("axis", 0)
		nodes = append(nodes, &ir.Node{Name: n.Name + "/Concat", Op: "Concat", Opset: opset, Attrs: at, Inputs: []*ir.Value{shape, e}, Outputs: []*ir.Value{joined}})
		shape = joined
	}
	at := ir.Attrs{}
	at["value"] = &ir.Attr{Name: "value", Kind: ir.AttrTensor, T: mk(n.Attrs.Float("value", 0))}
	nodes = append(nodes, &ir.Node{Name: n.Name, Op: "ConstantOfShape", Opset: opset, Attrs: at, Inputs: []*ir.Value{shape}, Outputs: []*ir.Value{n.Outputs[0]}})
	return nodes, consts, nil
}
