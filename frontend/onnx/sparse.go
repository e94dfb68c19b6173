package onnx

import (
	"fmt"
	"reflect"

	"github.com/nncc/nncc/frontend/onnx/onnxpb"
	"github.com/nncc/nncc/ir"
)

// sparseFromProto densifies a SparseTensorProto: a zero tensor of shape
// dims with values scattered at indices. Indices are either [NNZ, rank]
// coordinates or [NNZ] linear offsets (ONNX allows both).
func (d *decoder) sparseFromProto(sp *onnxpb.SparseTensorProto) (*ir.Tensor, error) {
	if sp == nil || sp.Values == nil {
		return nil, fmt.Errorf("sparse tensor has no values")
	}
	name := sp.Values.GetName()
	vals, err := d.tensor(sp.Values)
	if err != nil {
		return nil, err
	}
	out, err := densify(vals, sp, d.opts.limits, d.opts.baseDir)
	if err != nil {
		return nil, fmt.Errorf("sparse tensor %q: %w", name, err)
	}
	if err := d.account(out); err != nil {
		return nil, err
	}
	return out, nil
}

func densify(vals *ir.Tensor, sp *onnxpb.SparseTensorProto, lim Limits, baseDir string) (*ir.Tensor, error) {
	shape := append([]int64{}, sp.Dims...)
	for i, v := range shape {
		if v < 0 {
			return nil, fmt.Errorf("dimension %d is negative (%d)", i, v)
		}
	}
	n, err := checkedCount(vals.DType, shape, lim)
	if err != nil {
		return nil, err
	}
	if size := int64(n) * int64(max(vals.DType.Size(), 1)); size > lim.MaxSparseBytes {
		return nil, &LimitError{Limit: "MaxSparseBytes", Value: lim.MaxSparseBytes,
			What: fmt.Sprintf("dense size of %v sparse tensor of shape %v (%d bytes)", vals.DType, shape, size)}
	}
	if vals.Rank() != 1 {
		return nil, fmt.Errorf("values must be 1-D, got shape %v", vals.Shape)
	}
	nnz := int(vals.Shape[0])
	var lin []int64
	if sp.Indices != nil && nnz > 0 {
		idxT, err := TensorFromProto(sp.Indices, baseDir, lim)
		if err != nil {
			return nil, err
		}
		idx, err := idxT.Int64s()
		if err != nil {
			return nil, fmt.Errorf("indices: %w", err)
		}
		switch {
		case idxT.Rank() == 1 && len(idx) == nnz:
			lin = idx
		case idxT.Rank() == 2 && idxT.Shape[0] == int64(nnz) && idxT.Shape[1] == int64(len(shape)):
			lin = make([]int64, nnz)
			r := len(shape)
			for k := range nnz {
				off := int64(0)
				for j := range r {
					c := idx[k*r+j]
					if c < 0 || c >= shape[j] {
						return nil, fmt.Errorf("index %d of value %d is out of range for dim %d", c, k, shape[j])
					}
					off = off*shape[j] + c
				}
				lin[k] = off
			}
		default:
			return nil, fmt.Errorf("indices of shape %v do not fit %d values of rank %d", idxT.Shape, nnz, len(shape))
		}
	} else if nnz > 0 {
		return nil, fmt.Errorf("has %d values but no indices", nnz)
	}
	out := &ir.Tensor{DType: vals.DType, Shape: shape, Data: ir.MakeSlice(vals.DType, n)}
	dst, src := reflect.ValueOf(out.Data), reflect.ValueOf(vals.Data)
	for k, off := range lin {
		if off < 0 || off >= int64(n) {
			return nil, fmt.Errorf("linear index %d is out of range for %d elements", off, n)
		}
		dst.Index(int(off)).Set(src.Index(k))
	}
	return out, nil
}
