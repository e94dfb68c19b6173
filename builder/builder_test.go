package builder_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/nncc/nncc/builder"
	"github.com/nncc/nncc/builder/internal/opnames"
	"github.com/nncc/nncc/frontend/onnx"
	"github.com/nncc/nncc/ir"
)

// TestEveryOpHasAMethod checks that ops_gen.go is up to date with the op
// table: every row has its typed method and every attribute its option.
func TestEveryOpHasAMethod(t *testing.T) {
	bt := reflect.TypeOf(&builder.Builder{})
	for _, s := range ir.Ops() {
		m := opnames.Method(s.Domain, s.Name)
		meth, ok := bt.MethodByName(m)
		if !ok {
			t.Errorf("op %s::%s has no Builder.%s; run go generate ./builder", s.Domain, s.Name, m)
			continue
		}
		// Receiver, one *Value per required input, then ...Arg.
		if got := meth.Type.NumIn(); got != s.MinInputs+2 {
			t.Errorf("Builder.%s takes %d parameters, the op has %d required inputs; run go generate ./builder", m, got-2, s.MinInputs)
		}
	}
}

func TestMLP(t *testing.T) {
	b := builder.New("mlp", 17)
	x := b.Input("x", ir.Float32, "batch", 4)
	w := b.Weight("fc/kernel", []int64{4, 3}, builder.GlorotUniform, builder.Fans{})
	bias := b.Weight("fc/bias", []int64{3}, builder.Zeros, builder.Fans{})
	h := b.Gemm(x, w, bias)
	if got := h.Type().String(); got != "float[batch,3]" {
		t.Fatalf("Gemm type %s, want float[batch,3]", got)
	}
	y := b.Softmax(h, builder.AttrAxis(-1))
	g, err := b.Build(b.Output("probs", y))
	if err != nil {
		t.Fatal(err)
	}
	want := `graph mlp(x: float[batch,4]) -> (%probs) {
  const fc/kernel: float[4,3] = float[4 3][...]
  const fc/bias: float[3] = float[3] [0 0 0]
  %Gemm: float[batch,3] = Gemm(%x, %fc/kernel, %fc/bias)
  %probs: float[batch,3] = Softmax(%Gemm) {axis=-1}
}
`
	if got := ir.Format(g); got != want {
		t.Errorf("graph:\n%s\nwant:\n%s", got, want)
	}
	if g.Opsets[""] != 17 || g.Nodes[0].Opset != 17 {
		t.Errorf("opsets %v, node opset %d", g.Opsets, g.Nodes[0].Opset)
	}
}

// TestMistakes checks that each kind of mistake is reported with the
// caller's line, the op and its inputs, and that later calls are no-ops.
func TestMistakes(t *testing.T) {
	cases := []struct {
		name  string
		build func(b *builder.Builder, x *builder.Value)
		want  []string
	}{
		{"rank", func(b *builder.Builder, x *builder.Value) {
			b.MatMul(x, b.Weight("w", []int64{5, 2}, builder.Zeros, builder.Fans{}))
		}, []string{"builder_test.go:", "MatMul(%x: float[batch,4], %w: float[5,2])", "inner dimensions"}},
		{"dtype", func(b *builder.Builder, x *builder.Value) {
			b.Add(x, b.Int64s(1))
		}, []string{"Add(%x: float[batch,4], %const: int64[1])", "dtype"}},
		{"attribute", func(b *builder.Builder, x *builder.Value) {
			b.Relu(x, builder.AttrAxis(1))
		}, []string{"Relu(%x: float[batch,4])", `no attribute "axis"`}},
		{"attribute kind", func(b *builder.Builder, x *builder.Value) {
			b.Softmax(x, builder.Attribute(&ir.Attr{Name: "axis", Kind: ir.AttrFloat, F: 1}))
		}, []string{"Softmax", `attribute "axis" must be int`}},
		{"opset", func(b *builder.Builder, x *builder.Value) {
			b.LayerNormalization(x, b.Weight("g", []int64{4}, builder.Ones, builder.Fans{}))
		}, []string{"LayerNormalization", "not available at opset 11"}},
		{"required input", func(b *builder.Builder, x *builder.Value) {
			b.Add(x, nil)
		}, []string{"Add(%x: float[batch,4], _)", "required input 1 is nil"}},
		{"too many inputs", func(b *builder.Builder, x *builder.Value) {
			b.Relu(x, x)
		}, []string{"Relu", "expects 1 inputs, got 2"}},
		{"outputs", func(b *builder.Builder, x *builder.Value) {
			b.Relu(x, builder.NumOutputs(2))
		}, []string{"Relu", "2 outputs requested"}},
		{"other builder", func(b *builder.Builder, x *builder.Value) {
			o := builder.New("other", 11)
			b.Add(x, o.Input("y", ir.Float32, 4))
		}, []string{"Add", "belongs to another builder"}},
		{"duplicate weight", func(b *builder.Builder, x *builder.Value) {
			b.Weight("w", []int64{1}, builder.Zeros, builder.Fans{})
			b.Weight("w", []int64{1}, builder.Zeros, builder.Fans{})
		}, []string{`weight name "w" is already used`}},
	}
	for _, c := range cases {
		b := builder.New("bad", 11)
		x := b.Input("x", ir.Float32, "batch", 4)
		c.build(b, x)
		err := b.Err()
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not mention %q", c.name, err, w)
			}
		}
		var be *builder.Error
		if !errors.As(err, &be) || !strings.HasSuffix(be.File, "builder_test.go") || be.Line == 0 {
			t.Errorf("%s: error %#v does not carry the call site", c.name, err)
		}
		// Later calls do nothing and Build reports the first error.
		y := b.Relu(x)
		if y.Valid() {
			t.Errorf("%s: a call after an error made a value", c.name)
		}
		if _, err2 := b.Build(y); err2 != err {
			t.Errorf("%s: Build returned %v, want the first error", c.name, err2)
		}
	}
}

func TestOptionalAndMultipleOutputs(t *testing.T) {
	b := builder.New("clip", 13)
	x := b.Input("x", ir.Float32, 2, 3)
	// Clip's min omitted with nil, max given.
	c := b.Clip(x, nil, b.Scalar(ir.Float32, 1))
	parts := b.Split(c, b.Int64s(1, 2), builder.AttrAxis(1), builder.NumOutputs(2))
	if len(parts) != 2 || parts[0].Type().String() != "float[2,1]" || parts[1].Type().String() != "float[2,2]" {
		t.Fatalf("Split outputs %v", parts)
	}
	cat := b.Concat(parts[1], builder.Inputs(parts[0]), builder.AttrAxis(1))
	g, err := b.Build(cat)
	if err != nil {
		t.Fatal(err)
	}
	if n := g.Nodes[0]; n.Op != "Clip" || len(n.Inputs) != 3 || n.Inputs[1] != nil {
		t.Errorf("Clip inputs %v", n.Inputs)
	}
	if got := g.Outputs[0].Type.String(); got != "float[2,3]" {
		t.Errorf("output %s", got)
	}
}

func TestBuildPrunesAndWrapsOutputs(t *testing.T) {
	b := builder.New("p", 17)
	x := b.Input("x", ir.Float32, 2)
	b.Neg(x) // unused: pruned
	unused := b.Weight("unused", []int64{2}, builder.Zeros, builder.Fans{})
	_ = unused
	y := b.Relu(x)
	g, err := b.Build(y, x) // an input as an output gets an Identity
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Nodes) != 2 || g.Nodes[0].Op != "Relu" || g.Nodes[1].Op != "Identity" {
		t.Errorf("nodes: %s", ir.Format(g))
	}
	if len(g.Constants) != 0 {
		t.Errorf("unused weight kept")
	}
	// Build again: a fresh graph each time.
	g2, err := b.Build(y)
	if err != nil || g2 == g || g2.Nodes[0] == g.Nodes[0] {
		t.Errorf("second Build shares structure or fails: %v", err)
	}
}

func TestScopesAndNames(t *testing.T) {
	b := builder.New("n", 17)
	x := b.Input("x", ir.Float32, 2)
	end := b.Scope(b.UniqueScope("block"))
	y := b.Relu(x)
	y = b.Relu(y)
	w := b.Weight("w", []int64{2}, builder.Ones, builder.Fans{})
	end()
	if y.Name() != "block/Relu_1" || w.Name() != "block/w" {
		t.Errorf("names %q %q", y.Name(), w.Name())
	}
	if s := b.UniqueScope("block"); s != "block_1" {
		t.Errorf("second scope %q", s)
	}
	z := b.Relu(y, builder.Name("last"))
	if z.Name() != "last" {
		t.Errorf("named node output %q", z.Name())
	}
}

func TestSubgraph(t *testing.T) {
	b := builder.New("if", 17)
	x := b.Input("x", ir.Float32, 3)
	cond := b.Input("cond", ir.Bool)
	then := b.Subgraph("then")
	thenG := then.Graph(then.Output("t", then.Relu(x)))
	els := b.Subgraph("else")
	elseG := els.Graph(els.Output("e", els.Neg(x)))
	y := b.If(cond, builder.AttrThenBranch(thenG), builder.AttrElseBranch(elseG))
	g, err := b.Build(b.Output("y", y[0]))
	if err != nil {
		t.Fatal(err)
	}
	if err := ir.Verify(g); err != nil {
		t.Fatal(err)
	}
	if got := g.Outputs[0].Type.DType; got != ir.Float32 {
		t.Errorf("If output dtype %v", got)
	}
	data, err := onnx.Encode(g)
	if err != nil {
		t.Fatal(err)
	}
	back, err := onnx.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	if a, z := ir.Format(g), ir.Format(back); a != z {
		t.Errorf("import(export(g)) differs:\n%s\n%s", a, z)
	}
}

func TestWeights(t *testing.T) {
	mk := func(seed uint64, extra bool) *builder.Builder {
		b := builder.New("w", 17, builder.Seed(seed))
		if extra {
			b.Weight("first", []int64{3}, builder.HeNormal, builder.Fans{})
		}
		b.Weight("k", []int64{4, 5}, builder.GlorotUniform, builder.Fans{})
		return b
	}
	k := func(b *builder.Builder) []float32 {
		for _, w := range b.Weights() {
			if w.Name() == "k" {
				return w.IR().Const.F32()
			}
		}
		return nil
	}
	a, same, other, shifted := k(mk(1, false)), k(mk(1, false)), k(mk(2, false)), k(mk(1, true))
	if !reflect.DeepEqual(a, same) || !reflect.DeepEqual(a, shifted) {
		t.Errorf("weights depend on more than the seed and the name")
	}
	if reflect.DeepEqual(a, other) {
		t.Errorf("seed ignored")
	}
	for _, v := range a {
		if l := float32(0.8165); v < -l || v > l { // √(6/(4+5))
			t.Errorf("glorot uniform value %g outside ±%g", v, l)
		}
	}

	b := mk(1, false)
	if err := b.SetWeight("k", make([]float32, 20)); err != nil {
		t.Fatal(err)
	}
	if k(b)[3] != 0 {
		t.Errorf("SetWeight had no effect")
	}
	if err := b.SetWeight("k", make([]float32, 3)); err == nil {
		t.Errorf("SetWeight accepted the wrong size")
	}
	if err := b.SetWeight("k", make([]float64, 20)); err == nil {
		t.Errorf("SetWeight accepted the wrong type")
	}
	if err := b.SetWeight("nope", []float32{}); err == nil {
		t.Errorf("SetWeight accepted an unknown name")
	}

	// LoadWeights by name, with a rename.
	src := &ir.Graph{Constants: []*ir.Value{
		{Name: "other.k", Const: ir.FromSlice(seq(20), 4, 5)},
	}}
	loaded, missing, err := b.LoadWeights(src, map[string]string{"k": "other.k"})
	if err != nil || len(loaded) != 1 || len(missing) != 0 || k(b)[7] != 7 {
		t.Errorf("LoadWeights: %v %v %v", loaded, missing, err)
	}
	src.Constants[0].Const = ir.FromSlice(seq(20), 5, 4)
	if _, _, err := b.LoadWeights(src, map[string]string{"k": "other.k"}); err == nil {
		t.Errorf("LoadWeights accepted a wrong shape")
	}
}

func seq(n int) []float32 {
	out := make([]float32, n)
	for i := range out {
		out[i] = float32(i)
	}
	return out
}

func TestOrthogonal(t *testing.T) {
	b := builder.New("o", 17)
	w := b.Weight("r", []int64{1, 8, 4}, builder.Orthogonal(1), builder.Fans{}).IR().Const.F32()
	// 8×4: the columns are orthonormal.
	for i := 0; i < 4; i++ {
		for j := 0; j < 4; j++ {
			var d float32
			for r := 0; r < 8; r++ {
				d += w[r*4+i] * w[r*4+j]
			}
			want := float32(0)
			if i == j {
				want = 1
			}
			if d-want > 1e-5 || want-d > 1e-5 {
				t.Errorf("column %d·%d = %g", i, j, d)
			}
		}
	}
}
