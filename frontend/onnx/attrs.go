package onnx

import (
	"fmt"

	"github.com/nncc/nncc/frontend/onnx/onnxpb"
	"github.com/nncc/nncc/ir"
)

// attrs decodes a node's attributes. Graph attributes are decoded as
// subgraphs in a child scope of sc; sparse tensors are densified.
func (d *decoder) attrs(list []*onnxpb.AttributeProto, sc *scope, opsets map[string]int64, depth int) (ir.Attrs, error) {
	out := ir.Attrs{}
	for _, ap := range list {
		if ap.Name == "" {
			return nil, fmt.Errorf("attribute without a name")
		}
		if _, dup := out[ap.Name]; dup {
			return nil, fmt.Errorf("attribute %q is given twice", ap.Name)
		}
		if ap.RefAttrName != "" {
			return nil, fmt.Errorf("attribute %q refers to function attribute %q outside a function body", ap.Name, ap.RefAttrName)
		}
		a, err := d.attr(ap, sc, opsets, depth)
		if _, isLimit := err.(*LimitError); isLimit {
			return nil, err
		}
		if err != nil {
			return nil, fmt.Errorf("attribute %q: %w", ap.Name, err)
		}
		out[ap.Name] = a
	}
	return out, nil
}

// attrKind returns the attribute's type, working it out from the fields
// that are set when the file leaves the type field empty (old IR versions).
func attrKind(ap *onnxpb.AttributeProto) ir.AttrKind {
	if ap.Type != onnxpb.AttributeProto_UNDEFINED {
		return ir.AttrKind(ap.Type)
	}
	switch {
	case len(ap.Floats) > 0:
		return ir.AttrFloats
	case len(ap.Ints) > 0:
		return ir.AttrInts
	case len(ap.Strings) > 0:
		return ir.AttrStrings
	case len(ap.Tensors) > 0:
		return ir.AttrTensors
	case len(ap.Graphs) > 0:
		return ir.AttrGraphs
	case len(ap.SparseTensors) > 0:
		return ir.AttrSparseTensors
	case len(ap.TypeProtos) > 0:
		return ir.AttrTypeProtos
	case ap.T != nil:
		return ir.AttrTensor
	case ap.G != nil:
		return ir.AttrGraph
	case ap.SparseTensor != nil:
		return ir.AttrSparseTensor
	case ap.Tp != nil:
		return ir.AttrTypeProto
	case len(ap.S) > 0:
		return ir.AttrString
	case ap.I != 0:
		return ir.AttrInt
	case ap.F != 0:
		return ir.AttrFloat
	}
	return ir.AttrUndefined
}

func (d *decoder) attr(ap *onnxpb.AttributeProto, sc *scope, opsets map[string]int64, depth int) (*ir.Attr, error) {
	a := &ir.Attr{Name: ap.Name, Kind: attrKind(ap)}
	switch a.Kind {
	case ir.AttrFloat:
		a.F = ap.F
	case ir.AttrInt:
		a.I = ap.I
	case ir.AttrString:
		a.S = string(ap.S)
	case ir.AttrFloats:
		a.Floats = append([]float32{}, ap.Floats...)
	case ir.AttrInts:
		a.Ints = append([]int64{}, ap.Ints...)
	case ir.AttrStrings:
		a.Strings = make([]string, len(ap.Strings))
		for i, s := range ap.Strings {
			a.Strings[i] = string(s)
		}
	case ir.AttrTensor:
		t, err := d.tensor(ap.T)
		if err != nil {
			return nil, err
		}
		a.T = t
	case ir.AttrSparseTensor:
		t, err := d.sparseFromProto(ap.SparseTensor)
		if err != nil {
			return nil, err
		}
		a.T = t
	case ir.AttrTensors:
		for _, tp := range ap.Tensors {
			t, err := d.tensor(tp)
			if err != nil {
				return nil, err
			}
			a.Tensors = append(a.Tensors, t)
		}
	case ir.AttrSparseTensors:
		for _, sp := range ap.SparseTensors {
			t, err := d.sparseFromProto(sp)
			if err != nil {
				return nil, err
			}
			a.Tensors = append(a.Tensors, t)
		}
	case ir.AttrGraph:
		if ap.G == nil {
			return nil, fmt.Errorf("graph attribute has no graph")
		}
		g, err := d.graph(ap.G, sc, opsets, depth+1)
		if err != nil {
			return nil, err
		}
		a.G = g
	case ir.AttrGraphs:
		for _, gp := range ap.Graphs {
			g, err := d.graph(gp, sc, opsets, depth+1)
			if err != nil {
				return nil, err
			}
			a.Graphs = append(a.Graphs, g)
		}
	case ir.AttrTypeProto:
		t, err := typeFromProto(ap.Tp)
		if err != nil {
			return nil, err
		}
		a.Type = &t
	case ir.AttrTypeProtos:
		for _, tp := range ap.TypeProtos {
			t, err := typeFromProto(tp)
			if err != nil {
				return nil, err
			}
			a.Types = append(a.Types, t)
		}
	default:
		return nil, fmt.Errorf("unsupported attribute type %d", int32(ap.Type))
	}
	return a, nil
}
