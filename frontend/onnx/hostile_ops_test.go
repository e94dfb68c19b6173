package onnx_test

import (
	"context"
	"fmt"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/nncc/nncc/frontend/onnx"
	"github.com/nncc/nncc/frontend/onnx/onnxpb"
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/runtime"
)

// hostileRun pushes one hand-made model through every entry point a user
// has — decoding (nncc inspect), a session on the reference and the
// optimised path with a Run (nncc check, nncc run) and compiling an
// artifact (nncc compile) — and returns the first error. A panic that
// escapes, an error reporting an internal bug, or a run longer than the
// deadline fails the test.
func hostileRun(t *testing.T, c legacyCase) error {
	t.Helper()
	data := c.model(t)
	type answer struct {
		err   error
		panic string
	}
	done := make(chan answer, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- answer{panic: fmt.Sprintf("%v\n%s", r, debug.Stack())}
			}
		}()
		done <- answer{err: hostileSteps(c, data)}
	}()
	select {
	case a := <-done:
		if a.panic != "" {
			t.Fatalf("panic: %s", a.panic)
		}
		if a.err != nil && strings.Contains(a.err.Error(), "BUG") {
			t.Fatalf("internal error instead of a user error: %v", a.err)
		}
		return a.err
	case <-time.After(20 * time.Second):
		t.Fatalf("still running after 20s")
	}
	return nil
}

func hostileSteps(c legacyCase, data []byte) error {
	g, err := onnx.Decode(data)
	if err != nil {
		return fmt.Errorf("decode: %w", err)
	}
	if _, err := runtime.Compile(g, runtime.Options{Threads: 1}, ""); err != nil {
		return fmt.Errorf("compile: %w", err)
	}
	for _, ref := range []bool{true, false} {
		opts := runtime.Options{Threads: 1, Reference: ref, MaxTensorElements: 1 << 26}
		s, err := runtime.LoadBytes(data, opts)
		if err != nil {
			return fmt.Errorf("load (reference %v): %w", ref, err)
		}
		in := map[string]*ir.Tensor{}
		for _, f := range c.feeds {
			in[f.name] = f.t
		}
		_, err = s.Run(context.Background(), in)
		s.Close()
		if err != nil {
			return fmt.Errorf("run (reference %v): %w", ref, err)
		}
	}
	return nil
}

// runHostile runs cases that must fail with an error containing wantErr.
func runHostile(t *testing.T, cases []legacyCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := hostileRun(t, c)
			t.Log(err)
			if err == nil {
				t.Fatalf("want an error containing %q, got none", c.wantErr)
			}
			if !strings.Contains(err.Error(), c.wantErr) {
				t.Fatalf("error %q does not contain %q", err, c.wantErr)
			}
		})
	}
}

func TestHostileOps(t *testing.T) {
	img := feed{"x", f32(sh(1, 1, 2, 2), 1, 2, 3, 4)}
	const huge = int64(1) << 40
	runHostile(t, []legacyCase{
		{name: "Resize-13 huge scales", opset: 13, feeds: []feed{img},
			inits: []*onnxpb.TensorProto{initOf("s", f32(sh(4), 1, 1, 1e6, 1e6))},
			nodes: []*onnxpb.NodeProto{lNode("Resize", ss("x", "", "s"), ss("y"))}, wantErr: "elements"},
		{name: "Resize-13 huge sizes", opset: 13, feeds: []feed{img},
			inits: []*onnxpb.TensorProto{initOf("z", i64(sh(4), 1, 1, huge, 1))},
			nodes: []*onnxpb.NodeProto{lNode("Resize", ss("x", "", "", "z"), ss("y"))}, wantErr: "Resize"},
		{name: "Resize-13 negative sizes", opset: 13, feeds: []feed{img},
			inits: []*onnxpb.TensorProto{initOf("z", i64(sh(4), 1, 1, -4, 2))},
			nodes: []*onnxpb.NodeProto{lNode("Resize", ss("x", "", "", "z"), ss("y"))}, wantErr: "Resize"},
		{name: "Resize-13 nan scale", opset: 13, feeds: []feed{img},
			inits: []*onnxpb.TensorProto{initOf("s", f32(sh(4), 1, 1, float32NaN(), 2))},
			nodes: []*onnxpb.NodeProto{lNode("Resize", ss("x", "", "s"), ss("y"))}, wantErr: "Resize"},
		{name: "Resize-13 negative scale", opset: 13, feeds: []feed{img},
			inits: []*onnxpb.TensorProto{initOf("s", f32(sh(4), 1, 1, -2, 2))},
			nodes: []*onnxpb.NodeProto{lNode("Resize", ss("x", "", "s"), ss("y"))}, wantErr: "Resize"},
		{name: "Resize-13 scales wrong length", opset: 13, feeds: []feed{img},
			inits: []*onnxpb.TensorProto{initOf("s", f32(sh(3), 1, 2, 2))},
			nodes: []*onnxpb.NodeProto{lNode("Resize", ss("x", "", "s"), ss("y"))}, wantErr: "Resize"},
		{name: "Resize-13 scales from feed huge", opset: 13, feeds: []feed{img, {"s", f32(sh(4), 1, 1, 1e7, 1e7)}},
			nodes: []*onnxpb.NodeProto{lNode("Resize", ss("x", "", "s"), ss("y"))}, wantErr: "elements"},
		{name: "Resize-10 huge", opset: 10, feeds: []feed{img},
			inits: []*onnxpb.TensorProto{initOf("s", f32(sh(4), 1, 1, 1e9, 1e9))},
			nodes: []*onnxpb.NodeProto{lNode("Resize", ss("x", "s"), ss("y"))}, wantErr: "elements"},
		{name: "Upsample-9 scales below one", opset: 9, feeds: []feed{img},
			inits: []*onnxpb.TensorProto{initOf("s", f32(sh(4), 1, 1, 0.5, -1))},
			nodes: []*onnxpb.NodeProto{lNode("Upsample", ss("x", "s"), ss("y"))}, wantErr: "Upsample"},
		{name: "Expand negative dim", opset: 13, feeds: []feed{img},
			inits: []*onnxpb.TensorProto{initOf("s", i64(sh(4), 1, -3, 2, 2))},
			nodes: []*onnxpb.NodeProto{lNode("Expand", ss("x", "s"), ss("y"))}, wantErr: "Expand"},
		{name: "Reshape -2", opset: 13, feeds: []feed{img},
			inits: []*onnxpb.TensorProto{initOf("s", i64(sh(2), -2, -2))},
			nodes: []*onnxpb.NodeProto{lNode("Reshape", ss("x", "s"), ss("y"))}, wantErr: "Reshape"},
		{name: "Reshape two -1", opset: 13, feeds: []feed{img},
			inits: []*onnxpb.TensorProto{initOf("s", i64(sh(2), -1, -1))},
			nodes: []*onnxpb.NodeProto{lNode("Reshape", ss("x", "s"), ss("y"))}, wantErr: "Reshape"},
		{name: "Conv zero dilation", opset: 13, feeds: []feed{img},
			inits: []*onnxpb.TensorProto{initOf("w", f32(sh(1, 1, 1, 1), 1))},
			nodes: []*onnxpb.NodeProto{lNode("Conv", ss("x", "w"), ss("y"), aInts("dilations", 0, 0))}, wantErr: "Conv"},
		{name: "Conv kernel larger than input", opset: 13, feeds: []feed{img},
			inits: []*onnxpb.TensorProto{initOf("w", f32(sh(1, 1, 3, 3), iota32(9)...))},
			nodes: []*onnxpb.NodeProto{lNode("Conv", ss("x", "w"), ss("y"))}, wantErr: "Conv"},
		{name: "Conv group does not divide", opset: 13, feeds: []feed{img},
			inits: []*onnxpb.TensorProto{initOf("w", f32(sh(3, 1, 1, 1), 1, 2, 3))},
			nodes: []*onnxpb.NodeProto{lNode("Conv", ss("x", "w"), ss("y"), aInt("group", 2))}, wantErr: "Conv"},
		{name: "Conv channels mismatch", opset: 13, feeds: []feed{img},
			inits: []*onnxpb.TensorProto{initOf("w", f32(sh(1, 2, 1, 1), 1, 2))},
			nodes: []*onnxpb.NodeProto{lNode("Conv", ss("x", "w"), ss("y"))}, wantErr: "Conv"},
		{name: "Conv negative group", opset: 13, feeds: []feed{img},
			inits: []*onnxpb.TensorProto{initOf("w", f32(sh(1, 1, 1, 1), 1))},
			nodes: []*onnxpb.NodeProto{lNode("Conv", ss("x", "w"), ss("y"), aInt("group", -1))}, wantErr: "Conv"},
		{name: "ConvTranspose huge output_shape", opset: 13, feeds: []feed{img},
			inits: []*onnxpb.TensorProto{initOf("w", f32(sh(1, 1, 1, 1), 1))},
			nodes: []*onnxpb.NodeProto{lNode("ConvTranspose", ss("x", "w"), ss("y"), aInts("output_shape", huge, huge))}, wantErr: "ConvTranspose"},
		{name: "ConvTranspose huge stride", opset: 13, feeds: []feed{img},
			inits: []*onnxpb.TensorProto{initOf("w", f32(sh(1, 1, 1, 1), 1))},
			nodes: []*onnxpb.NodeProto{lNode("ConvTranspose", ss("x", "w"), ss("y"), aInts("strides", huge, huge))}, wantErr: "ConvTranspose"},
		{name: "MaxPool zero kernel", opset: 13, feeds: []feed{img},
			nodes: []*onnxpb.NodeProto{lNode("MaxPool", ss("x"), ss("y"), aInts("kernel_shape", 0, 0))}, wantErr: "MaxPool"},
		{name: "MaxPool negative pads", opset: 13, feeds: []feed{img},
			nodes: []*onnxpb.NodeProto{lNode("MaxPool", ss("x"), ss("y"), aInts("kernel_shape", 1, 1), aInts("pads", -5, 0, 0, 0))}, wantErr: "MaxPool"},
		{name: "MaxPool kernel rank", opset: 13, feeds: []feed{img},
			nodes: []*onnxpb.NodeProto{lNode("MaxPool", ss("x"), ss("y"), aInts("kernel_shape", 1, 1, 1))}, wantErr: "MaxPool"},
		{name: "AveragePool huge pads", opset: 13, feeds: []feed{img},
			nodes: []*onnxpb.NodeProto{lNode("AveragePool", ss("x"), ss("y"), aInts("kernel_shape", 1, 1), aInts("pads", huge, huge, huge, huge))}, wantErr: "AveragePool"},
		{name: "Transpose perm duplicate", opset: 13, feeds: []feed{img},
			nodes: []*onnxpb.NodeProto{lNode("Transpose", ss("x"), ss("y"), aInts("perm", 0, 0, 1, 2))}, wantErr: "Transpose"},
		{name: "Transpose perm out of range", opset: 13, feeds: []feed{img},
			nodes: []*onnxpb.NodeProto{lNode("Transpose", ss("x"), ss("y"), aInts("perm", 0, 1, 2, 9))}, wantErr: "Transpose"},
		{name: "Concat rank mismatch", opset: 13, feeds: []feed{img, {"z", f32(sh(2), 1, 2)}},
			nodes: []*onnxpb.NodeProto{lNode("Concat", ss("x", "z"), ss("y"), aInt("axis", 0))}, wantErr: "Concat"},
		{name: "Concat axis out of range", opset: 13, feeds: []feed{img},
			nodes: []*onnxpb.NodeProto{lNode("Concat", ss("x", "x"), ss("y"), aInt("axis", 4))}, wantErr: "Concat"},
		{name: "Squeeze axis out of range", opset: 13, feeds: []feed{img},
			inits: []*onnxpb.TensorProto{initOf("a", i64(sh(1), 7))},
			nodes: []*onnxpb.NodeProto{lNode("Squeeze", ss("x", "a"), ss("y"))}, wantErr: "Squeeze"},
		{name: "Unsqueeze duplicate axes", opset: 13, feeds: []feed{img},
			inits: []*onnxpb.TensorProto{initOf("a", i64(sh(2), 0, 0))},
			nodes: []*onnxpb.NodeProto{lNode("Unsqueeze", ss("x", "a"), ss("y"))}, wantErr: "Unsqueeze"},
		{name: "Slice zero step", opset: 13, feeds: []feed{img},
			inits: []*onnxpb.TensorProto{initOf("s", i64(sh(1), 0)), initOf("e", i64(sh(1), 2)), initOf("a", i64(sh(1), 2)), initOf("p", i64(sh(1), 0))},
			nodes: []*onnxpb.NodeProto{lNode("Slice", ss("x", "s", "e", "a", "p"), ss("y"))}, wantErr: "Slice"},
		{name: "Split sizes too big", opset: 13, feeds: []feed{img},
			inits: []*onnxpb.TensorProto{initOf("s", i64(sh(2), 1, huge))},
			nodes: []*onnxpb.NodeProto{lNode("Split", ss("x", "s"), ss("a", "b"), aInt("axis", 2))}, wantErr: "Split"},
		{name: "Split negative size", opset: 13, feeds: []feed{img},
			inits: []*onnxpb.TensorProto{initOf("s", i64(sh(2), 3, -1))},
			nodes: []*onnxpb.NodeProto{lNode("Split", ss("x", "s"), ss("a", "b"), aInt("axis", 2))}, wantErr: "Split"},
		{name: "TopK negative k", opset: 13, feeds: []feed{img},
			inits: []*onnxpb.TensorProto{initOf("k", i64(sh(1), -1))},
			nodes: []*onnxpb.NodeProto{lNode("TopK", ss("x", "k"), ss("v", "i"))}, wantErr: "TopK"},
		{name: "TopK k from feed too big", opset: 13, feeds: []feed{img, {"k", i64(sh(1), huge)}},
			nodes: []*onnxpb.NodeProto{lNode("TopK", ss("x", "k"), ss("v", "i"))}, wantErr: "TopK"},
		{name: "Gather index from feed out of range", opset: 13, feeds: []feed{img, {"i", i64(sh(1), 1<<40)}},
			nodes: []*onnxpb.NodeProto{lNode("Gather", ss("x", "i"), ss("y"), aInt("axis", 2))}, wantErr: "Gather"},
		{name: "GatherElements index out of range", opset: 13, feeds: []feed{img, {"i", i64(sh(1, 1, 2, 2), 0, 5, 0, -9)}},
			nodes: []*onnxpb.NodeProto{lNode("GatherElements", ss("x", "i"), ss("y"), aInt("axis", 3))}, wantErr: "GatherElements"},
		{name: "ScatterND index out of range", opset: 13, feeds: []feed{img, {"i", i64(sh(1, 1), 3)}, {"u", f32(sh(1, 1, 2, 2), 1, 2, 3, 4)}},
			nodes: []*onnxpb.NodeProto{lNode("ScatterND", ss("x", "i", "u"), ss("y"))}, wantErr: "ScatterND"},
		{name: "Tile repeats from feed negative", opset: 13, feeds: []feed{img, {"r", i64(sh(4), 1, 1, -1, 1)}},
			nodes: []*onnxpb.NodeProto{lNode("Tile", ss("x", "r"), ss("y"))}, wantErr: "Tile"},
		{name: "Tile repeats from feed huge", opset: 13, feeds: []feed{img, {"r", i64(sh(4), 1, 1, huge, huge)}},
			nodes: []*onnxpb.NodeProto{lNode("Tile", ss("x", "r"), ss("y"))}, wantErr: "elements"},
		{name: "Expand shape from feed huge", opset: 13, feeds: []feed{img, {"s", i64(sh(4), huge, 1, 2, 2)}},
			nodes: []*onnxpb.NodeProto{lNode("Expand", ss("x", "s"), ss("y"))}, wantErr: "elements"},
		{name: "Range from feed huge", opset: 13, feeds: []feed{{"a", f32(sh(), 0)}, {"b", f32(sh(), 1e15)}, {"d", f32(sh(), 1)}},
			nodes: []*onnxpb.NodeProto{lNode("Range", ss("a", "b", "d"), ss("y"))}, wantErr: "Range"},
		{name: "Einsum bad equation", opset: 13, feeds: []feed{img},
			nodes: []*onnxpb.NodeProto{lNode("Einsum", ss("x"), ss("y"), aStr("equation", "ab,,->-"))}, wantErr: "Einsum"},
		{name: "Einsum rank mismatch", opset: 13, feeds: []feed{img},
			nodes: []*onnxpb.NodeProto{lNode("Einsum", ss("x"), ss("y"), aStr("equation", "ij->j"))}, wantErr: "Einsum"},
		{name: "LSTM W shape mismatch", opset: 14, feeds: []feed{{"x", f32(sh(1, 1, 2), 1, 2)}},
			inits: []*onnxpb.TensorProto{initOf("w", f32(sh(1, 4, 2), iota32(8)...)), initOf("r", f32(sh(1, 4, 1), 1, 2, 3, 4))},
			nodes: []*onnxpb.NodeProto{lNode("LSTM", ss("x", "w", "r"), ss("y"), aInt("hidden_size", 1<<40))}, wantErr: "LSTM"},
		{name: "RNN sequence_lens out of range", opset: 14, feeds: []feed{{"x", f32(sh(1, 1, 2), 1, 2)}, {"l", ir.FromSlice([]int32{7}, 1)}},
			inits: []*onnxpb.TensorProto{initOf("w", f32(sh(1, 1, 2), 1, 2)), initOf("r", f32(sh(1, 1, 1), 1))},
			nodes: []*onnxpb.NodeProto{lNode("RNN", ss("x", "w", "r", "", "l"), ss("y"), aInt("hidden_size", 1))}, wantErr: "RNN"},
		{name: "Add of strings", opset: 13, feeds: []feed{{"a", ir.FromSlice([]string{"a"}, 1)}},
			nodes: []*onnxpb.NodeProto{lNode("Add", ss("a", "a"), ss("y"))}, wantErr: "Add"},
		{name: "Relu of string", opset: 13, feeds: []feed{{"a", ir.FromSlice([]string{"a"}, 1)}},
			nodes: []*onnxpb.NodeProto{lNode("Relu", ss("a"), ss("y"))}, wantErr: "Relu"},
		{name: "Conv with string weights", opset: 13, feeds: []feed{img, {"w", ir.FromSlice([]string{"a"}, 1, 1, 1, 1)}},
			nodes: []*onnxpb.NodeProto{lNode("Conv", ss("x", "w"), ss("y"))}, wantErr: "Conv"},
		{name: "MatMul float by int", opset: 13, feeds: []feed{img, {"w", i64(sh(2, 2), 1, 2, 3, 4)}},
			nodes: []*onnxpb.NodeProto{lNode("MatMul", ss("x", "w"), ss("y"))}, wantErr: "MatMul"},
		{name: "Reshape shape of floats", opset: 13, feeds: []feed{img, {"s", f32(sh(2), 2, 2)}},
			nodes: []*onnxpb.NodeProto{lNode("Reshape", ss("x", "s"), ss("y"))}, wantErr: "Reshape"},
		{name: "Cast string to float garbage", opset: 13, feeds: []feed{{"a", ir.FromSlice([]string{"1e999x"}, 1)}},
			nodes: []*onnxpb.NodeProto{lNode("Cast", ss("a"), ss("y"), aInt("to", int64(ir.Float32)))}, wantErr: "Cast"},
		{name: "missing required input", opset: 13, feeds: []feed{img},
			nodes: []*onnxpb.NodeProto{lNode("Conv", ss("x", ""), ss("y"))}, wantErr: "Conv"},
		{name: "value produced twice", opset: 13, feeds: []feed{img},
			nodes: []*onnxpb.NodeProto{lNode("Relu", ss("x"), ss("y")), lNode("Neg", ss("x"), ss("y"))}, wantErr: "y"},
		{name: "input read before produced", opset: 13, feeds: []feed{img},
			nodes: []*onnxpb.NodeProto{lNode("Relu", ss("t"), ss("y")), lNode("Neg", ss("y"), ss("t"))}, wantErr: "cycle"},
		{name: "node writes a graph input", opset: 13, feeds: []feed{img},
			nodes: []*onnxpb.NodeProto{lNode("Relu", ss("x"), ss("x"))}, wantErr: "x"},
		{name: "node with no outputs", opset: 13, feeds: []feed{img},
			nodes: []*onnxpb.NodeProto{lNode("Relu", ss("x"), nil), lNode("Neg", ss("x"), ss("y"))}, wantErr: "Relu"},
	})
}
