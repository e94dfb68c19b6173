package ir

import (
	"fmt"
	"math"
)

// Kind says what a runtime value is: a tensor, a sequence of tensors, or an
// optional that may hold either or nothing.
type Kind uint8

const (
	KindTensor Kind = iota
	KindSequence
	KindOptional
	KindMap
	KindSparse
)

func (k Kind) String() string {
	return [...]string{"tensor", "seq", "optional", "map", "sparse"}[k]
}

// Tensor is a dense n-dimensional array, and also the carrier of the other
// runtime values ONNX has (sequences and optionals) so that kernels take one
// type.
//
// Data holds a Go slice whose element type is DType.Info().GoType:
// []float32 for Float32, []F16 for Float16, []uint8 for the float8 and
// float4 bit patterns, []int8/[]uint8 (one element per value) for int4/uint4
// and int2/uint2, []string for String, []bool for Bool, and so on. The slice
// length equals the product of Shape (1 for a scalar, Shape empty).
type Tensor struct {
	DType DType
	Shape []int64
	Data  any

	// Kind is KindTensor for ordinary tensors. For KindSequence, Items holds
	// the elements and DType their element type. For KindOptional, Items
	// holds zero (None) or one element (itself a tensor or a sequence).
	Kind  Kind
	Items []*Tensor
}

// NumElements returns the product of shape. It does not check for overflow;
// use CheckedNumElements for untrusted shapes.
func NumElements(shape []int64) int {
	n := 1
	for _, d := range shape {
		n *= int(d)
	}
	return n
}

// CheckedNumElements returns the product of shape, or an error if a dim is
// negative or the product exceeds limit.
func CheckedNumElements(shape []int64, limit int64) (int64, error) {
	n := int64(1)
	for i, d := range shape {
		if d < 0 {
			return 0, fmt.Errorf("dimension %d is negative (%d)", i, d)
		}
		if d != 0 && n > limit/d {
			return 0, fmt.Errorf("shape %v has more than %d elements", shape, limit)
		}
		n *= d
	}
	return n, nil
}

// MakeSlice allocates a zeroed storage slice of n elements for dtype d.
func MakeSlice(d DType, n int) any {
	switch d {
	case Float32:
		return make([]float32, n)
	case Float64:
		return make([]float64, n)
	case Float16:
		return make([]F16, n)
	case BFloat16:
		return make([]BF16, n)
	case Int8, Int4, Int2:
		return make([]int8, n)
	case Int16:
		return make([]int16, n)
	case Int32:
		return make([]int32, n)
	case Int64:
		return make([]int64, n)
	case Uint8, Uint4, Uint2, Float8E4M3FN, Float8E4M3FNUZ, Float8E5M2, Float8E5M2FNUZ, Float8E8M0, Float4E2M1:
		return make([]uint8, n)
	case Uint16:
		return make([]uint16, n)
	case Uint32:
		return make([]uint32, n)
	case Uint64:
		return make([]uint64, n)
	case Bool:
		return make([]bool, n)
	case String:
		return make([]string, n)
	case Complex64:
		return make([]complex64, n)
	case Complex128:
		return make([]complex128, n)
	}
	panic(fmt.Sprintf("BUG: MakeSlice of %v", d))
}

// NewTensor allocates a zero-filled tensor. shape is copied.
func NewTensor(d DType, shape []int64) *Tensor {
	s := append([]int64{}, shape...)
	return &Tensor{DType: d, Shape: s, Data: MakeSlice(d, NumElements(s))}
}

// FromSlice wraps data (a storage slice, not copied) as a tensor of the
// given shape. The dtype is taken from the slice's element type.
func FromSlice[T Elem](data []T, shape ...int64) *Tensor {
	if shape == nil {
		shape = []int64{int64(len(data))}
	}
	if NumElements(shape) != len(data) {
		panic(fmt.Sprintf("BUG: FromSlice: %d elements for shape %v", len(data), shape))
	}
	return &Tensor{DType: DTypeOf[T](), Shape: shape, Data: data}
}

// Scalar returns a rank-0 tensor holding v.
func Scalar[T Elem](v T) *Tensor {
	return &Tensor{DType: DTypeOf[T](), Shape: []int64{}, Data: []T{v}}
}

// Elem is the set of Go element types a tensor's storage can have.
type Elem interface {
	float32 | float64 | F16 | BF16 | int8 | int16 | int32 | int64 |
		uint8 | uint16 | uint32 | uint64 | bool | string | complex64 | complex128
}

// DTypeOf returns the natural dtype of a Go element type (uint8 → Uint8,
// int8 → Int8; the float8 and 4-bit types share those storages).
func DTypeOf[T Elem]() DType {
	var z T
	switch any(z).(type) {
	case float32:
		return Float32
	case float64:
		return Float64
	case F16:
		return Float16
	case BF16:
		return BFloat16
	case int8:
		return Int8
	case int16:
		return Int16
	case int32:
		return Int32
	case int64:
		return Int64
	case uint8:
		return Uint8
	case uint16:
		return Uint16
	case uint32:
		return Uint32
	case uint64:
		return Uint64
	case bool:
		return Bool
	case string:
		return String
	case complex64:
		return Complex64
	case complex128:
		return Complex128
	}
	panic("unreachable")
}

// Len returns the number of elements.
func (t *Tensor) Len() int { return NumElements(t.Shape) }

// Rank returns len(Shape).
func (t *Tensor) Rank() int { return len(t.Shape) }

// Data returns t's storage as []T; it panics with BUG if the types differ.
func Data[T Elem](t *Tensor) []T {
	d, ok := t.Data.([]T)
	if !ok {
		panic(fmt.Sprintf("BUG: tensor of %v holds %T", t.DType, t.Data))
	}
	return d
}

// F32 returns the storage of a float32 tensor.
func (t *Tensor) F32() []float32 { return Data[float32](t) }

// I64 returns the storage of an int64 tensor.
func (t *Tensor) I64() []int64 { return Data[int64](t) }

// Clone returns a deep copy of t.
func (t *Tensor) Clone() *Tensor {
	if t == nil {
		return nil
	}
	c := &Tensor{DType: t.DType, Shape: append([]int64{}, t.Shape...), Kind: t.Kind}
	if t.Data != nil {
		c.Data = CopySlice(t.Data)
	}
	for _, it := range t.Items {
		c.Items = append(c.Items, it.Clone())
	}
	return c
}

// CopySlice returns a copy of a storage slice.
func CopySlice(s any) any {
	switch s := s.(type) {
	case []float32:
		return append([]float32{}, s...)
	case []float64:
		return append([]float64{}, s...)
	case []F16:
		return append([]F16{}, s...)
	case []BF16:
		return append([]BF16{}, s...)
	case []int8:
		return append([]int8{}, s...)
	case []int16:
		return append([]int16{}, s...)
	case []int32:
		return append([]int32{}, s...)
	case []int64:
		return append([]int64{}, s...)
	case []uint8:
		return append([]uint8{}, s...)
	case []uint16:
		return append([]uint16{}, s...)
	case []uint32:
		return append([]uint32{}, s...)
	case []uint64:
		return append([]uint64{}, s...)
	case []bool:
		return append([]bool{}, s...)
	case []string:
		return append([]string{}, s...)
	case []complex64:
		return append([]complex64{}, s...)
	case []complex128:
		return append([]complex128{}, s...)
	}
	panic(fmt.Sprintf("BUG: CopySlice of %T", s))
}

// Int64s returns the elements of an integer tensor widened to int64 (for
// shape-like inputs such as Reshape's shape or Slice's starts).
func (t *Tensor) Int64s() ([]int64, error) {
	switch s := t.Data.(type) {
	case []int64:
		return s, nil
	case []int32:
		out := make([]int64, len(s))
		for i, v := range s {
			out[i] = int64(v)
		}
		return out, nil
	case []int16:
		out := make([]int64, len(s))
		for i, v := range s {
			out[i] = int64(v)
		}
		return out, nil
	case []int8:
		out := make([]int64, len(s))
		for i, v := range s {
			out[i] = int64(v)
		}
		return out, nil
	case []uint8:
		out := make([]int64, len(s))
		for i, v := range s {
			out[i] = int64(v)
		}
		return out, nil
	case []uint16:
		out := make([]int64, len(s))
		for i, v := range s {
			out[i] = int64(v)
		}
		return out, nil
	case []uint32:
		out := make([]int64, len(s))
		for i, v := range s {
			out[i] = int64(v)
		}
		return out, nil
	case []uint64:
		out := make([]int64, len(s))
		for i, v := range s {
			out[i] = int64(v)
		}
		return out, nil
	}
	return nil, fmt.Errorf("expected an integer tensor, got %v", t.DType)
}

// Float64At returns element i of a numeric tensor as float64 (used by
// comparisons, printing and summaries, never on hot paths).
func (t *Tensor) Float64At(i int) float64 {
	switch s := t.Data.(type) {
	case []float32:
		return float64(s[i])
	case []float64:
		return s[i]
	case []F16:
		return float64(s[i].Float32())
	case []BF16:
		return float64(s[i].Float32())
	case []int8:
		return float64(s[i])
	case []int16:
		return float64(s[i])
	case []int32:
		return float64(s[i])
	case []int64:
		return float64(s[i])
	case []uint8:
		return float64(s[i])
	case []uint16:
		return float64(s[i])
	case []uint32:
		return float64(s[i])
	case []uint64:
		return float64(s[i])
	case []bool:
		if s[i] {
			return 1
		}
		return 0
	}
	return math.NaN()
}

// String renders a short description: dtype, shape and up to 8 elements.
func (t *Tensor) String() string {
	if t == nil {
		return "<nil>"
	}
	switch t.Kind {
	case KindSequence:
		return fmt.Sprintf("seq<%v>[%d items]", t.DType, len(t.Items))
	case KindOptional:
		if len(t.Items) == 0 {
			return "optional(none)"
		}
		return "optional(" + t.Items[0].String() + ")"
	}
	n := t.Len()
	head := n
	if head > 8 {
		head = 8
	}
	s := fmt.Sprintf("%v%v [", t.DType, t.Shape)
	for i := 0; i < head; i++ {
		if i > 0 {
			s += " "
		}
		switch d := t.Data.(type) {
		case []string:
			s += fmt.Sprintf("%q", d[i])
		case []complex64:
			s += fmt.Sprint(d[i])
		case []complex128:
			s += fmt.Sprint(d[i])
		default:
			s += fmt.Sprintf("%.6g", t.Float64At(i))
		}
	}
	if head < n {
		s += " ..."
	}
	return s + "]"
}
