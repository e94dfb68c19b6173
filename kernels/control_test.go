package kernels

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/nncc/nncc/ir"
)

// cftSub is a Subgraph written in Go, standing in for a compiled body.
type cftSub func(in []*ir.Tensor) ([]*ir.Tensor, error)

func (f cftSub) Run(c *Ctx, in []*ir.Tensor) ([]*ir.Tensor, error) { return f(in) }

// cftGraph returns a body graph with nIn inputs and the given output types.
func cftGraph(nIn int, outs ...ir.Type) *ir.Graph {
	g := &ir.Graph{}
	for i := 0; i < nIn; i++ {
		g.Inputs = append(g.Inputs, &ir.Value{Name: "in"})
	}
	for _, t := range outs {
		g.Outputs = append(g.Outputs, &ir.Value{Name: "out", Type: t})
	}
	return g
}

// cftNode makes a node with n inputs (nil where absent[i]) and nOut outputs.
func cftNode(op string, opset int64, in []bool, outs []ir.Type, attrs ir.Attrs) *ir.Node {
	n := &ir.Node{Name: "n", Op: op, Opset: opset, Attrs: attrs}
	if n.Attrs == nil {
		n.Attrs = ir.Attrs{}
	}
	for _, present := range in {
		if present {
			n.Inputs = append(n.Inputs, &ir.Value{Name: "x"})
		} else {
			n.Inputs = append(n.Inputs, nil)
		}
	}
	for _, t := range outs {
		n.Outputs = append(n.Outputs, &ir.Value{Name: "y", Type: t})
	}
	return n
}

func cftGraphAttr(name string, g *ir.Graph) *ir.Attr {
	return &ir.Attr{Name: name, Kind: ir.AttrGraph, G: g}
}

// cftExec builds n with the given bodies and runs it once.
func cftExec(n *ir.Node, subs map[*ir.Graph]cftSub, in ...*ir.Tensor) ([]*ir.Tensor, error) {
	b := &Build{Node: n, InTypes: make([]*ir.Type, len(n.Inputs))}
	b.Subgraph = func(g *ir.Graph) (Subgraph, error) {
		s, ok := subs[g]
		if !ok {
			return nil, errors.New("unknown body")
		}
		return s, nil
	}
	fn, err := BuildNode(b)
	if err != nil {
		return nil, err
	}
	c := &Ctx{Outs: make([]*ir.Tensor, len(n.Outputs)), Planned: make([]*ir.Tensor, len(n.Outputs)), Pool: Serial{}, Node: n}
	if err := fn(c, in); err != nil {
		return nil, err
	}
	return c.Outs, nil
}

func cftWant(t *testing.T, what string, got *ir.Tensor, shape []int64, data any) {
	t.Helper()
	if got == nil {
		t.Fatalf("%s: no output", what)
	}
	if !reflect.DeepEqual(got.Shape, shape) && !(len(got.Shape) == 0 && len(shape) == 0) {
		t.Fatalf("%s: shape %v, want %v", what, got.Shape, shape)
	}
	if !reflect.DeepEqual(got.Data, data) {
		t.Fatalf("%s: data %v, want %v", what, got.Data, data)
	}
}

func TestIf(t *testing.T) {
	then, els := cftGraph(0, ir.TensorType(ir.Float32, 2)), cftGraph(0, ir.TensorType(ir.Float32, 3))
	subs := map[*ir.Graph]cftSub{
		then: func([]*ir.Tensor) ([]*ir.Tensor, error) { return []*ir.Tensor{ir.FromSlice([]float32{1, 2})}, nil },
		els:  func([]*ir.Tensor) ([]*ir.Tensor, error) { return []*ir.Tensor{ir.FromSlice([]float32{3, 4, 5})}, nil },
	}
	n := cftNode("If", 11, []bool{true}, []ir.Type{{}}, ir.Attrs{"then_branch": cftGraphAttr("then_branch", then), "else_branch": cftGraphAttr("else_branch", els)})
	for _, tc := range []struct {
		cond bool
		want []float32
	}{{true, []float32{1, 2}}, {false, []float32{3, 4, 5}}} {
		out, err := cftExec(n, subs, ir.Scalar(tc.cond))
		if err != nil {
			t.Fatal(err)
		}
		cftWant(t, "If", out[0], []int64{int64(len(tc.want))}, tc.want)
	}
	if _, err := cftExec(n, subs, ir.Scalar(float32(1))); err == nil {
		t.Fatal("float cond: expected an error")
	}
	if _, err := cftExec(n, subs, ir.FromSlice([]bool{true, false})); err == nil {
		t.Fatal("two-element cond: expected an error")
	}
}

// loopSum is a body computing acc += i, keepgoing = acc < limit, and
// emitting acc*10 as a scan element of shape [1].
func loopSum(limit int64) cftSub {
	return func(in []*ir.Tensor) ([]*ir.Tensor, error) {
		i, acc := in[0].I64()[0], in[2].I64()[0]
		acc += i
		return []*ir.Tensor{ir.Scalar(acc < limit), ir.Scalar(acc), ir.FromSlice([]int64{acc * 10})}, nil
	}
}

func TestLoop(t *testing.T) {
	body := cftGraph(3, ir.TensorType(ir.Bool), ir.TensorType(ir.Int64), ir.TensorType(ir.Int64, 1))
	attrs := ir.Attrs{"body": cftGraphAttr("body", body)}
	outs := []ir.Type{ir.TensorType(ir.Int64), {Kind: ir.KindTensor, DType: ir.Int64, Shape: ir.Shape{ir.UnknownDim, ir.D(1)}, RankKnown: true}}
	cases := []struct {
		name     string
		m, cond  *ir.Tensor
		limit    int64
		final    int64
		scanData []int64
	}{
		{"for", ir.Scalar(int64(4)), nil, 0, 6, []int64{0, 10, 30, 60}},
		{"for ignores body cond", ir.Scalar(int64(3)), nil, -100, 3, []int64{0, 10, 30}},
		{"while", nil, ir.Scalar(true), 5, 6, []int64{0, 10, 30, 60}},
		{"while false", nil, ir.Scalar(false), 5, 0, []int64{}},
		{"for and while", ir.Scalar(int64(2)), ir.Scalar(true), 100, 1, []int64{0, 10}},
		{"negative M", ir.Scalar(int64(-3)), nil, 0, 0, []int64{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			n := cftNode("Loop", 13, []bool{tc.m != nil, tc.cond != nil, true}, outs, attrs)
			got, err := cftExec(n, map[*ir.Graph]cftSub{body: loopSum(tc.limit)}, tc.m, tc.cond, ir.Scalar(int64(0)))
			if err != nil {
				t.Fatal(err)
			}
			cftWant(t, "final", got[0], []int64{}, []int64{tc.final})
			cftWant(t, "scan", got[1], []int64{int64(len(tc.scanData)), 1}, tc.scanData)
		})
	}
}

func TestLoopLimits(t *testing.T) {
	old := MaxLoopIterations
	MaxLoopIterations = 5
	defer func() { MaxLoopIterations = old }()
	body := cftGraph(3, ir.TensorType(ir.Bool), ir.TensorType(ir.Int64), ir.TensorType(ir.Int64, 1))
	attrs := ir.Attrs{"body": cftGraphAttr("body", body)}
	outs := []ir.Type{ir.TensorType(ir.Int64), {}}
	subs := map[*ir.Graph]cftSub{body: loopSum(1 << 40)}
	n := cftNode("Loop", 16, []bool{true, false, true}, outs, attrs)
	if _, err := cftExec(n, subs, ir.Scalar(int64(6)), nil, ir.Scalar(int64(0))); err == nil || !strings.Contains(err.Error(), "MaxLoopIterations") {
		t.Fatalf("M above the limit: got %v", err)
	}
	n = cftNode("Loop", 16, []bool{false, true, true}, outs, attrs)
	if _, err := cftExec(n, subs, nil, ir.Scalar(true), ir.Scalar(int64(0))); err == nil || !strings.Contains(err.Error(), "MaxLoopIterations") {
		t.Fatalf("endless while loop: got %v", err)
	}
	// A huge M with a condition that stops early is fine.
	n = cftNode("Loop", 16, []bool{true, true, true}, outs, attrs)
	got, err := cftExec(n, map[*ir.Graph]cftSub{body: loopSum(3)}, ir.Scalar(int64(1<<62)), ir.Scalar(true), ir.Scalar(int64(0)))
	if err != nil {
		t.Fatal(err)
	}
	cftWant(t, "final", got[0], []int64{}, []int64{3})
}

func TestLoopScanChangesShape(t *testing.T) {
	body := cftGraph(2, ir.TensorType(ir.Bool), ir.Type{})
	n := cftNode("Loop", 11, []bool{true, false}, []ir.Type{{}}, ir.Attrs{"body": cftGraphAttr("body", body)})
	sub := cftSub(func(in []*ir.Tensor) ([]*ir.Tensor, error) {
		i := in[0].I64()[0]
		return []*ir.Tensor{ir.Scalar(true), ir.NewTensor(ir.Float32, []int64{i + 1})}, nil
	})
	if _, err := cftExec(n, map[*ir.Graph]cftSub{body: sub}, ir.Scalar(int64(3)), nil); err == nil {
		t.Fatal("scan element changing shape: expected an error")
	}
}

func TestLoopSequenceCarried(t *testing.T) {
	body := cftGraph(3, ir.TensorType(ir.Bool), ir.SeqOf(ir.TensorType(ir.Int64)))
	n := cftNode("Loop", 13, []bool{true, false, true}, []ir.Type{ir.SeqOf(ir.TensorType(ir.Int64))}, ir.Attrs{"body": cftGraphAttr("body", body)})
	sub := cftSub(func(in []*ir.Tensor) ([]*ir.Tensor, error) {
		s := in[2]
		items := append(append([]*ir.Tensor{}, s.Items...), ir.Scalar(in[0].I64()[0]))
		return []*ir.Tensor{ir.Scalar(true), seqNew(ir.Int64, items)}, nil
	})
	got, err := cftExec(n, map[*ir.Graph]cftSub{body: sub}, ir.Scalar(int64(3)), nil, seqNew(ir.Int64, nil))
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Kind != ir.KindSequence || len(got[0].Items) != 3 || got[0].Items[2].I64()[0] != 2 {
		t.Fatalf("got %v", got[0])
	}
}

// scanAdd is a body with one state s and one scan input x: s' = s + x,
// scan element = s' (both float32 of the same shape).
var scanAdd = cftSub(func(in []*ir.Tensor) ([]*ir.Tensor, error) {
	s, x := in[0].F32(), in[1].F32()
	out := make([]float32, len(s))
	for i := range s {
		out[i] = s[i] + x[i]
	}
	return []*ir.Tensor{ir.FromSlice(out, in[0].Shape...), ir.FromSlice(append([]float32{}, out...), in[0].Shape...)}, nil
})

func TestScan9(t *testing.T) {
	body := cftGraph(2, ir.Type{}, ir.Type{})
	x := ir.FromSlice([]float32{1, 2, 3, 4, 5, 6}, 2, 3) // scanned along axis 1: columns [1 4] [2 5] [3 6]
	init := ir.FromSlice([]float32{0, 0}, 2)
	cases := []struct {
		name       string
		attrs      ir.Attrs
		final      []float32
		scanShape  []int64
		scanValues []float32
	}{
		{"axis 1", ir.Attrs{"scan_input_axes": {Kind: ir.AttrInts, Ints: []int64{1}}},
			[]float32{6, 15}, []int64{3, 2}, []float32{1, 4, 3, 9, 6, 15}},
		{"axis -1 reversed", ir.Attrs{"scan_input_axes": {Kind: ir.AttrInts, Ints: []int64{-1}}, "scan_input_directions": {Kind: ir.AttrInts, Ints: []int64{1}}},
			[]float32{6, 15}, []int64{3, 2}, []float32{3, 6, 5, 11, 6, 15}},
		{"output axis 1", ir.Attrs{"scan_input_axes": {Kind: ir.AttrInts, Ints: []int64{1}}, "scan_output_axes": {Kind: ir.AttrInts, Ints: []int64{1}}},
			[]float32{6, 15}, []int64{2, 3}, []float32{1, 3, 6, 4, 9, 15}},
		{"prepend", ir.Attrs{"scan_input_axes": {Kind: ir.AttrInts, Ints: []int64{1}}, "scan_output_directions": {Kind: ir.AttrInts, Ints: []int64{1}}},
			[]float32{6, 15}, []int64{3, 2}, []float32{6, 15, 3, 9, 1, 4}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			attrs := ir.Attrs{"body": cftGraphAttr("body", body), "num_scan_inputs": {Kind: ir.AttrInt, I: 1}}
			for k, v := range tc.attrs {
				v.Name = k
				attrs[k] = v
			}
			n := cftNode("Scan", 16, []bool{true, true}, []ir.Type{{}, {}}, attrs)
			got, err := cftExec(n, map[*ir.Graph]cftSub{body: scanAdd}, init, x)
			if err != nil {
				t.Fatal(err)
			}
			cftWant(t, "state", got[0], []int64{2}, tc.final)
			cftWant(t, "scan", got[1], tc.scanShape, tc.scanValues)
		})
	}
	n := cftNode("Scan", 9, []bool{true, true}, []ir.Type{{}, {}}, ir.Attrs{"body": cftGraphAttr("body", body), "num_scan_inputs": {Kind: ir.AttrInt, I: 1},
		"directions": {Name: "directions", Kind: ir.AttrInts, Ints: []int64{0}}})
	if _, err := cftExec(n, map[*ir.Graph]cftSub{body: scanAdd}, init, x); err == nil {
		t.Fatal("directions at opset 9: expected an error")
	}
}

func TestScan8(t *testing.T) {
	body := cftGraph(2, ir.Type{}, ir.Type{})
	attrs := ir.Attrs{"body": cftGraphAttr("body", body), "num_scan_inputs": {Kind: ir.AttrInt, I: 1}}
	// batch 2, sequence 3, element [1]
	x := ir.FromSlice([]float32{1, 2, 3, 10, 20, 30}, 2, 3, 1)
	init := ir.FromSlice([]float32{0, 100}, 2, 1)
	n := cftNode("Scan", 8, []bool{true, true, true}, []ir.Type{{}, {}}, attrs)
	got, err := cftExec(n, map[*ir.Graph]cftSub{body: scanAdd}, ir.FromSlice([]int64{3, 2}), init, x)
	if err != nil {
		t.Fatal(err)
	}
	cftWant(t, "state", got[0], []int64{2, 1}, []float32{6, 130})
	cftWant(t, "scan", got[1], []int64{2, 3, 1}, []float32{1, 3, 6, 110, 130, 0})

	attrs["directions"] = &ir.Attr{Name: "directions", Kind: ir.AttrInts, Ints: []int64{1}}
	got, err = cftExec(n, map[*ir.Graph]cftSub{body: scanAdd}, ir.FromSlice([]int64{3, 2}), init, x)
	if err != nil {
		t.Fatal(err)
	}
	cftWant(t, "reverse scan", got[1], []int64{2, 3, 1}, []float32{3, 5, 6, 120, 130, 0})
}

func TestSequenceMap(t *testing.T) {
	body := cftGraph(2, ir.TensorType(ir.Float32))
	n := cftNode("SequenceMap", 17, []bool{true, true}, []ir.Type{ir.SeqOf(ir.TensorType(ir.Float32))}, ir.Attrs{"body": cftGraphAttr("body", body)})
	add := cftSub(func(in []*ir.Tensor) ([]*ir.Tensor, error) {
		return []*ir.Tensor{ir.Scalar(in[0].F32()[0] + in[1].F32()[0])}, nil
	})
	seq := seqNew(ir.Float32, []*ir.Tensor{ir.Scalar(float32(1)), ir.Scalar(float32(2))})
	got, err := cftExec(n, map[*ir.Graph]cftSub{body: add}, seq, ir.Scalar(float32(10)))
	if err != nil {
		t.Fatal(err)
	}
	if len(got[0].Items) != 2 || got[0].Items[0].F32()[0] != 11 || got[0].Items[1].F32()[0] != 12 {
		t.Fatalf("tensor extra input: got %v", got[0].Items)
	}
	got, err = cftExec(n, map[*ir.Graph]cftSub{body: add}, seq, seq)
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Items[1].F32()[0] != 4 {
		t.Fatalf("two sequences: got %v", got[0].Items)
	}
	if _, err := cftExec(n, map[*ir.Graph]cftSub{body: add}, seq, seqNew(ir.Float32, nil)); err == nil {
		t.Fatal("sequences of different lengths: expected an error")
	}
	got, err = cftExec(n, map[*ir.Graph]cftSub{body: add}, seqNew(ir.Float32, nil), ir.Scalar(float32(1)))
	if err != nil || len(got[0].Items) != 0 || got[0].DType != ir.Float32 {
		t.Fatalf("empty sequence: got %v, %v", got, err)
	}
}
