package layers_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nncc/nncc/builder"
	"github.com/nncc/nncc/builder/layers"
	"github.com/nncc/nncc/frontend/onnx"
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/runtime"
)

// runGraph runs g on one deterministic input per graph input.
func runGraph(t *testing.T, g *ir.Graph) *ir.Tensor {
	t.Helper()
	ins := map[string]*ir.Tensor{}
	for _, in := range g.Inputs {
		shape := make([]int64, len(in.Type.Shape))
		for i, d := range in.Type.Shape {
			shape[i] = d.Size
			if !d.Known() {
				shape[i] = 2
			}
		}
		x := wave(shape...)
		if in.Name == "ids" { // token ids, as float32
			for i := range x.F32() {
				x.F32()[i] = float32(i % 7)
			}
		}
		ins[in.Name] = x
	}
	s, err := runtime.NewSession(g, runtime.Options{Threads: 1, Reference: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	res, err := s.Run(context.Background(), ins)
	if err != nil {
		t.Fatal(err)
	}
	return res[g.Outputs[0].Name]
}

// TestSameModelAcrossOpsets checks that each family computes the same
// function whatever opset it is written for: the weights depend only on
// the seed and their names, and the layers choose the op forms (LayerNorm
// and GELU decomposed before opsets 17 and 20, axes as attributes or
// inputs, ...).
func TestSameModelAcrossOpsets(t *testing.T) {
	want := map[string]*ir.Tensor{}
	for _, opset := range []int64{21, 17, 13, 11} {
		for name, mk := range families(opset) {
			g, err := mk().Build()
			if err != nil {
				t.Fatalf("opset %d %s: %v", opset, name, err)
			}
			got := runGraph(t, g)
			ref, ok := want[name]
			if !ok {
				want[name] = got
				continue
			}
			if fmt.Sprint(ref.Shape) != fmt.Sprint(got.Shape) {
				t.Fatalf("opset %d %s: shape %v, want %v", opset, name, got.Shape, ref.Shape)
			}
			for i, v := range got.F32() {
				if w := ref.F32()[i]; math.Abs(float64(v-w)) > 1e-5+1e-4*math.Abs(float64(w)) {
					t.Errorf("opset %d %s: element %d is %g, at opset 21 %g", opset, name, i, v, w)
					break
				}
			}
		}
	}
}

func TestLayerMistakes(t *testing.T) {
	cases := []struct {
		name string
		call func(b *builder.Builder)
		want []string
	}{
		{"option", func(b *builder.Builder) {
			layers.Dense(3, layers.Strides(2)).Call(b.Input("x", ir.Float32, "batch", 4))
		}, []string{"layers_test.go:", "dense (Dense)", "does not take the option(s) Strides"}},
		{"rank", func(b *builder.Builder) {
			layers.Conv2D(3, 3).Call(b.Input("x", ir.Float32, "batch", 4))
		}, []string{"conv2d (Conv2D)", "expects a [batch, channels, height, width] input, got float[batch,4]"}},
		{"unknown features", func(b *builder.Builder) {
			layers.Dense(3).Call(b.Input("x", ir.Float32, "batch", "n"))
		}, []string{"dense (Dense)", "last dimension"}},
		{"heads", func(b *builder.Builder) {
			layers.TransformerEncoder(3, 8).Call(b.Input("x", ir.Float32, "batch", 5, 8))
		}, []string{"transformer_encoder (TransformerEncoder)", "multiple of the number of heads 3"}},
		{"same name", func(b *builder.Builder) {
			x := b.Input("x", ir.Float32, "batch", 4)
			layers.Dense(3, layers.Name("fc")).Call(layers.Dense(4, layers.Name("fc")).Call(x))
		}, []string{`name "fc" is used by two layers`}},
		{"reuse with other features", func(b *builder.Builder) {
			d := layers.Dense(3)
			d.Call(b.Input("x", ir.Float32, "batch", 4))
			d.Call(b.Input("y", ir.Float32, "batch", 5))
		}, []string{"dense (Dense)", "was built for 4 input features"}},
		{"padding", func(b *builder.Builder) {
			layers.MaxPool2D(2, layers.Padding("full")).Call(b.Input("x", ir.Float32, "batch", 1, 4, 4))
		}, []string{"max_pooling2d (MaxPool2D)", `padding must be "valid" or "same"`}},
		{"positional length", func(b *builder.Builder) {
			layers.PositionalEncoding().Call(b.Input("x", ir.Float32, "batch", "time", 4))
		}, []string{"positional_encoding (PositionalEncoding)", "MaxLength"}},
	}
	for _, c := range cases {
		b := builder.New("bad", 17)
		c.call(b)
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
		if !errors.As(err, &be) || filepath.Base(be.File) != "layers_test.go" {
			t.Errorf("%s: call site %q, want this file", c.name, be.File)
		}
	}
}

func TestLayerNamesAndReuse(t *testing.T) {
	b := builder.New("names", 17)
	x := b.Input("x", ir.Float32, "batch", 4)
	shared := layers.Dense(4)
	y := shared.Call(shared.Call(layers.Dense(4).Call(x)))
	g, err := b.Build(y)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range g.Constants {
		names = append(names, c.Name)
	}
	if got := strings.Join(names, " "); got != "dense/kernel dense/bias dense_1/kernel dense_1/bias" {
		t.Errorf("weights %s", got)
	}
	if n := g.Nodes[len(g.Nodes)-1].Name; n != "dense_1/Gemm_1" {
		t.Errorf("second call of a shared layer named %q", n)
	}
}

// TestLoadWeightsFromONNX saves a model, builds it again with another
// seed, loads the weights by name from the file and checks the outputs
// agree.
func TestLoadWeightsFromONNX(t *testing.T) {
	build := func(seed uint64) *builder.Builder {
		b := builder.New("m", 17, builder.Seed(seed))
		x := b.Input("x", ir.Float32, "batch", 6, 5)
		b.Output("y", layers.Sequential(layers.LSTM(4), layers.Dense(3, layers.Softmax)).Call(x))
		return b
	}
	first, err := build(1).Build()
	if err != nil {
		t.Fatal(err)
	}
	data, err := onnx.Encode(first)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "model.onnx")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	b := build(2)
	loaded, missing, err := b.LoadWeightsFile(path, nil)
	if err != nil || len(loaded) != 5 || len(missing) != 0 {
		t.Fatalf("LoadWeightsFile: %v loaded, %v missing, %v", loaded, missing, err)
	}
	second, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	a, z := runGraph(t, first), runGraph(t, second)
	for i := range a.F32() {
		if a.F32()[i] != z.F32()[i] {
			t.Fatalf("outputs differ after loading the weights: %v vs %v", a, z)
		}
	}
}

// TestPositionalEncodingDynamicLength checks the sliced table used when the
// length is unknown against the constant used when it is known.
func TestPositionalEncodingDynamicLength(t *testing.T) {
	build := func(time any) *ir.Graph {
		b := builder.New("pe", 17)
		x := b.Input("x", ir.Float32, "batch", time, 8)
		g, err := b.Build(layers.PositionalEncoding(layers.MaxLength(10)).Call(x))
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	static, dynamic := build(6), build("time")
	// The time axis comes out unknown: broadcasting a symbolic dim against
	// the sliced table's unknown one cannot name it.
	if got := dynamic.Outputs[0].Type.String(); got != "float[batch,?,8]" {
		t.Errorf("dynamic output type %s", got)
	}
	x := wave(2, 6, 8)
	run := func(g *ir.Graph) *ir.Tensor {
		s, err := runtime.NewSession(g, runtime.Options{Threads: 1})
		if err != nil {
			t.Fatal(err)
		}
		res, err := s.Run(context.Background(), map[string]*ir.Tensor{"x": x})
		if err != nil {
			t.Fatal(err)
		}
		return res[g.Outputs[0].Name]
	}
	a, z := run(static), run(dynamic)
	for i := range a.F32() {
		if a.F32()[i] != z.F32()[i] {
			t.Fatalf("element %d: %g (static) vs %g (dynamic)", i, a.F32()[i], z.F32()[i])
		}
	}
	// Position 1, feature 0 is sin(1); feature 1 is cos(1).
	if d := a.F32()[8] - x.F32()[8] - float32(math.Sin(1)); math.Abs(float64(d)) > 1e-6 {
		t.Errorf("encoding of position 1 off by %g", d)
	}
}

func TestNilInputDoesNotPanic(t *testing.T) {
	b := builder.New("nil", 17)
	y := layers.Sequential(layers.Dense(3), layers.Flatten()).Call(nil)
	b.Output("y", y)
	if b.Err() == nil {
		t.Errorf("no error for a model called on nil")
	}
}
