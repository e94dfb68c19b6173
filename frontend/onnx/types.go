package onnx

import (
	"fmt"

	"github.com/nncc/nncc/frontend/onnx/onnxpb"
	"github.com/nncc/nncc/ir"
)

// typeFromProto converts an ONNX TypeProto. A missing type gives the
// unknown type (tensor kind, undefined dtype, unknown rank). Sequences and
// optionals carry their element type in Elem and its dtype in DType; maps
// carry the key dtype in DType and the value type in Elem.
func typeFromProto(tp *onnxpb.TypeProto) (ir.Type, error) {
	return typeFromProtoDepth(tp, 0)
}

func typeFromProtoDepth(tp *onnxpb.TypeProto, depth int) (ir.Type, error) {
	if depth > 64 {
		return ir.Type{}, fmt.Errorf("type nests too deeply")
	}
	if tp == nil {
		return ir.Type{}, nil
	}
	switch v := tp.Value.(type) {
	case nil:
		return ir.Type{}, nil
	case *onnxpb.TypeProto_TensorType:
		return tensorTypeFromProto(v.TensorType.GetElemType(), v.TensorType.GetShape(), ir.KindTensor)
	case *onnxpb.TypeProto_SparseTensorType:
		return tensorTypeFromProto(v.SparseTensorType.GetElemType(), v.SparseTensorType.GetShape(), ir.KindSparse)
	case *onnxpb.TypeProto_SequenceType:
		return wrapType(ir.KindSequence, v.SequenceType.GetElemType(), depth)
	case *onnxpb.TypeProto_OptionalType:
		return wrapType(ir.KindOptional, v.OptionalType.GetElemType(), depth)
	case *onnxpb.TypeProto_MapType:
		key, err := elemDType(v.MapType.GetKeyType())
		if err != nil {
			return ir.Type{}, fmt.Errorf("map key: %w", err)
		}
		val, err := typeFromProtoDepth(v.MapType.GetValueType(), depth+1)
		if err != nil {
			return ir.Type{}, err
		}
		return ir.Type{Kind: ir.KindMap, DType: key, Elem: &val}, nil
	case *onnxpb.TypeProto_OpaqueType:
		return ir.Type{}, fmt.Errorf("opaque type %s.%s is not supported", v.OpaqueType.GetDomain(), v.OpaqueType.GetName())
	}
	return ir.Type{}, fmt.Errorf("unknown type %T", tp.Value)
}

func wrapType(k ir.Kind, elem *onnxpb.TypeProto, depth int) (ir.Type, error) {
	et, err := typeFromProtoDepth(elem, depth+1)
	if err != nil {
		return ir.Type{}, err
	}
	return ir.Type{Kind: k, DType: et.DType, Elem: &et}, nil
}

func elemDType(v int32) (ir.DType, error) {
	d := ir.DType(v)
	if d != ir.Undefined && !d.Valid() {
		return 0, fmt.Errorf("unsupported element type %d", v)
	}
	return d, nil
}

func tensorTypeFromProto(elem int32, sp *onnxpb.TensorShapeProto, k ir.Kind) (ir.Type, error) {
	d, err := elemDType(elem)
	if err != nil {
		return ir.Type{}, err
	}
	t := ir.Type{Kind: k, DType: d}
	if sp == nil {
		return t, nil
	}
	t.RankKnown = true
	t.Shape = make(ir.Shape, len(sp.Dim))
	for i, dim := range sp.Dim {
		switch v := dim.GetValue().(type) {
		case *onnxpb.TensorShapeProto_Dimension_DimValue:
			if v.DimValue >= 0 {
				t.Shape[i] = ir.D(v.DimValue)
			} else {
				t.Shape[i] = ir.UnknownDim
			}
		case *onnxpb.TensorShapeProto_Dimension_DimParam:
			if v.DimParam != "" {
				t.Shape[i] = ir.Sym(v.DimParam)
			} else {
				t.Shape[i] = ir.UnknownDim
			}
		default:
			t.Shape[i] = ir.UnknownDim
		}
	}
	return t, nil
}

// typeToProto is the inverse of typeFromProto. The unknown type gives nil.
func typeToProto(t ir.Type) *onnxpb.TypeProto {
	switch t.Kind {
	case ir.KindSequence, ir.KindOptional:
		var elem *onnxpb.TypeProto
		if t.Elem != nil {
			elem = typeToProto(*t.Elem)
		} else if t.DType != ir.Undefined {
			elem = typeToProto(ir.UnrankedOf(t.DType))
		}
		if t.Kind == ir.KindSequence {
			return &onnxpb.TypeProto{Value: &onnxpb.TypeProto_SequenceType{SequenceType: &onnxpb.TypeProto_Sequence{ElemType: elem}}}
		}
		return &onnxpb.TypeProto{Value: &onnxpb.TypeProto_OptionalType{OptionalType: &onnxpb.TypeProto_Optional{ElemType: elem}}}
	case ir.KindMap:
		var val *onnxpb.TypeProto
		if t.Elem != nil {
			val = typeToProto(*t.Elem)
		}
		return &onnxpb.TypeProto{Value: &onnxpb.TypeProto_MapType{MapType: &onnxpb.TypeProto_Map{KeyType: int32(t.DType), ValueType: val}}}
	case ir.KindSparse:
		return &onnxpb.TypeProto{Value: &onnxpb.TypeProto_SparseTensorType{SparseTensorType: &onnxpb.TypeProto_SparseTensor{
			ElemType: int32(t.DType), Shape: shapeToProto(t)}}}
	}
	if t.DType == ir.Undefined && !t.RankKnown {
		return nil
	}
	return &onnxpb.TypeProto{Value: &onnxpb.TypeProto_TensorType{TensorType: &onnxpb.TypeProto_Tensor{
		ElemType: int32(t.DType), Shape: shapeToProto(t)}}}
}

func shapeToProto(t ir.Type) *onnxpb.TensorShapeProto {
	if !t.RankKnown {
		return nil
	}
	sp := &onnxpb.TensorShapeProto{Dim: make([]*onnxpb.TensorShapeProto_Dimension, len(t.Shape))}
	for i, d := range t.Shape {
		dim := &onnxpb.TensorShapeProto_Dimension{}
		switch {
		case d.Param != "":
			dim.Value = &onnxpb.TensorShapeProto_Dimension_DimParam{DimParam: d.Param}
		case d.Size >= 0:
			dim.Value = &onnxpb.TensorShapeProto_Dimension_DimValue{DimValue: d.Size}
		}
		sp.Dim[i] = dim
	}
	return sp
}
