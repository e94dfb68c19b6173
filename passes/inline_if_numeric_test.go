package passes_test

import (
	"strings"
	"testing"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/runtime"
)

// TestInlineIfNumerically: a scripted 1-D network (as speech models
// export: the layers in an If on a shape test, with another shape-tested
// If inside) gives the same outputs with inline-if on and off. With it on
// no If is left, and the branch's Conv reads the outer weights as a
// top-level node, so fuse-epilogue takes its Relu.
func TestInlineIfNumerically(t *testing.T) {
	build := func() *ir.Graph {
		b := newTG("inline_if")
		x := b.input("x", 1, 4, 20)
		w, bias := b.weights(8, 4, 3), b.weights(8)
		dw, dwb := b.weights(8, 1, 5), b.weights(8)
		shapeTest := func(b *tg) *ir.Value {
			return b.op("Equal", nil, b.op("Size", nil, x), b.konst(ir.Scalar(int64(80))))
		}
		cond := shapeTest(b)

		then := newTG("then")
		then.n = 100 // distinct value names
		y := then.op("Relu", nil, then.op("Conv", named(ir.Attrs{"pads": ints(1, 1)}), x, w, bias))
		y = then.op("Conv", named(ir.Attrs{"group": iattr(8), "pads": ints(2, 2)}), y, dw, dwb)
		innerThen, innerElse := newTG("inner_then"), newTG("inner_else")
		innerThen.n, innerElse.n = 200, 300
		innerThen.out(innerThen.op("Sigmoid", nil, y))
		innerElse.out(innerElse.op("Tanh", nil, y))
		inner := then.op("If", branches(innerThen.g, innerElse.g), shapeTest(then))
		then.out(inner, x)

		els := newTG("else")
		els.n = 400
		els.out(els.op("Neg", nil, x), x)

		n := &ir.Node{Name: "if", Op: "If", Opset: 17, Inputs: []*ir.Value{cond}, Attrs: branches(then.g, els.g),
			Outputs: []*ir.Value{{Name: "y"}, {Name: "x_out"}}}
		b.g.AddNode(n)
		z := b.op("Add", nil, n.Outputs[0], b.konst(ir.Scalar(float32(0.5))))
		return b.out(n.Outputs[0], n.Outputs[1], z)
	}
	compareFused(t, "inline_if", "inline-if", build)
	s, err := runtime.NewSession(build(), runtime.Options{Threads: 1, VerifyPasses: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	text := ir.Format(s.Graph())
	if strings.Contains(text, "If(") || !strings.Contains(text, "FusedConv") {
		t.Errorf("the If is left or the Conv not fused:\n%s", text)
	}
}

// TestInlineIfKeepsInputCondition: an If whose condition is an input
// stays, and runs either branch.
func TestInlineIfKeepsInputCondition(t *testing.T) {
	b := newTG("if_input")
	x := b.input("x", 2, 3)
	cond := &ir.Value{Name: "cond", Type: ir.TensorType(ir.Bool)}
	b.g.Inputs = append(b.g.Inputs, cond)
	then, els := newTG("then"), newTG("else")
	then.n, els.n = 100, 200
	then.out(then.op("Relu", nil, x))
	els.out(els.op("Neg", nil, x))
	y := b.op("If", branches(then.g, els.g), cond)
	s, err := runtime.NewSession(b.out(y), runtime.Options{Threads: 1, VerifyPasses: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if !strings.Contains(ir.Format(s.Graph()), "If(") {
		t.Fatalf("the If was removed:\n%s", ir.Format(s.Graph()))
	}
	xv := ir.FromSlice([]float32{-1, 2, -3, 4, -5, 6}, 2, 3)
	for _, c := range []bool{true, false} {
		out, err := s.Run(t.Context(), map[string]*ir.Tensor{"x": xv, "cond": ir.Scalar(c)})
		if err != nil {
			t.Fatal(err)
		}
		got := out[y.Name].F32()
		for i, v := range xv.F32() {
			want := -v
			if c {
				want = max(v, 0)
			}
			if got[i] != want {
				t.Fatalf("cond %v: y[%d] = %v, want %v", c, i, got[i], want)
			}
		}
	}
}

func branches(then, els *ir.Graph) ir.Attrs {
	return named(ir.Attrs{"then_branch": {Kind: ir.AttrGraph, G: then}, "else_branch": {Kind: ir.AttrGraph, G: els}})
}
