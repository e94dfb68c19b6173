package builder_test

import (
	"errors"
	"fmt"
	"path/filepath"

	"github.com/nncc/nncc/builder"
	"github.com/nncc/nncc/ir"
)

// The op level: one typed method per ONNX op, required inputs as
// parameters, optional inputs and attributes after them. Types are
// inferred as the graph grows.
func Example() {
	b := builder.New("mlp", 17, builder.Seed(42))
	x := b.Input("x", ir.Float32, "batch", 784)
	w1 := b.Weight("fc1/kernel", []int64{784, 128}, builder.HeUniform, builder.Fans{})
	b1 := b.Weight("fc1/bias", []int64{128}, builder.Zeros, builder.Fans{})
	h := b.Relu(b.Gemm(x, w1, b1))
	w2 := b.Weight("fc2/kernel", []int64{128, 10}, builder.GlorotUniform, builder.Fans{})
	logits := b.MatMul(h, w2)
	probs := b.Softmax(logits, builder.AttrAxis(-1))
	fmt.Println(h, logits.Type())

	g, err := b.Build(b.Output("probs", probs))
	if err != nil {
		panic(err)
	}
	fmt.Println(len(g.Nodes), "nodes,", len(g.Constants), "weights, output", g.Outputs[0].Type)
	// Output:
	// %Relu: float[batch,128] float[batch,10]
	// 4 nodes, 3 weights, output float[batch,10]
}

// A mistake is kept with the call site, the op and its inputs; the calls
// after it do nothing, and Build returns it. Its text reads
//
//	builder: example_test.go:44: MatMul(%x: float[batch,784], %w: float[100,10]): node "MatMul" (MatMul): matmul inner dimensions differ: [batch,784] and [100,10]
func ExampleBuilder_Err() {
	b := builder.New("bad", 17)
	x := b.Input("x", ir.Float32, "batch", 784)
	w := b.Weight("w", []int64{100, 10}, builder.GlorotUniform, builder.Fans{})
	y := b.MatMul(x, w) // 784 features against a 100-row weight
	y = b.Relu(y)
	_, err := b.Build(y)
	var e *builder.Error
	if errors.As(err, &e) {
		fmt.Println(filepath.Base(e.File), e.Line, e.Op+e.Args)
	}
	// Output:
	// example_test.go 44 MatMul(%x: float[batch,784], %w: float[100,10])
}
