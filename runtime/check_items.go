package runtime

import (
	"fmt"

	"github.com/nncc/nncc/ir"
)

// maxFeedDepth bounds the nesting of a fed value (an optional holding a
// sequence is depth 2); a hand-built value nested deeper is rejected
// rather than walked without bound.
const maxFeedDepth = 8

// checkItems validates the elements of a sequence or optional input
// against its declared type (want): each element is present where a
// sequence needs it, has the declared kind and element dtype, storage
// that fits its shape, and the declared rank and fixed dims. Symbolic
// dims of elements are not matched across elements (sequences may hold
// tensors of different shapes).
func checkItems(t *ir.Tensor, want ir.Type, limit int64, depth int) error {
	if depth > maxFeedDepth {
		return fmt.Errorf("value nested more than %d deep", maxFeedDepth)
	}
	switch t.Kind {
	case ir.KindSequence:
		if want.DType != ir.Undefined && t.DType != ir.Undefined && t.DType != want.DType {
			return fmt.Errorf("expected a sequence of %v, got a sequence of %v", want.DType, t.DType)
		}
	case ir.KindOptional:
		if len(t.Items) > 1 {
			return fmt.Errorf("an optional holds at most one value, got %d", len(t.Items))
		}
	default:
		return nil // maps and sparse values are checked by the ops reading them
	}
	var elem ir.Type
	if want.Elem != nil {
		elem = *want.Elem
	} else {
		elem = ir.Type{Kind: ir.KindTensor, DType: want.DType}
	}
	for i, it := range t.Items {
		if it == nil {
			return fmt.Errorf("element %d is nil", i)
		}
		if it.Kind != elem.Kind {
			return fmt.Errorf("element %d: expected a %v, got a %v", i, elem.Kind, it.Kind)
		}
		if it.Kind != ir.KindTensor {
			if err := checkItems(it, elem, limit, depth+1); err != nil {
				return fmt.Errorf("element %d: %v", i, err)
			}
			continue
		}
		if err := checkElement(it, elem, t.DType, limit); err != nil {
			return fmt.Errorf("element %d: %v", i, err)
		}
	}
	return nil
}

// checkElement checks one tensor element of a sequence or optional whose
// own dtype is seqDType (Undefined: not stated).
func checkElement(it *ir.Tensor, elem ir.Type, seqDType ir.DType, limit int64) error {
	for _, dt := range []ir.DType{elem.DType, seqDType} {
		if dt != ir.Undefined && it.DType != dt {
			return fmt.Errorf("expected dtype %v, got %v", dt, it.DType)
		}
	}
	if _, err := ir.CheckedNumElements(it.Shape, limit); err != nil {
		return err
	}
	if err := it.CheckStorage(); err != nil {
		return err
	}
	if err := checkSubByte(it); err != nil {
		return err
	}
	if !elem.RankKnown {
		return nil
	}
	if len(it.Shape) != len(elem.Shape) {
		return fmt.Errorf("expected rank %d %v, got shape %v", len(elem.Shape), elem, it.Shape)
	}
	for d, dim := range elem.Shape {
		if dim.Known() && dim.Size != it.Shape[d] {
			return fmt.Errorf("dim %d must be %d (%v), got shape %v", d, dim.Size, elem, it.Shape)
		}
	}
	return nil
}
