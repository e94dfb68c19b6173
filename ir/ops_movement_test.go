package ir

import (
	"fmt"
	"testing"
)

// mvInfer runs the op table's Infer for op with the given input types and
// constants (consts[i] may be nil).
func mvInfer(t *testing.T, op string, opset int64, attrs Attrs, nOut int, in []Type, consts []*Tensor) ([]Type, error) {
	t.Helper()
	n := &Node{Name: "n", Op: op, Opset: opset, Attrs: attrs}
	if n.Attrs == nil {
		n.Attrs = Attrs{}
	}
	for k, a := range n.Attrs {
		a.Name = k
	}
	for i := range in {
		v := &Value{Name: fmt.Sprint("in", i), Type: in[i]}
		if i < len(consts) {
			v.Const = consts[i]
		}
		n.Inputs = append(n.Inputs, v)
	}
	for i := 0; i < nOut; i++ {
		n.Outputs = append(n.Outputs, &Value{Name: fmt.Sprint("out", i)})
	}
	if err := InferNode(n); err != nil {
		return nil, err
	}
	var out []Type
	for _, o := range n.Outputs {
		out = append(out, o.Type)
	}
	return out, nil
}

func TestMovementInferSymbolic(t *testing.T) {
	x := TensorOf(Float32, Shape{Sym("N"), D(3), D(4)})
	i64 := func(v ...int64) *Tensor { return FromSlice(v) }
	ints := func(v ...int64) *Attr { return &Attr{Kind: AttrInts, Ints: v} }
	vec := func(n int64) Type { return TensorType(Int64, n) }
	cases := []struct {
		name   string
		op     string
		attrs  Attrs
		nOut   int
		in     []Type
		consts []*Tensor
		want   string
	}{
		{"reshape keeps symbol via 0", "Reshape", nil, 1, []Type{x, vec(2)}, []*Tensor{nil, i64(0, -1)}, "float[N,?]"},
		{"reshape non-constant shape", "Reshape", nil, 1, []Type{x, vec(3)}, nil, "float[?,?,?]"},
		{"transpose permutes symbols", "Transpose", Attrs{"perm": ints(2, 0, 1)}, 1, []Type{x}, nil, "float[4,N,3]"},
		{"flatten symbolic", "Flatten", nil, 1, []Type{x}, nil, "float[N,12]"},
		{"unsqueeze", "Unsqueeze", nil, 1, []Type{x, vec(2)}, []*Tensor{nil, i64(0, -1)}, "float[1,N,3,4,1]"},
		{"squeeze unknown axes", "Squeeze", nil, 1, []Type{TensorOf(Float32, Shape{UnknownDim, D(1)})}, nil, "float[*]"},
		{"slice symbolic axis", "Slice", nil, 1, []Type{x, vec(1), vec(1), vec(1)}, []*Tensor{nil, i64(1), i64(3), i64(0)}, "float[?,3,4]"},
		{"slice known axis", "Slice", nil, 1, []Type{x, vec(1), vec(1), vec(1)}, []*Tensor{nil, i64(1), i64(3), i64(2)}, "float[N,3,2]"},
		{"gather", "Gather", nil, 1, []Type{x, TensorOf(Int64, Shape{Sym("K")})}, nil, "float[K,3,4]"},
		{"concat", "Concat", Attrs{"axis": &Attr{Kind: AttrInt, I: 1}}, 1, []Type{x, x}, nil, "float[N,6,4]"},
		{"expand non-constant", "Expand", nil, 1, []Type{TensorOf(Float32, Shape{D(3), D(1)}), vec(3)}, nil, "float[?,3,?]"},
		{"shape", "Shape", nil, 1, []Type{x}, nil, "int64[3]"},
		{"nonzero", "NonZero", nil, 1, []Type{x}, nil, "int64[3,?]"},
		{"split unknown axis", "Split", nil, 2, []Type{x}, nil, "float[?,3,4]"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, err := mvInfer(t, tc.op, 25, tc.attrs, tc.nOut, tc.in, tc.consts)
			if err != nil {
				t.Fatal(err)
			}
			if got := out[0].String(); got != tc.want {
				t.Fatalf("got %s, want %s", got, tc.want)
			}
		})
	}
}

func TestMovementShapeHelpers(t *testing.T) {
	if got, err := ReshapeTarget([]int64{2, 3, 4}, []int64{0, -1}, false); err != nil || fmt.Sprint(got) != "[2 12]" {
		t.Fatalf("ReshapeTarget = %v, %v", got, err)
	}
	if _, err := ReshapeTarget([]int64{2, 3}, []int64{-1, -1}, false); err == nil {
		t.Fatal("two -1 accepted")
	}
	for _, c := range []struct{ dim, start, end, step, s, n int64 }{
		{4, 0, 1 << 62, 1, 0, 4},
		{4, -1, -1 << 62, -1, 3, 4},
		{4, 10, 0, -2, 3, 2},
		{4, 5, 10, 1, 4, 0},
		{4, 1, 3, 5, 1, 1},
	} {
		s, n, err := SliceRange(c.dim, c.start, c.end, c.step)
		if err != nil || s != c.s || n != c.n {
			t.Errorf("SliceRange(%d,%d,%d,%d) = %d,%d,%v want %d,%d", c.dim, c.start, c.end, c.step, s, n, err, c.s, c.n)
		}
	}
	if got, err := SplitSizes(7, 3, nil, 3); err != nil || fmt.Sprint(got) != "[3 3 1]" {
		t.Fatalf("SplitSizes = %v, %v", got, err)
	}
	if got, err := RangeCountInt(10, 4, -2); err != nil || got != 3 {
		t.Fatalf("RangeCountInt = %v, %v", got, err)
	}
	if got, err := RangeCount(3, 9, 3); err != nil || got != 2 {
		t.Fatalf("RangeCount = %v, %v", got, err)
	}
}
