package layers_test

import (
	"bytes"
	"testing"

	"github.com/nncc/nncc/builder"
	"github.com/nncc/nncc/builder/layers"
	"github.com/nncc/nncc/frontend/onnx"
	"github.com/nncc/nncc/ir"
)

// families builds one small model per layer family, at the given opset.
func families(opset int64) map[string]func() *builder.Builder {
	seq := func(name string, in func(b *builder.Builder) *builder.Value, ls ...layers.Layer) func() *builder.Builder {
		return func() *builder.Builder {
			b := builder.New(name, opset)
			b.Output("y", layers.Sequential(ls...).Call(in(b)))
			return b
		}
	}
	img := func(c int) func(b *builder.Builder) *builder.Value {
		return func(b *builder.Builder) *builder.Value { return b.Input("x", ir.Float32, "batch", c, 8, 8) }
	}
	seqIn := func(b *builder.Builder) *builder.Value { return b.Input("x", ir.Float32, "batch", 6, 5) }
	ids := func(b *builder.Builder) *builder.Value { return b.Input("ids", ir.Float32, "batch", 6) }
	return map[string]func() *builder.Builder{
		"cnn": seq("cnn", img(1),
			layers.Conv2D(4, 3, layers.ReLU, layers.Padding("same")), layers.MaxPool2D(2),
			layers.Conv2D(8, 3, layers.ReLU, layers.Strides(2), layers.Padding("same")), layers.AveragePool2D(2, layers.Padding("same")),
			layers.BatchNorm(), layers.Flatten(), layers.Dense(6, layers.GELU), layers.Dense(3, layers.Softmax)),
		"rnn": seq("rnn", seqIn,
			layers.SimpleRNN(4, layers.ReturnSequences()), layers.GRU(4, layers.ReturnSequences()),
			layers.LSTM(4), layers.Dense(2, layers.Sigmoid)),
		"embed": seq("embed", ids,
			layers.Embedding(10, 4), layers.LSTM(4), layers.Dropout(0.5), layers.Dense(2, layers.Softmax)),
		"transformer": seq("transformer", ids,
			layers.Embedding(10, 8), layers.PositionalEncoding(), layers.TransformerEncoder(2, 16),
			layers.TransformerEncoder(2, 16, layers.NormalizeFirst(), layers.Causal(), layers.DropoutRate(0.1)),
			layers.LayerNorm(), layers.Dense(3, layers.Tanh)),
		"gan": seq("gan", func(b *builder.Builder) *builder.Value { return b.Input("z", ir.Float32, "batch", 4) },
			layers.Dense(8, layers.LeakyReLU(0.2)), layers.Dropout(0.3), layers.Dense(16, layers.Tanh),
			layers.Reshape([]int64{1, 4, 4})),
	}
}

// TestExportRoundTrip exports every family at several opsets and checks
// the declared opset, the symbolic batch dimension, stable bytes (building
// twice gives the same file), and import(export(g)) == g.
func TestExportRoundTrip(t *testing.T) {
	for _, opset := range []int64{11, 13, 17, 21} {
		for name, mk := range families(opset) {
			g, err := mk().Build()
			if err != nil {
				t.Fatalf("opset %d %s: %v", opset, name, err)
			}
			m, err := onnx.Export(g, opset)
			if err != nil {
				t.Fatalf("opset %d %s: %v", opset, name, err)
			}
			if v := m.OpsetImport[0]; v.Domain != "" || v.Version != opset {
				t.Errorf("opset %d %s: opset import %v", opset, name, v)
			}
			for _, vi := range append(m.Graph.Input, m.Graph.Output...) {
				if p := vi.Type.GetTensorType().Shape.Dim[0].GetDimParam(); p != "batch" {
					t.Errorf("opset %d %s: %s's first dim is %q, not batch", opset, name, vi.Name, p)
				}
			}
			data, err := onnx.Encode(g)
			if err != nil {
				t.Fatal(err)
			}
			g2, err := families(opset)[name]().Build() // fresh layers
			if err != nil {
				t.Fatal(err)
			}
			again, _ := onnx.Encode(g2)
			if !bytes.Equal(data, again) {
				t.Errorf("opset %d %s: building twice gives different files", opset, name)
			}
			back, err := onnx.Decode(data)
			if err != nil {
				t.Fatalf("opset %d %s: decode: %v", opset, name, err)
			}
			if a, z := ir.Format(g), ir.Format(back); a != z {
				t.Errorf("opset %d %s: import(export(g)) differs:\n--- built\n%s--- imported\n%s", opset, name, a, z)
			}
		}
	}
}
