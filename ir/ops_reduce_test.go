package ir

import "testing"

// rnInfer runs the op table's inference on one node and returns the
// output types.
func rnInfer(t *testing.T, op string, opset int64, attrs Attrs, nOut int, in ...*Value) []Type {
	t.Helper()
	if attrs == nil {
		attrs = Attrs{}
	}
	n := &Node{Name: "n", Op: op, Opset: opset, Attrs: attrs, Inputs: in}
	for i := 0; i < nOut; i++ {
		n.Outputs = append(n.Outputs, &Value{Name: "out"})
	}
	if err := InferNode(n); err != nil {
		t.Fatalf("%s: %v", op, err)
	}
	out := make([]Type, nOut)
	for i, o := range n.Outputs {
		out[i] = o.Type
	}
	return out
}

func rnVal(tp Type) *Value { return &Value{Name: "v", Type: tp} }

func rnConst(x *Tensor) *Value { return &Value{Name: "c", Type: TypeOfTensor(x), Const: x} }

func TestInferReduce(t *testing.T) {
	x := rnVal(TensorOf(Float32, Shape{Sym("N"), D(3), D(4)}))
	keep0 := Attrs{}
	keep0.SetInt("keepdims", 0)
	attrAxes := Attrs{}
	attrAxes.SetInts("axes", []int64{-1})
	noop := Attrs{}
	noop.SetInt("noop_with_empty_axes", 1)
	cases := []struct {
		name  string
		op    string
		opset int64
		attrs Attrs
		in    []*Value
		want  string
	}{
		{"all keep", "ReduceSum", 13, nil, []*Value{x}, "float[1,1,1]"},
		{"all drop", "ReduceMean", 18, keep0, []*Value{x}, "float[]"},
		{"attr axes", "ReduceMax", 11, attrAxes, []*Value{x}, "float[N,3,1]"},
		{"const axes", "ReduceSum", 13, keep0, []*Value{x, rnConst(FromSlice([]int64{1}))}, "float[N,4]"},
		{"unknown axes keep", "ReduceSum", 13, nil, []*Value{x, rnVal(TensorType(Int64, 1))}, "float[?,?,?]"},
		{"unknown axes drop", "ReduceSum", 13, keep0, []*Value{x, rnVal(TensorType(Int64, 1))}, "float[*]"},
		{"noop", "ReduceL2", 18, noop, []*Value{x}, "float[N,3,4]"},
		{"noop empty const", "ReduceL2", 18, noop, []*Value{x, rnConst(FromSlice([]int64{}))}, "float[N,3,4]"},
		{"bool max", "ReduceMax", 20, keep0, []*Value{rnVal(TensorType(Bool, 2))}, "bool[]"},
	}
	for _, tc := range cases {
		got := rnInfer(t, tc.op, tc.opset, tc.attrs, 1, tc.in...)[0].String()
		if got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.name, got, tc.want)
		}
	}
	bad := Attrs{}
	bad.SetInts("axes", []int64{3})
	n := &Node{Name: "n", Op: "ReduceSum", Opset: 11, Attrs: bad, Inputs: []*Value{x}, Outputs: []*Value{{}}}
	if err := InferNode(n); err == nil {
		t.Errorf("axis 3 of rank 3: expected an error")
	}
	n = &Node{Name: "n", Op: "ReduceSum", Opset: 13, Attrs: Attrs{}, Inputs: []*Value{rnVal(TensorType(Bool, 2))}, Outputs: []*Value{{}}}
	if err := InferNode(n); err == nil {
		t.Errorf("ReduceSum of bool: expected an error")
	}
}

func TestInferEinsumDetSoftmax(t *testing.T) {
	eq := func(s string) Attrs { a := Attrs{}; a.SetString("equation", s); return a }
	a := rnVal(TensorOf(Float32, Shape{Sym("B"), D(2), D(3)}))
	b := rnVal(TensorOf(Float32, Shape{D(1), D(3), D(5)}))
	cases := []struct {
		eq   string
		in   []*Value
		want string
	}{
		{"bij,bjk->bik", []*Value{a, b}, "float[B,2,5]"},
		{"...ij,...jk", []*Value{a, b}, "float[B,2,5]"},
		{"bii->bi", []*Value{rnVal(TensorType(Float64, 4, 3, 3))}, "double[4,3]"},
		{"ij->", []*Value{rnVal(TensorType(Int32, 4, 3))}, "int32[]"},
	}
	for _, tc := range cases {
		got := rnInfer(t, "Einsum", 12, eq(tc.eq), 1, tc.in...)[0].String()
		if got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.eq, got, tc.want)
		}
	}
	if got := rnInfer(t, "Det", 11, nil, 1, rnVal(TensorType(Float32, 2, 3, 3)))[0].String(); got != "float[2]" {
		t.Errorf("Det: got %s", got)
	}
	if got := rnInfer(t, "Softmax", 13, nil, 1, a)[0].String(); got != "float[B,2,3]" {
		t.Errorf("Softmax: got %s", got)
	}
}

func TestInferNormAndLoss(t *testing.T) {
	x := rnVal(TensorOf(Float16, Shape{Sym("N"), D(4), D(8)}))
	s := rnVal(TensorType(Float16, 8))
	outs := rnInfer(t, "LayerNormalization", 17, nil, 3, x, s)
	if outs[0].String() != "float16[N,4,8]" || outs[1].String() != "float[N,4,1]" || outs[2].String() != "float[N,4,1]" {
		t.Errorf("LayerNormalization: got %v", outs)
	}
	rms := rnInfer(t, "RMSNormalization", 23, nil, 1, x, rnVal(TensorType(Float32, 8)))
	if rms[0].String() != "float[N,4,8]" {
		t.Errorf("RMSNormalization: got %v", rms)
	}
	scores := rnVal(TensorOf(Float32, Shape{Sym("N"), D(5), D(7)}))
	labels := rnVal(TensorOf(Int64, Shape{Sym("N"), D(7)}))
	none := Attrs{}
	none.SetString("reduction", "none")
	l := rnInfer(t, "SoftmaxCrossEntropyLoss", 13, none, 2, scores, labels)
	if l[0].String() != "float[N,7]" || l[1].String() != "float[N,5,7]" {
		t.Errorf("SCE none: got %v", l)
	}
	m := rnInfer(t, "NegativeLogLikelihoodLoss", 13, nil, 1, scores, labels)
	if m[0].String() != "float[]" {
		t.Errorf("NLL mean: got %v", m)
	}
	// Running mean and var are outputs in training mode only.
	train := Attrs{"training_mode": {Name: "training_mode", Kind: AttrInt, I: 1}}
	bn := rnInfer(t, "BatchNormalization", 15, train, 3, scores, rnVal(TensorType(Float32, 5)), rnVal(TensorType(Float32, 5)), rnVal(TensorType(Float32, 5)), rnVal(TensorType(Float32, 5)))
	if bn[0].String() != "float[N,5,7]" || bn[1].String() != "float[5]" {
		t.Errorf("BatchNormalization: got %v", bn)
	}
}

// TestReduceAxesForm checks that a Reduce* node must give its axes in its
// opset's form: an attribute before the op moved them to an input, an
// input from then on.
func TestReduceAxesForm(t *testing.T) {
	x := rnVal(TensorOf(Float32, Shape{D(2), D(3)}))
	axesIn := rnConst(FromSlice([]int64{1}))
	attrAxes := Attrs{}
	attrAxes.SetInts("axes", []int64{1})
	cases := []struct {
		op     string
		opset  int64
		attrs  Attrs
		in     []*Value
		wantOK bool
	}{
		{"ReduceSum", 11, attrAxes, []*Value{x}, true},
		{"ReduceSum", 13, nil, []*Value{x, axesIn}, true},
		{"ReduceSum", 13, attrAxes, []*Value{x}, false},
		{"ReduceSum", 11, nil, []*Value{x, axesIn}, false},
		{"ReduceMean", 13, attrAxes, []*Value{x}, true},
		{"ReduceMean", 13, nil, []*Value{x, axesIn}, false},
		{"ReduceMean", 18, attrAxes, []*Value{x}, false},
		{"ReduceMax", 18, nil, []*Value{x, axesIn}, true},
		{"ReduceSum", 0, attrAxes, []*Value{x}, true}, // built in Go: either form
	}
	for _, c := range cases {
		attrs := c.attrs
		if attrs == nil {
			attrs = Attrs{}
		}
		n := &Node{Name: "n", Op: c.op, Opset: c.opset, Attrs: attrs, Inputs: c.in, Outputs: []*Value{{Name: "y"}}}
		err := InferNode(n)
		if (err == nil) != c.wantOK {
			t.Errorf("%s-%d attrs=%v inputs=%d: err = %v, want ok=%v", c.op, c.opset, c.attrs, len(c.in), err, c.wantOK)
		}
	}
}
