package onnx

import (
	"fmt"
	"os"
	"path/filepath"

	"google.golang.org/protobuf/proto"

	"github.com/nncc/nncc/frontend/onnx/onnxpb"
	"github.com/nncc/nncc/ir"
)

// Test-data files (the test_data_set_*/input_*.pb and output_*.pb files of
// the ONNX backend tests) hold one serialized TensorProto, SequenceProto or
// OptionalProto. Nothing in the file says which, so ReadValueFile is told
// the expected type (the model's declared input or output type).

// ReadTensorFile reads a file holding one serialized TensorProto and
// returns the tensor and its name. External data is looked up in the
// file's folder.
func ReadTensorFile(path string) (*ir.Tensor, string, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, "", err
	}
	tp := &onnxpb.TensorProto{}
	if err := proto.Unmarshal(data, tp); err != nil {
		return nil, "", fmt.Errorf("%s: not a TensorProto: %w", path, err)
	}
	t, err := TensorFromProto(tp, filepath.Dir(path), Limits{})
	if err != nil {
		return nil, "", fmt.Errorf("%s: %w", path, err)
	}
	return t, tp.Name, nil
}

// ReadValueFile reads a test-data file as the value kind of want: a
// TensorProto for tensor types (for an entirely unknown type, a
// SequenceProto when the file is no valid TensorProto), a SequenceProto
// for sequences, an OptionalProto for optionals, a MapProto for maps.
// Sequences come back as Kind KindSequence with Items; optionals as Kind
// KindOptional with zero (None) or one Items; maps as Kind KindMap with
// DType the key type and Items [keys (1-D tensor), values (sequence)].
func ReadValueFile(path string, want ir.Type) (*ir.Tensor, error) {
	if want.Kind == ir.KindTensor {
		t, _, err := ReadTensorFile(path)
		if err != nil && want.DType == ir.Undefined && !want.RankKnown {
			// Nothing is known about the value: it may be a sequence.
			if s, err2 := ReadValueFile(path, ir.Type{Kind: ir.KindSequence}); err2 == nil {
				return s, nil
			}
		}
		return t, err
	}
	data, err := readFile(path)
	if err != nil {
		return nil, err
	}
	r := valueReader{baseDir: filepath.Dir(path), lim: DefaultLimits}
	var t *ir.Tensor
	switch want.Kind {
	case ir.KindSequence:
		sp := &onnxpb.SequenceProto{}
		if err = proto.Unmarshal(data, sp); err == nil {
			t, err = r.sequence(sp, want, 0)
		}
	case ir.KindOptional:
		op := &onnxpb.OptionalProto{}
		if err = proto.Unmarshal(data, op); err == nil {
			t, err = r.optional(op, want, 0)
		}
	case ir.KindMap:
		mp := &onnxpb.MapProto{}
		if err = proto.Unmarshal(data, mp); err == nil {
			t, err = r.mapValue(mp, want, 0)
		}
	case ir.KindSparse:
		sp := &onnxpb.SparseTensorProto{}
		if err = proto.Unmarshal(data, sp); err == nil {
			t, err = r.sparse(sp)
		}
	default:
		err = fmt.Errorf("values of kind %v are not supported", want.Kind)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return t, nil
}

func readFile(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if fi.Size() > DefaultLimits.MaxModelBytes {
		return nil, &LimitError{Limit: "MaxModelBytes", Value: DefaultLimits.MaxModelBytes, What: path}
	}
	return os.ReadFile(path)
}

type valueReader struct {
	baseDir string
	lim     Limits
}

func elemOf(want ir.Type) ir.Type {
	if want.Elem != nil {
		return *want.Elem
	}
	return ir.UnrankedOf(want.DType)
}

func (r valueReader) sequence(sp *onnxpb.SequenceProto, want ir.Type, depth int) (*ir.Tensor, error) {
	if depth > 64 {
		return nil, fmt.Errorf("values nest too deeply")
	}
	out := &ir.Tensor{Kind: ir.KindSequence, DType: want.DType}
	elem := elemOf(want)
	for _, tp := range sp.TensorValues {
		t, err := TensorFromProto(tp, r.baseDir, r.lim)
		if err != nil {
			return nil, err
		}
		out.Items = append(out.Items, t)
	}
	for _, s := range sp.SparseTensorValues {
		t, err := r.sparse(s)
		if err != nil {
			return nil, err
		}
		out.Items = append(out.Items, t)
	}
	for _, s := range sp.SequenceValues {
		t, err := r.sequence(s, elem, depth+1)
		if err != nil {
			return nil, err
		}
		out.Items = append(out.Items, t)
	}
	for _, m := range sp.MapValues {
		t, err := r.mapValue(m, elem, depth+1)
		if err != nil {
			return nil, err
		}
		out.Items = append(out.Items, t)
	}
	for _, o := range sp.OptionalValues {
		t, err := r.optional(o, elem, depth+1)
		if err != nil {
			return nil, err
		}
		out.Items = append(out.Items, t)
	}
	if out.DType == ir.Undefined && len(out.Items) > 0 {
		out.DType = out.Items[0].DType
	}
	return out, nil
}

func (r valueReader) optional(op *onnxpb.OptionalProto, want ir.Type, depth int) (*ir.Tensor, error) {
	if depth > 64 {
		return nil, fmt.Errorf("values nest too deeply")
	}
	out := &ir.Tensor{Kind: ir.KindOptional, DType: want.DType}
	elem := elemOf(want)
	var item *ir.Tensor
	var err error
	switch {
	case op.TensorValue != nil:
		item, err = TensorFromProto(op.TensorValue, r.baseDir, r.lim)
	case op.SparseTensorValue != nil:
		item, err = r.sparse(op.SparseTensorValue)
	case op.SequenceValue != nil:
		item, err = r.sequence(op.SequenceValue, elem, depth+1)
	case op.MapValue != nil:
		item, err = r.mapValue(op.MapValue, elem, depth+1)
	case op.OptionalValue != nil:
		item, err = r.optional(op.OptionalValue, elem, depth+1)
	}
	if err != nil {
		return nil, err
	}
	if item != nil {
		out.Items = []*ir.Tensor{item}
		if out.DType == ir.Undefined {
			out.DType = item.DType
		}
	}
	return out, nil
}

func (r valueReader) mapValue(mp *onnxpb.MapProto, want ir.Type, depth int) (*ir.Tensor, error) {
	if depth > 64 {
		return nil, fmt.Errorf("values nest too deeply")
	}
	kt := ir.DType(mp.KeyType)
	var keys *ir.Tensor
	switch {
	case kt == ir.String:
		s := make([]string, len(mp.StringKeys))
		for i, k := range mp.StringKeys {
			s[i] = string(k)
		}
		keys = ir.FromSlice(s)
	case kt.IsInt():
		t := &ir.Tensor{DType: kt, Shape: []int64{int64(len(mp.Keys))}, Data: ir.MakeSlice(kt, len(mp.Keys))}
		if err := setInts(t, mp.Keys); err != nil {
			return nil, err
		}
		keys = t
	default:
		return nil, fmt.Errorf("map key type %v is not supported", kt)
	}
	var vals *ir.Tensor
	if mp.Values != nil {
		var err error
		if vals, err = r.sequence(mp.Values, ir.Type{Kind: ir.KindSequence, Elem: want.Elem}, depth+1); err != nil {
			return nil, err
		}
	} else {
		vals = &ir.Tensor{Kind: ir.KindSequence}
	}
	if len(vals.Items) != keys.Len() {
		return nil, fmt.Errorf("map has %d keys but %d values", keys.Len(), len(vals.Items))
	}
	return &ir.Tensor{Kind: ir.KindMap, DType: kt, Items: []*ir.Tensor{keys, vals}}, nil
}

func setInts(t *ir.Tensor, v []int64) error {
	switch s := t.Data.(type) {
	case []int8:
		copy(s, convert[int64, int8](v))
	case []int16:
		copy(s, convert[int64, int16](v))
	case []int32:
		copy(s, convert[int64, int32](v))
	case []int64:
		copy(s, v)
	case []uint8:
		copy(s, convert[int64, uint8](v))
	case []uint16:
		copy(s, convert[int64, uint16](v))
	case []uint32:
		copy(s, convert[int64, uint32](v))
	case []uint64:
		copy(s, convert[int64, uint64](v))
	default:
		return fmt.Errorf("map key type %v is not supported", t.DType)
	}
	return nil
}

func (r valueReader) sparse(sp *onnxpb.SparseTensorProto) (*ir.Tensor, error) {
	if sp.Values == nil {
		return nil, fmt.Errorf("sparse tensor has no values")
	}
	vals, err := TensorFromProto(sp.Values, r.baseDir, r.lim)
	if err != nil {
		return nil, err
	}
	return densify(vals, sp, r.lim, r.baseDir)
}
