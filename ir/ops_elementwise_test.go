package ir

import "testing"

func ewInferOne(t *testing.T, op string, opset int64, attrs Attrs, in ...Type) (Type, error) {
	t.Helper()
	if attrs == nil {
		attrs = Attrs{}
	}
	n := &Node{Name: "n", Op: op, Opset: opset, Attrs: attrs}
	for i, ty := range in {
		n.Inputs = append(n.Inputs, &Value{Name: string(rune('a' + i)), Type: ty})
	}
	n.Outputs = []*Value{{Name: "y"}}
	err := InferNode(n)
	return n.Outputs[0].Type, err
}

func TestElementwiseInfer(t *testing.T) {
	f := func(s ...int64) Type { return TensorType(Float32, s...) }
	cases := []struct {
		op    string
		opset int64
		attrs Attrs
		in    []Type
		want  string
		err   bool
	}{
		{op: "Add", opset: 14, in: []Type{f(2, 3), f(3)}, want: "float[2,3]"},
		{op: "Add", opset: 14, in: []Type{f(2, 3), f(4)}, err: true},
		{op: "Add", opset: 14, in: []Type{f(2, 3), TensorType(Int32, 3)}, err: true},
		{op: "Add", opset: 6, attrs: Attrs{"broadcast": {Name: "broadcast", Kind: AttrInt, I: 1}, "axis": {Name: "axis", Kind: AttrInt, I: 0}},
			in: []Type{f(2, 3), f(2)}, want: "float[2,3]"},
		{op: "Less", opset: 13, in: []Type{f(1, 3), f(2, 1)}, want: "bool[2,3]"},
		{op: "Equal", opset: 19, in: []Type{TensorType(String, 2), TensorType(String)}, want: "bool[2]"},
		{op: "Pow", opset: 15, in: []Type{TensorType(Int64, 3), f(3)}, want: "int64[3]"},
		{op: "Sqrt", opset: 13, in: []Type{TensorType(Int32, 3)}, err: true},
		{op: "Relu", opset: 14, in: []Type{TensorType(Int8, 3)}, want: "int8[3]"},
		{op: "IsNaN", opset: 20, in: []Type{TensorType(Float8E5M2, 4)}, want: "bool[4]"},
		{op: "Sum", opset: 13, in: []Type{f(3), f(2, 1), f()}, want: "float[2,3]"},
		{op: "Where", opset: 16, in: []Type{TensorType(Bool, 2, 1), TensorType(Int64, 3), TensorType(Int64)}, want: "int64[2,3]"},
		{op: "Clip", opset: 13, in: []Type{f(4), f(), f()}, want: "float[4]"},
		{op: "Clip", opset: 13, in: []Type{f(4), f(2)}, err: true},
		{op: "PRelu", opset: 16, in: []Type{f(2, 3), f(3)}, want: "float[2,3]"},
		{op: "PRelu", opset: 16, in: []Type{f(3), f(2, 3)}, err: true},
		{op: "Cast", opset: 21, attrs: Attrs{"to": {Name: "to", Kind: AttrInt, I: int64(Int4)}}, in: []Type{f(5)}, want: "int4[5]"},
		{op: "Cast", opset: 21, attrs: Attrs{"to": {Name: "to", Kind: AttrInt, I: int64(Complex64)}}, in: []Type{f(5)}, err: true},
		{op: "CastLike", opset: 21, in: []Type{f(5), TensorType(Float16)}, want: "float16[5]"},
		{op: "Add", opset: 14, in: []Type{TensorOf(Float32, Shape{Sym("N"), D(3)}), f(3)}, want: "float[N,3]"},
		{op: "Mul", opset: 14, in: []Type{UnrankedOf(Float32), f(3)}, want: "float[*]"},
	}
	for _, c := range cases {
		got, err := ewInferOne(t, c.op, c.opset, c.attrs, c.in...)
		if (err != nil) != c.err {
			t.Errorf("%s%v: err = %v", c.op, c.in, err)
			continue
		}
		if err == nil && got.String() != c.want {
			t.Errorf("%s%v: got %v, want %s", c.op, c.in, got, c.want)
		}
	}
}
