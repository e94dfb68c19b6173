package ir

import "testing"

// TestInferResizeSymbolicBatch checks Resize's output shape when the
// batch is symbolic and the scales are constant: the concrete dimensions
// are scaled, the batch (scale 1) keeps its symbol, and a symbolic
// dimension that is scaled becomes unknown.
func TestInferResizeSymbolicBatch(t *testing.T) {
	x := rnVal(TensorOf(Float32, Shape{Sym("N"), D(8), D(5), Sym("W")}))
	cases := []struct {
		name   string
		op     string
		opset  int64
		attrs  Attrs
		scales []float32
		want   string
	}{
		{"resize scales", "Resize", 13, nil, []float32{1, 1, 2, 1}, "float[N,8,10,W]"},
		{"resize scaled symbol", "Resize", 13, nil, []float32{1, 1, 1.5, 2}, "float[N,8,7,?]"},
		{"upsample attribute", "Upsample", 9, nil, []float32{1, 1, 2, 1}, "float[N,8,10,W]"},
	}
	for _, c := range cases {
		in := []*Value{x}
		switch {
		case c.op == "Resize":
			empty := rnConst(FromSlice([]float32{}, 0))
			in = append(in, empty, rnConst(FromSlice(c.scales, int64(len(c.scales)))))
		case c.op == "Upsample":
			in = append(in, rnConst(FromSlice(c.scales, int64(len(c.scales)))))
		}
		out := rnInfer(t, c.op, c.opset, c.attrs, 1, in...)
		if got := out[0].String(); got != c.want {
			t.Errorf("%s: got %s, want %s", c.name, got, c.want)
		}
	}
	axes := Attrs{}
	axes.SetInts("axes", []int64{2, 3})
	out := rnInfer(t, "Resize", 18, axes, 1, x, rnConst(FromSlice([]float32{}, 0)), rnConst(FromSlice([]float32{3, 1}, 2)))
	if got := out[0].String(); got != "float[N,8,15,W]" {
		t.Errorf("axes: got %s, want float[N,8,15,W]", got)
	}
}
