package passes

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/nncc/nncc/ir"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// goldenCase builds a small graph, runs one pass (after "infer") and
// compares the text form before and after with testdata/NAME.golden.
type goldenCase struct {
	name  string
	pass  string
	build func() *ir.Graph
}

// gb is a tiny graph-building helper for pass tests.
type gb struct {
	g *ir.Graph
	n int
}

func newGB(name string) *gb {
	return &gb{g: &ir.Graph{Name: name, Opsets: map[string]int64{"": 17}}}
}

func (b *gb) input(name string, t ir.Type) *ir.Value {
	v := &ir.Value{Name: name, Type: t}
	b.g.Inputs = append(b.g.Inputs, v)
	return v
}

func (b *gb) constant(name string, t *ir.Tensor) *ir.Value {
	v := &ir.Value{Name: name, Type: ir.TypeOfTensor(t), Const: t}
	b.g.Constants = append(b.g.Constants, v)
	return v
}

func (b *gb) op(op string, attrs ir.Attrs, nout int, ins ...*ir.Value) []*ir.Value {
	b.n++
	n := &ir.Node{Name: op + "_" + itoa(b.n), Op: op, Opset: 17, Inputs: ins, Attrs: attrs}
	if n.Attrs == nil {
		n.Attrs = ir.Attrs{}
	}
	for i := 0; i < nout; i++ {
		n.Outputs = append(n.Outputs, &ir.Value{Name: strings.ToLower(op) + itoa(b.n) + "_" + itoa(i)})
	}
	b.g.AddNode(n)
	return n.Outputs
}

func (b *gb) output(vs ...*ir.Value) *ir.Graph {
	b.g.Outputs = append(b.g.Outputs, vs...)
	return b.g
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}

var batchX = ir.TensorOf(ir.Float32, ir.Shape{ir.Sym("batch"), ir.D(4)})

var goldenCases = []goldenCase{
	{"dce_unused_chain", "dce", func() *ir.Graph {
		b := newGB("dce")
		x := b.input("x", batchX)
		y := b.op("Relu", nil, 1, x)[0]
		dead := b.op("Sigmoid", nil, 1, x)[0]
		b.op("Tanh", nil, 1, dead)
		b.constant("unused", ir.FromSlice([]float32{1, 2}))
		return b.output(y)
	}},
	{"identity_chain", "identity", func() *ir.Graph {
		b := newGB("identity")
		x := b.input("x", batchX)
		i1 := b.op("Identity", nil, 1, x)[0]
		i2 := b.op("Identity", nil, 1, i1)[0]
		y := b.op("Relu", nil, 1, i2)[0]
		out := b.op("Identity", nil, 1, y)[0] // graph output: kept
		return b.output(out)
	}},
	{"fold_shape_arith", "fold", func() *ir.Graph {
		b := newGB("fold")
		x := b.input("x", ir.TensorType(ir.Float32, 2, 3, 4))
		s := b.op("Shape", nil, 1, x)[0]
		two := b.constant("two", ir.FromSlice([]int64{1, 1, 2}))
		div := b.op("Div", nil, 1, s, two)[0]
		mul := b.op("Mul", nil, 1, div, b.constant("twice", ir.FromSlice([]int64{1, 2, 1})))[0]
		y := b.op("Reshape", nil, 1, x, mul)[0]
		return b.output(y)
	}},
	{"fold_constant_subgraph", "fold", func() *ir.Graph {
		b := newGB("fold2")
		x := b.input("x", batchX)
		a := b.constant("a", ir.FromSlice([]float32{1, -2, 3, -4}))
		r := b.op("Relu", nil, 1, a)[0]
		y := b.op("Add", nil, 1, x, r)[0]
		return b.output(y)
	}},
	{"cse_duplicate_ops", "cse", func() *ir.Graph {
		b := newGB("cse")
		x := b.input("x", batchX)
		a := b.op("Sigmoid", nil, 1, x)[0]
		c := b.op("Sigmoid", nil, 1, x)[0]
		y := b.op("Mul", nil, 1, a, c)[0]
		return b.output(y)
	}},
}

func TestPassGolden(t *testing.T) {
	for _, tc := range goldenCases {
		t.Run(tc.name, func(t *testing.T) {
			g := tc.build()
			require.NoError(t, ir.Verify(g))
			require.NoError(t, inferShapes(g, nil))
			before := ir.Format(g)
			c := &Context{}
			var fn func(*ir.Graph, *Context) error
			for _, p := range passes {
				if p.name == tc.pass {
					fn = p.fn
				}
			}
			require.NotNil(t, fn, "no pass %q", tc.pass)
			require.NoError(t, fn(g, c))
			require.NoError(t, ir.Verify(g), "graph invalid after %s", tc.pass)
			got := "// before " + tc.pass + "\n" + before + "// after " + tc.pass + "\n" + ir.Format(g)
			path := filepath.Join("testdata", tc.name+".golden")
			if *update {
				require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
				return
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err, "missing golden file; run go test ./passes -run TestPassGolden -update")
			require.Equal(t, string(want), got)
		})
	}
}

// TestPassTableRunsAndVerifies runs the whole table with verification on
// every golden graph.
func TestPassTableRunsAndVerifies(t *testing.T) {
	for _, tc := range goldenCases {
		g := tc.build()
		c := &Context{Verify: true}
		require.NoError(t, Run(g, c), tc.name)
		require.Equal(t, len(passes), len(c.Ran))
	}
	_ = context.Background
}

func TestDisableUnknownPass(t *testing.T) {
	g := goldenCases[0].build()
	err := Run(g, &Context{Disable: []string{"nope"}})
	require.ErrorContains(t, err, `no pass named "nope"`)
	err = Run(goldenCases[0].build(), &Context{Disable: []string{"infer"}})
	require.ErrorContains(t, err, "cannot be disabled")
}
