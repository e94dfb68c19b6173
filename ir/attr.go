package ir

import (
	"fmt"
	"sort"
)

// AttrKind is the kind of an attribute value; the values are ONNX's
// AttributeProto.AttributeType.
type AttrKind int32

const (
	AttrUndefined     AttrKind = 0
	AttrFloat         AttrKind = 1
	AttrInt           AttrKind = 2
	AttrString        AttrKind = 3
	AttrTensor        AttrKind = 4
	AttrGraph         AttrKind = 5
	AttrSparseTensor  AttrKind = 11
	AttrTypeProto     AttrKind = 13
	AttrFloats        AttrKind = 6
	AttrInts          AttrKind = 7
	AttrStrings       AttrKind = 8
	AttrTensors       AttrKind = 9
	AttrGraphs        AttrKind = 10
	AttrSparseTensors AttrKind = 12
	AttrTypeProtos    AttrKind = 14
)

var attrKindNames = map[AttrKind]string{
	AttrFloat: "float", AttrInt: "int", AttrString: "string", AttrTensor: "tensor",
	AttrGraph: "graph", AttrSparseTensor: "sparse_tensor", AttrTypeProto: "type",
	AttrFloats: "floats", AttrInts: "ints", AttrStrings: "strings", AttrTensors: "tensors",
	AttrGraphs: "graphs", AttrSparseTensors: "sparse_tensors", AttrTypeProtos: "types",
}

func (k AttrKind) String() string {
	if s, ok := attrKindNames[k]; ok {
		return s
	}
	return fmt.Sprintf("attrkind(%d)", int32(k))
}

// Attr is one attribute value. Exactly the field matching Kind is set.
type Attr struct {
	Name    string
	Kind    AttrKind
	F       float32
	I       int64
	S       string
	T       *Tensor
	G       *Graph
	Type    *Type
	Floats  []float32
	Ints    []int64
	Strings []string
	Tensors []*Tensor
	Graphs  []*Graph
	Types   []Type
}

// Attrs maps attribute names to values.
type Attrs map[string]*Attr

// Sorted returns the attributes ordered by name (for deterministic output).
func (a Attrs) Sorted() []*Attr {
	out := make([]*Attr, 0, len(a))
	for _, v := range a {
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Has reports whether name is set.
func (a Attrs) Has(name string) bool { _, ok := a[name]; return ok }

// Int returns an int attribute or def when absent.
func (a Attrs) Int(name string, def int64) int64 {
	if v, ok := a[name]; ok && v.Kind == AttrInt {
		return v.I
	}
	return def
}

// Float returns a float attribute or def when absent.
func (a Attrs) Float(name string, def float32) float32 {
	if v, ok := a[name]; ok && v.Kind == AttrFloat {
		return v.F
	}
	return def
}

// String returns a string attribute or def when absent.
func (a Attrs) String(name string, def string) string {
	if v, ok := a[name]; ok && v.Kind == AttrString {
		return v.S
	}
	return def
}

// Ints returns an ints attribute or def when absent.
func (a Attrs) Ints(name string, def []int64) []int64 {
	if v, ok := a[name]; ok && v.Kind == AttrInts {
		return v.Ints
	}
	return def
}

// Floats returns a floats attribute or def when absent.
func (a Attrs) Floats(name string, def []float32) []float32 {
	if v, ok := a[name]; ok && v.Kind == AttrFloats {
		return v.Floats
	}
	return def
}

// Strings returns a strings attribute or def when absent.
func (a Attrs) Strings(name string, def []string) []string {
	if v, ok := a[name]; ok && v.Kind == AttrStrings {
		return v.Strings
	}
	return def
}

// Tensor returns a tensor attribute or nil.
func (a Attrs) Tensor(name string) *Tensor {
	if v, ok := a[name]; ok && v.Kind == AttrTensor {
		return v.T
	}
	return nil
}

// Graph returns a graph attribute or nil.
func (a Attrs) Graph(name string) *Graph {
	if v, ok := a[name]; ok && v.Kind == AttrGraph {
		return v.G
	}
	return nil
}

// SetInt sets an int attribute.
func (a Attrs) SetInt(name string, v int64) { a[name] = &Attr{Name: name, Kind: AttrInt, I: v} }

// SetInts sets an ints attribute.
func (a Attrs) SetInts(name string, v []int64) { a[name] = &Attr{Name: name, Kind: AttrInts, Ints: v} }

// SetFloat sets a float attribute.
func (a Attrs) SetFloat(name string, v float32) {
	a[name] = &Attr{Name: name, Kind: AttrFloat, F: v}
}

// SetString sets a string attribute.
func (a Attrs) SetString(name string, v string) {
	a[name] = &Attr{Name: name, Kind: AttrString, S: v}
}
