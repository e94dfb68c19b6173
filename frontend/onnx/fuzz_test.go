package onnx

import (
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/nncc/nncc/frontend/onnx/onnxpb"
	"github.com/nncc/nncc/ir"
)

// FuzzDecode checks that no model bytes make the decoder panic (Decode
// turns panics into "internal error" errors, which would be a bug).
func FuzzDecode(f *testing.F) {
	then := &onnxpb.GraphProto{Node: []*onnxpb.NodeProto{tnd("Id", ss("x"), ss("t"))}, Output: []*onnxpb.ValueInfoProto{vi("t", ir.Float32, 2)}}
	g := &onnxpb.GraphProto{
		Input:       []*onnxpb.ValueInfoProto{vi("x", ir.Float32, "N", 2), vi("c", ir.Bool)},
		Initializer: []*onnxpb.TensorProto{floatTensor("w", []int64{2}, 1, 2), {Name: "q", DataType: int32(ir.Int4), Dims: []int64{3}, RawData: []byte{1, 2}}},
		Node: []*onnxpb.NodeProto{
			tnd("Add", ss("x", "w"), ss("a")),
			nd("If", ss("c"), ss("y"), graphAttr("then_branch", then), graphAttr("else_branch", then)),
			{OpType: "AddTwice", Domain: "local", Input: ss("a", "w"), Output: ss("z")},
		},
		Output: []*onnxpb.ValueInfoProto{vi("y", ir.Float32, 2), vi("z", ir.Float32, 2)},
	}
	b, _ := proto.Marshal(modelOf(g, addTwice()))
	f.Add(b)
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := Decode(data, WithLimits(Limits{MaxTensorBytes: 1 << 20, MaxNodes: 1000}))
		if err != nil && strings.Contains(err.Error(), "internal error") {
			t.Fatal(err)
		}
	})
}

// FuzzTensor checks TensorFromProto and the value readers on arbitrary
// bytes.
func FuzzTensor(f *testing.F) {
	for _, d := range allDTypes() {
		tp, _ := TensorToProto(sample(d))
		b, _ := proto.Marshal(tp)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		lim := Limits{MaxTensorBytes: 1 << 20}
		tp := &onnxpb.TensorProto{}
		if proto.Unmarshal(data, tp) == nil {
			if x, err := TensorFromProto(tp, "", lim); err == nil {
				if _, err := TensorToProto(x); err != nil {
					t.Fatalf("decoded tensor does not encode: %v", err)
				}
			}
		}
		r := valueReader{lim: lim}
		sp := &onnxpb.SequenceProto{}
		if proto.Unmarshal(data, sp) == nil {
			r.sequence(sp, ir.Type{Kind: ir.KindSequence}, 0)
		}
		op := &onnxpb.OptionalProto{}
		if proto.Unmarshal(data, op) == nil {
			r.optional(op, ir.Type{Kind: ir.KindOptional}, 0)
		}
		mp := &onnxpb.MapProto{}
		if proto.Unmarshal(data, mp) == nil {
			r.mapValue(mp, ir.Type{Kind: ir.KindMap}, 0)
		}
	})
}
