package kernels

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/nncc/nncc/ir"
)

// mvCase is one table-driven test of a movement op: the node, its inputs
// (nil for an omitted one) and the expected outputs (nil to skip one).
type mvCase struct {
	name    string
	op      string
	opset   int64
	attrs   ir.Attrs
	in      []*ir.Tensor
	nOut    int
	want    []*ir.Tensor
	wantErr bool
	// runtimeInputs hides the input values from inference (only types are
	// known), as for graph inputs.
	runtimeInputs bool
}

// mvRunNode infers and runs one node. When inference claims a known output
// shape, the result must have exactly that shape.
func mvRunNode(tc mvCase) ([]*ir.Tensor, error) {
	opset := tc.opset
	if opset == 0 {
		opset = 25
	}
	n := &ir.Node{Name: tc.name, Op: tc.op, Opset: opset, Attrs: tc.attrs}
	if n.Attrs == nil {
		n.Attrs = ir.Attrs{}
	}
	for k, a := range n.Attrs {
		a.Name = k
	}
	for i, t := range tc.in {
		if t == nil {
			n.Inputs = append(n.Inputs, nil)
			continue
		}
		v := &ir.Value{Name: fmt.Sprint("in", i), Type: ir.TypeOfTensor(t)}
		if !tc.runtimeInputs {
			v.Const = t
		}
		n.Inputs = append(n.Inputs, v)
	}
	nOut := tc.nOut
	if nOut == 0 {
		nOut = 1
	}
	for i := 0; i < nOut; i++ {
		n.Outputs = append(n.Outputs, &ir.Value{Name: fmt.Sprint("out", i)})
	}
	if err := ir.InferNode(n); err != nil {
		return nil, fmt.Errorf("infer: %w", err)
	}
	b := &Build{Node: n}
	for _, v := range n.Inputs {
		if v == nil {
			b.InTypes = append(b.InTypes, nil)
		} else {
			t := v.Type
			b.InTypes = append(b.InTypes, &t)
		}
	}
	f, err := BuildNode(b)
	if err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	c := &Ctx{Outs: make([]*ir.Tensor, nOut), Pool: Serial{}, Node: n}
	if err := f(c, tc.in); err != nil {
		return nil, fmt.Errorf("run: %w", err)
	}
	for i, o := range c.Outs {
		if o == nil {
			return nil, fmt.Errorf("output %d not set", i)
		}
		typ := n.Outputs[i].Type
		if o.Kind == ir.KindTensor && typ.RankKnown {
			if len(typ.Shape) != len(o.Shape) {
				return nil, fmt.Errorf("output %d: inferred %v, got shape %v", i, typ, o.Shape)
			}
			for d, dim := range typ.Shape {
				if dim.Known() && dim.Size != o.Shape[d] {
					return nil, fmt.Errorf("output %d: inferred %v, got shape %v", i, typ, o.Shape)
				}
			}
		}
		if o.Kind == ir.KindTensor && typ.DType != ir.Undefined && typ.DType != o.DType {
			return nil, fmt.Errorf("output %d: inferred dtype %v, got %v", i, typ.DType, o.DType)
		}
	}
	return c.Outs, nil
}

func mvRunCases(t *testing.T, cases []mvCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, hide := range []bool{false, true} {
				tc.runtimeInputs = hide
				got, err := mvRunNode(tc)
				if tc.wantErr {
					if err == nil {
						t.Fatalf("hidden=%v: want an error, got %v", hide, got)
					}
					continue
				}
				if err != nil {
					t.Fatalf("hidden=%v: %v", hide, err)
				}
				for i, w := range tc.want {
					if w == nil {
						continue
					}
					g := got[i]
					if g.DType != w.DType || !mvSameInts(g.Shape, w.Shape) || !mvSameData(g, w) {
						t.Fatalf("hidden=%v: output %d = %v %v, want %v %v", hide, i, g, g.Data, w, w.Data)
					}
				}
			}
		})
	}
}

// Attribute constructors for the tables.
func mvAInt(v int64) *ir.Attr         { return &ir.Attr{Kind: ir.AttrInt, I: v} }
func mvAInts(v ...int64) *ir.Attr     { return &ir.Attr{Kind: ir.AttrInts, Ints: v} }
func mvAFloat(v float32) *ir.Attr     { return &ir.Attr{Kind: ir.AttrFloat, F: v} }
func mvAStr(v string) *ir.Attr        { return &ir.Attr{Kind: ir.AttrString, S: v} }
func mvATensor(t *ir.Tensor) *ir.Attr { return &ir.Attr{Kind: ir.AttrTensor, T: t} }

// f32 builds a float32 tensor of shape (data given row-major).
func mvF32(shape []int64, v ...float32) *ir.Tensor { return ir.FromSlice(v, shape...) }
func mvI64(shape []int64, v ...int64) *ir.Tensor   { return ir.FromSlice(v, shape...) }
func mvI64v(v ...int64) *ir.Tensor                 { return ir.FromSlice(v) }
func mvSh(d ...int64) []int64                      { return append([]int64{}, d...) }

// iota32 returns 0..n-1 as float32.
func mvIota(n int) []float32 {
	v := make([]float32, n)
	for i := range v {
		v[i] = float32(i)
	}
	return v
}

// mvSameData compares storage, treating all empty slices as equal.
func mvSameData(a, b *ir.Tensor) bool {
	if a.Len() == 0 && b.Len() == 0 {
		return true
	}
	return reflect.DeepEqual(a.Data, b.Data)
}
