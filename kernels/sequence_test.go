package kernels

import (
	"testing"

	"github.com/nncc/nncc/ir"
)

// seqtRun builds and runs a sequence or optional op.
func seqtRun(op string, opset int64, attrs ir.Attrs, in ...*ir.Tensor) (*ir.Tensor, error) {
	present := make([]bool, len(in))
	for i, t := range in {
		present[i] = t != nil
	}
	n := cftNode(op, opset, present, []ir.Type{{}}, attrs)
	out, err := cftExec(n, nil, in...)
	if err != nil {
		return nil, err
	}
	return out[0], nil
}

func seqtInts(t *testing.T, s *ir.Tensor) [][]int64 {
	t.Helper()
	if s.Kind != ir.KindSequence {
		t.Fatalf("expected a sequence, got %v", s)
	}
	var out [][]int64
	for _, it := range s.Items {
		out = append(out, it.I64())
	}
	return out
}

func TestSequenceBasics(t *testing.T) {
	a, b, c := ir.FromSlice([]int64{1}), ir.FromSlice([]int64{2, 2}), ir.FromSlice([]int64{3, 3, 3})
	s, err := seqtRun("SequenceConstruct", 11, nil, a, b)
	if err != nil {
		t.Fatal(err)
	}
	if got := seqtInts(t, s); len(got) != 2 || got[1][0] != 2 {
		t.Fatalf("construct: %v", got)
	}
	if _, err := seqtRun("SequenceConstruct", 11, nil, a, ir.Scalar(float32(1))); err == nil {
		t.Fatal("construct with mixed dtypes: expected an error")
	}

	for _, tc := range []struct {
		pos  *ir.Tensor
		want int64
		ok   bool
	}{
		{ir.Scalar(int64(0)), 1, true}, {ir.Scalar(int32(1)), 2, true}, {ir.Scalar(int64(-1)), 2, true},
		{ir.Scalar(int64(-2)), 1, true}, {ir.Scalar(int64(2)), 0, false}, {ir.Scalar(int64(-3)), 0, false},
		{ir.Scalar(float32(0)), 0, false},
	} {
		got, err := seqtRun("SequenceAt", 11, nil, s, tc.pos)
		if (err == nil) != tc.ok {
			t.Fatalf("SequenceAt %v: err %v", tc.pos, err)
		}
		if tc.ok && got.I64()[0] != tc.want {
			t.Fatalf("SequenceAt %v: got %v, want %d", tc.pos, got, tc.want)
		}
	}

	ins, err := seqtRun("SequenceInsert", 11, nil, s, c)
	if err != nil {
		t.Fatal(err)
	}
	if got := seqtInts(t, ins); len(got) != 3 || got[2][0] != 3 {
		t.Fatalf("insert at back: %v", got)
	}
	if len(s.Items) != 2 {
		t.Fatal("insert modified its input sequence")
	}
	ins, err = seqtRun("SequenceInsert", 11, nil, s, c, ir.FromSlice([]int64{-2}))
	if err != nil {
		t.Fatal(err)
	}
	if got := seqtInts(t, ins); got[0][0] != 3 || got[1][0] != 1 {
		t.Fatalf("insert at -2: %v", got)
	}
	if _, err := seqtRun("SequenceInsert", 11, nil, s, c, ir.Scalar(int64(3))); err == nil {
		t.Fatal("insert past the end: expected an error")
	}
	if _, err := seqtRun("SequenceInsert", 11, nil, s, ir.Scalar(float32(1))); err == nil {
		t.Fatal("insert of another dtype: expected an error")
	}

	er, err := seqtRun("SequenceErase", 11, nil, s)
	if err != nil {
		t.Fatal(err)
	}
	if got := seqtInts(t, er); len(got) != 1 || got[0][0] != 1 {
		t.Fatalf("erase last: %v", got)
	}
	er, err = seqtRun("SequenceErase", 11, nil, s, ir.Scalar(int32(-2)))
	if err != nil {
		t.Fatal(err)
	}
	if got := seqtInts(t, er); len(got) != 1 || got[0][0] != 2 {
		t.Fatalf("erase -2: %v", got)
	}
	empty, err := seqtRun("SequenceEmpty", 11, ir.Attrs{"dtype": {Name: "dtype", Kind: ir.AttrInt, I: int64(ir.Int64)}})
	if err != nil {
		t.Fatal(err)
	}
	if empty.DType != ir.Int64 || len(empty.Items) != 0 {
		t.Fatalf("SequenceEmpty: %v", empty)
	}
	if _, err := seqtRun("SequenceErase", 11, nil, empty); err == nil {
		t.Fatal("erase from an empty sequence: expected an error")
	}
	n, err := seqtRun("SequenceLength", 11, nil, s)
	if err != nil || n.I64()[0] != 2 || n.Rank() != 0 {
		t.Fatalf("SequenceLength: %v %v", n, err)
	}
}

func TestSplitToSequence(t *testing.T) {
	x := ir.FromSlice([]int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 2, 5)
	axis1 := ir.Attrs{"axis": {Name: "axis", Kind: ir.AttrInt, I: 1}}
	cases := []struct {
		name   string
		attrs  ir.Attrs
		split  *ir.Tensor
		shapes [][]int64
		data   [][]int64
	}{
		{"default axis 0", nil, nil, [][]int64{{1, 5}, {1, 5}}, [][]int64{{1, 2, 3, 4, 5}, {6, 7, 8, 9, 10}}},
		{"keepdims 0", ir.Attrs{"keepdims": {Name: "keepdims", Kind: ir.AttrInt, I: 0}}, nil, [][]int64{{5}, {5}}, [][]int64{{1, 2, 3, 4, 5}, {6, 7, 8, 9, 10}}},
		{"scalar split", axis1, ir.Scalar(int64(2)), [][]int64{{2, 2}, {2, 2}, {2, 1}},
			[][]int64{{1, 2, 6, 7}, {3, 4, 8, 9}, {5, 10}}},
		{"list split", axis1, ir.FromSlice([]int32{1, 0, 4}), [][]int64{{2, 1}, {2, 0}, {2, 4}},
			[][]int64{{1, 6}, {}, {2, 3, 4, 5, 7, 8, 9, 10}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := seqtRun("SplitToSequence", 11, tc.attrs, x, tc.split)
			if err != nil {
				t.Fatal(err)
			}
			if len(s.Items) != len(tc.shapes) {
				t.Fatalf("%d pieces, want %d", len(s.Items), len(tc.shapes))
			}
			for i, it := range s.Items {
				cftWant(t, tc.name, it, tc.shapes[i], tc.data[i])
			}
		})
	}
	if _, err := seqtRun("SplitToSequence", 11, axis1, x, ir.FromSlice([]int64{1, 1})); err == nil {
		t.Fatal("split not summing to the axis: expected an error")
	}
	if _, err := seqtRun("SplitToSequence", 11, axis1, x, ir.Scalar(int64(0))); err == nil {
		t.Fatal("scalar split 0: expected an error")
	}
}

func TestConcatFromSequence(t *testing.T) {
	a := ir.FromSlice([]float32{1, 2, 3, 4}, 2, 2)
	b := ir.FromSlice([]float32{5, 6}, 2, 1)
	s := seqNew(ir.Float32, []*ir.Tensor{a, b})
	attrs := func(axis, newAxis int64) ir.Attrs {
		return ir.Attrs{"axis": {Name: "axis", Kind: ir.AttrInt, I: axis}, "new_axis": {Name: "new_axis", Kind: ir.AttrInt, I: newAxis}}
	}
	got, err := seqtRun("ConcatFromSequence", 11, attrs(-1, 0), s)
	if err != nil {
		t.Fatal(err)
	}
	cftWant(t, "concat axis -1", got, []int64{2, 3}, []float32{1, 2, 5, 3, 4, 6})
	if _, err := seqtRun("ConcatFromSequence", 11, attrs(0, 0), s); err == nil {
		t.Fatal("mismatched shapes: expected an error")
	}
	s2 := seqNew(ir.Float32, []*ir.Tensor{a, a})
	got, err = seqtRun("ConcatFromSequence", 11, attrs(2, 1), s2)
	if err != nil {
		t.Fatal(err)
	}
	cftWant(t, "stack axis 2", got, []int64{2, 2, 2}, []float32{1, 1, 2, 2, 3, 3, 4, 4})
	got, err = seqtRun("ConcatFromSequence", 11, attrs(0, 1), s2)
	if err != nil {
		t.Fatal(err)
	}
	cftWant(t, "stack axis 0", got, []int64{2, 2, 2}, []float32{1, 2, 3, 4, 1, 2, 3, 4})
	if _, err := seqtRun("ConcatFromSequence", 11, attrs(0, 0), seqNew(ir.Float32, nil)); err == nil {
		t.Fatal("empty sequence: expected an error")
	}
}

func TestOptional(t *testing.T) {
	x := ir.FromSlice([]float32{1, 2})
	opt, err := seqtRun("Optional", 15, nil, x)
	if err != nil {
		t.Fatal(err)
	}
	if opt.Kind != ir.KindOptional || len(opt.Items) != 1 || opt.Items[0] != x {
		t.Fatalf("Optional(x): %v", opt)
	}
	typ := ir.SeqOf(ir.TensorType(ir.Int32, 3))
	none, err := seqtRun("Optional", 15, ir.Attrs{"type": {Name: "type", Kind: ir.AttrTypeProto, Type: &typ}})
	if err != nil {
		t.Fatal(err)
	}
	if none.Kind != ir.KindOptional || len(none.Items) != 0 || none.DType != ir.Int32 {
		t.Fatalf("Optional(type): %v", none)
	}
	if _, err := seqtRun("Optional", 15, nil, nil); err == nil {
		t.Fatal("Optional without input and type: expected an error")
	}

	for _, tc := range []struct {
		name  string
		opset int64
		in    []*ir.Tensor
		want  bool
	}{
		{"some", 15, []*ir.Tensor{opt}, true},
		{"none", 15, []*ir.Tensor{none}, false},
		{"tensor", 18, []*ir.Tensor{x}, true},
		{"omitted", 18, []*ir.Tensor{nil}, false},
		{"no input", 18, nil, false},
	} {
		got, err := seqtRun("OptionalHasElement", tc.opset, nil, tc.in...)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got.Rank() != 0 || ir.Data[bool](got)[0] != tc.want {
			t.Fatalf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
	if _, err := seqtRun("OptionalHasElement", 15, nil, nil); err == nil {
		t.Fatal("OptionalHasElement-15 without input: expected an error")
	}

	got, err := seqtRun("OptionalGetElement", 18, nil, opt)
	if err != nil || got != x {
		t.Fatalf("OptionalGetElement(opt): %v %v", got, err)
	}
	got, err = seqtRun("OptionalGetElement", 18, nil, x)
	if err != nil || got != x {
		t.Fatalf("OptionalGetElement(tensor): %v %v", got, err)
	}
	if _, err := seqtRun("OptionalGetElement", 15, nil, none); err == nil {
		t.Fatal("OptionalGetElement(None): expected an error")
	}
}
