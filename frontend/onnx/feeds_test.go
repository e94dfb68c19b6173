package onnx_test

import (
	"context"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/nncc/nncc/frontend/onnx/onnxpb"
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/runtime"
)

// feedModel has a float input x of shape [2, n], an int64 input k of
// shape [n] and a sequence-of-float input s; y = Relu(x), z = k + k,
// e = SequenceAt(s, 0).
func feedModel(t *testing.T) []byte {
	t.Helper()
	dims := func(ds ...any) *onnxpb.TensorShapeProto {
		sp := &onnxpb.TensorShapeProto{}
		for _, d := range ds {
			dim := &onnxpb.TensorShapeProto_Dimension{}
			switch d := d.(type) {
			case int:
				dim.Value = &onnxpb.TensorShapeProto_Dimension_DimValue{DimValue: int64(d)}
			case string:
				dim.Value = &onnxpb.TensorShapeProto_Dimension_DimParam{DimParam: d}
			}
			sp.Dim = append(sp.Dim, dim)
		}
		return sp
	}
	tt := func(dt ir.DType, sp *onnxpb.TensorShapeProto) *onnxpb.TypeProto {
		return &onnxpb.TypeProto{Value: &onnxpb.TypeProto_TensorType{TensorType: &onnxpb.TypeProto_Tensor{ElemType: int32(dt), Shape: sp}}}
	}
	seq := &onnxpb.TypeProto{Value: &onnxpb.TypeProto_SequenceType{SequenceType: &onnxpb.TypeProto_Sequence{ElemType: tt(ir.Float32, dims("m"))}}}
	g := &onnxpb.GraphProto{
		Name: "feeds",
		Node: []*onnxpb.NodeProto{
			lNode("Relu", ss("x"), ss("y")),
			lNode("Add", ss("k", "k"), ss("z")),
			lNode("SequenceAt", ss("s", "zero"), ss("e")),
		},
		Initializer: []*onnxpb.TensorProto{initOf("zero", i64(sh(), 0))},
		Input: []*onnxpb.ValueInfoProto{
			{Name: "x", Type: tt(ir.Float32, dims(2, "n"))},
			{Name: "k", Type: tt(ir.Int64, dims("n"))},
			{Name: "s", Type: seq},
		},
		Output: []*onnxpb.ValueInfoProto{{Name: "y"}, {Name: "z"}, {Name: "e"}},
	}
	m := &onnxpb.ModelProto{IrVersion: 8, OpsetImport: []*onnxpb.OperatorSetIdProto{{Version: 17}}, Graph: g}
	b, err := proto.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestFeedErrors(t *testing.T) {
	data := feedModel(t)
	goodX := func() *ir.Tensor { return f32(sh(2, 3), 1, -2, 3, -4, 5, -6) }
	goodK := func() *ir.Tensor { return i64(sh(3), 1, 2, 3) }
	goodS := func() *ir.Tensor { return seqOf(ir.Float32, f32(sh(2), 1, 2)) }
	cases := []struct {
		name    string
		x, k, s *ir.Tensor
		wantErr []string // substrings; nil: must succeed
	}{
		{name: "good"},
		{name: "x wrong dtype", x: ir.FromSlice([]float64{1, 2, 3, 4, 5, 6}, 2, 3), wantErr: []string{`"x"`, "dtype"}},
		{name: "x wrong rank", x: f32(sh(6), 1, 2, 3, 4, 5, 6), wantErr: []string{`"x"`, "rank"}},
		{name: "x wrong fixed dim", x: f32(sh(3, 2), 1, 2, 3, 4, 5, 6), wantErr: []string{`"x"`, "dim 0"}},
		{name: "symbol mismatch", k: i64(sh(2), 1, 2), wantErr: []string{`"k"`, "n"}},
		{name: "x nil data", x: &ir.Tensor{DType: ir.Float32, Shape: []int64{2, 3}}, wantErr: []string{`"x"`}},
		{name: "x short data", x: &ir.Tensor{DType: ir.Float32, Shape: []int64{2, 3}, Data: []float32{1, 2}}, wantErr: []string{`"x"`, "elements"}},
		{name: "x data of another type", x: &ir.Tensor{DType: ir.Float32, Shape: []int64{2, 3}, Data: []float64{1, 2, 3, 4, 5, 6}}, wantErr: []string{`"x"`, "float"}},
		{name: "x negative dim", x: &ir.Tensor{DType: ir.Float32, Shape: []int64{2, -3}, Data: []float32{}}, wantErr: []string{`"x"`}},
		{name: "x huge dims", x: &ir.Tensor{DType: ir.Float32, Shape: []int64{2, 1 << 62}, Data: []float32{}}, wantErr: []string{`"x"`}},
		{name: "x strings", x: ir.FromSlice([]string{"a", "b", "c", "d", "e", "f"}, 2, 3), wantErr: []string{`"x"`, "dtype"}},
		{name: "x a sequence", x: seqOf(ir.Float32, goodX()), wantErr: []string{`"x"`}},
		{name: "s a tensor", s: f32(sh(2), 1, 2), wantErr: []string{`"s"`}},
		{name: "s of int64", s: seqOf(ir.Int64, i64(sh(2), 1, 2)), wantErr: []string{`"s"`}},
		{name: "s item short data", s: seqOf(ir.Float32, &ir.Tensor{DType: ir.Float32, Shape: []int64{4}, Data: []float32{1}}), wantErr: []string{`"s"`}},
		{name: "s item nil", s: &ir.Tensor{Kind: ir.KindSequence, DType: ir.Float32, Items: []*ir.Tensor{nil}}, wantErr: []string{`"s"`}},
		{name: "s item of another dtype", s: &ir.Tensor{Kind: ir.KindSequence, DType: ir.Float32, Items: []*ir.Tensor{i64(sh(2), 1, 2)}}, wantErr: []string{`"s"`}},
		{name: "s item of another rank", s: seqOf(ir.Float32, f32(sh(1, 2), 1, 2)), wantErr: []string{`"s"`}},
	}
	for _, ref := range []bool{true, false} {
		s, err := runtime.LoadBytes(data, runtime.Options{Threads: 1, Reference: ref})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			x, k, sq := c.x, c.k, c.s
			if x == nil {
				x = goodX()
			}
			if k == nil {
				k = goodK()
			}
			if sq == nil {
				sq = goodS()
			}
			out, err := s.Run(context.Background(), map[string]*ir.Tensor{"x": x, "k": k, "s": sq})
			switch {
			case c.wantErr == nil && err != nil:
				t.Errorf("%s (reference %v): %v", c.name, ref, err)
			case c.wantErr == nil:
				if d := tensorDiff(out["y"], f32(sh(2, 3), 1, 0, 3, 0, 5, 0)); d != "" {
					t.Errorf("%s: y: %s", c.name, d)
				}
			case err == nil:
				t.Errorf("%s (reference %v): want an error, got none", c.name, ref)
			default:
				t.Logf("%s: %v", c.name, err)
				for _, w := range c.wantErr {
					if !strings.Contains(err.Error(), w) || strings.Contains(err.Error(), "BUG") {
						t.Errorf("%s (reference %v): error %q should name %s", c.name, ref, err, w)
					}
				}
			}
		}
		s.Close()
	}
}

func seqOf(dt ir.DType, items ...*ir.Tensor) *ir.Tensor {
	return &ir.Tensor{Kind: ir.KindSequence, DType: dt, Items: items}
}
