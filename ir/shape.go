package ir

import (
	"fmt"
	"strconv"
	"strings"
)

// Dim is one dimension of a static shape: a known size, a named symbolic
// size (Param, e.g. "batch"), or unknown (Size < 0 and no Param).
type Dim struct {
	Size  int64
	Param string
}

// Known reports whether d is a concrete size.
func (d Dim) Known() bool { return d.Size >= 0 && d.Param == "" }

// D returns a known dim.
func D(n int64) Dim { return Dim{Size: n} }

// Sym returns a symbolic dim.
func Sym(name string) Dim { return Dim{Size: -1, Param: name} }

// UnknownDim is a dim about which nothing is known.
var UnknownDim = Dim{Size: -1}

func (d Dim) String() string {
	switch {
	case d.Param != "":
		return d.Param
	case d.Size < 0:
		return "?"
	}
	return strconv.FormatInt(d.Size, 10)
}

// Shape is a static shape. A nil Shape with Type.RankKnown false means the
// rank itself is unknown.
type Shape []Dim

// KnownShape converts concrete sizes into a Shape.
func KnownShape(s []int64) Shape {
	out := make(Shape, len(s))
	for i, v := range s {
		out[i] = D(v)
	}
	return out
}

// Concrete returns the sizes if every dim is known.
func (s Shape) Concrete() ([]int64, bool) {
	out := make([]int64, len(s))
	for i, d := range s {
		if !d.Known() {
			return nil, false
		}
		out[i] = d.Size
	}
	return out, true
}

func (s Shape) String() string {
	parts := make([]string, len(s))
	for i, d := range s {
		parts[i] = d.String()
	}
	return "[" + strings.Join(parts, ",") + "]"
}

// Type is the static type of a Value: a tensor's dtype and shape, or a
// sequence/optional of such.
type Type struct {
	Kind      Kind
	DType     DType // tensor element type (for sequences: of the elements)
	Shape     Shape // meaningful when RankKnown
	RankKnown bool
	Elem      *Type // element type of a sequence or optional
}

// TensorType returns the type of a tensor with a fully known shape.
func TensorType(d DType, shape ...int64) Type {
	return Type{DType: d, Shape: KnownShape(shape), RankKnown: true}
}

// TensorOf returns a tensor type with the given static shape.
func TensorOf(d DType, s Shape) Type { return Type{DType: d, Shape: s, RankKnown: true} }

// UnrankedOf returns a tensor type whose rank is unknown.
func UnrankedOf(d DType) Type { return Type{DType: d} }

// TypeOfTensor returns the static type of a runtime value.
func TypeOfTensor(t *Tensor) Type {
	switch t.Kind {
	case KindSequence:
		// The element type must hold for every item: dims on which items
		// disagree become unknown.
		elem := UnrankedOf(t.DType)
		for i, it := range t.Items {
			if i == 0 {
				elem = TypeOfTensor(it)
				continue
			}
			u, ok := UnionType(elem, TypeOfTensor(it))
			if !ok {
				elem = UnrankedOf(t.DType)
				break
			}
			elem = u
		}
		return Type{Kind: KindSequence, DType: t.DType, Elem: &elem}
	case KindOptional:
		var elem Type
		if len(t.Items) > 0 {
			elem = TypeOfTensor(t.Items[0])
		} else {
			elem = UnrankedOf(t.DType)
		}
		return Type{Kind: KindOptional, DType: t.DType, Elem: &elem}
	}
	return TensorOf(t.DType, KnownShape(t.Shape))
}

// Rank returns the rank, or -1 if unknown.
func (t Type) Rank() int {
	if !t.RankKnown {
		return -1
	}
	return len(t.Shape)
}

func (t Type) String() string {
	switch t.Kind {
	case KindSequence:
		if t.Elem != nil {
			return "seq<" + t.Elem.String() + ">"
		}
		return "seq<" + t.DType.String() + ">"
	case KindOptional:
		if t.Elem != nil {
			return "optional<" + t.Elem.String() + ">"
		}
		return "optional<?>"
	case KindMap:
		return "map"
	}
	if !t.RankKnown {
		return t.DType.String() + "[*]"
	}
	return t.DType.String() + t.Shape.String()
}

// BroadcastShapes applies numpy-style multidirectional broadcasting to
// static shapes. Symbolic dims broadcast against 1 and against an equal
// symbol; other combinations yield an unknown dim.
func BroadcastShapes(shapes ...Shape) (Shape, error) {
	rank := 0
	for _, s := range shapes {
		if len(s) > rank {
			rank = len(s)
		}
	}
	out := make(Shape, rank)
	for i := range out {
		out[i] = D(1)
	}
	for _, s := range shapes {
		off := rank - len(s)
		for i, d := range s {
			o := out[off+i]
			switch {
			case d.Known() && d.Size == 1:
			case o.Known() && o.Size == 1:
				out[off+i] = d
			case d.Known() && o.Known():
				if d.Size != o.Size {
					return nil, fmt.Errorf("shapes %v cannot broadcast: %d vs %d at axis %d", shapes, o.Size, d.Size, off+i)
				}
			case d.Param != "" && d.Param == o.Param:
			case d.Known():
				out[off+i] = d // the other side is 1 or equal at run time
			case o.Known():
			default:
				out[off+i] = UnknownDim
			}
		}
	}
	return out, nil
}

// BroadcastConcrete is BroadcastShapes for concrete sizes.
func BroadcastConcrete(shapes ...[]int64) ([]int64, error) {
	rank := 0
	for _, s := range shapes {
		if len(s) > rank {
			rank = len(s)
		}
	}
	out := make([]int64, rank)
	for i := range out {
		out[i] = 1
	}
	for _, s := range shapes {
		off := rank - len(s)
		for i, d := range s {
			switch o := out[off+i]; {
			case d == 1:
			case o == 1:
				out[off+i] = d
			case o != d:
				return nil, fmt.Errorf("shapes %v cannot broadcast: %d vs %d at axis %d", shapes, o, d, off+i)
			}
		}
	}
	return out, nil
}
