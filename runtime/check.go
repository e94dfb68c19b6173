package runtime

import (
	"fmt"

	"github.com/nncc/nncc/ir"
)

// checkInputs validates dtypes, ranks and dims against the model's
// declared input types. A symbolic dim must have the same size everywhere
// it appears.
func (s *Session) checkInputs(inputs []*ir.Tensor) error {
	for i, t := range inputs {
		want := s.inputs[i]
		if t == nil {
			return fmt.Errorf("input %q is nil", want.Name)
		}
		if want.Type.Kind != t.Kind {
			return fmt.Errorf("input %q: expected a %v, got a %v", want.Name, want.Type.Kind, t.Kind)
		}
		if t.Kind != ir.KindTensor {
			if err := checkItems(t, want.Type, s.opts.maxElements(), 0); err != nil {
				return fmt.Errorf("input %q: %v", want.Name, err)
			}
			continue
		}
		if want.Type.DType != ir.Undefined && t.DType != want.Type.DType {
			return fmt.Errorf("input %q: expected dtype %v, got %v", want.Name, want.Type.DType, t.DType)
		}
		if _, err := ir.CheckedNumElements(t.Shape, s.opts.maxElements()); err != nil {
			return fmt.Errorf("input %q: %v", want.Name, err)
		}
		if err := t.CheckStorage(); err != nil {
			return fmt.Errorf("input %q: %v", want.Name, err)
		}
		if err := checkSubByte(t); err != nil {
			return fmt.Errorf("input %q: %v", want.Name, err)
		}
		if !want.Type.RankKnown {
			continue
		}
		if len(t.Shape) != len(want.Type.Shape) {
			return fmt.Errorf("input %q: expected rank %d %v, got shape %v", want.Name, len(want.Type.Shape), want.Type, t.Shape)
		}
		for d, dim := range want.Type.Shape {
			switch {
			case dim.Known() && dim.Size != t.Shape[d]:
				return fmt.Errorf("input %q: dim %d must be %d (%v), got shape %v", want.Name, d, dim.Size, want.Type, t.Shape)
			case dim.Param != "":
				if prev, ok := s.symbolSize(inputs[:i+1], dim.Param); ok && prev != t.Shape[d] {
					return fmt.Errorf("input %q: dim %d (%s) is %d, but %s is %d elsewhere", want.Name, d, dim.Param, t.Shape[d], dim.Param, prev)
				}
			}
		}
	}
	return nil
}

// subByteRange gives the valid stored values of the sub-byte dtypes,
// which nncc keeps one per byte in memory.
var subByteRange = map[ir.DType][2]int{
	ir.Int4: {-8, 7}, ir.Uint4: {0, 15}, ir.Int2: {-2, 1}, ir.Uint2: {0, 3}, ir.Float4E2M1: {0, 15},
}

// checkSubByte rejects sub-byte tensors holding values their width cannot
// represent (a caller filling []uint8 by hand could).
func checkSubByte(t *ir.Tensor) error {
	r, ok := subByteRange[t.DType]
	if !ok {
		return nil
	}
	switch d := t.Data.(type) {
	case []int8:
		for i, v := range d {
			if int(v) < r[0] || int(v) > r[1] {
				return fmt.Errorf("element %d = %d is outside the %v range [%d, %d]", i, v, t.DType, r[0], r[1])
			}
		}
	case []uint8:
		for i, v := range d {
			if int(v) < r[0] || int(v) > r[1] {
				return fmt.Errorf("element %d = %d is outside the %v range [%d, %d]", i, v, t.DType, r[0], r[1])
			}
		}
	}
	return nil
}

// symbolSize returns the size the first of inputs to use symbol name gives
// it (inputs are already checked for rank). It allocates nothing, unlike a
// map, so steady-state Runs stay allocation-free.
func (s *Session) symbolSize(inputs []*ir.Tensor, name string) (int64, bool) {
	for i, t := range inputs {
		want := s.inputs[i].Type
		if t.Kind != ir.KindTensor || !want.RankKnown || len(want.Shape) != len(t.Shape) {
			continue
		}
		for d, dim := range want.Shape {
			if dim.Param == name {
				return t.Shape[d], true
			}
		}
	}
	return 0, false
}
