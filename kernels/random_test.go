package kernels

import (
	"math"
	"testing"

	"github.com/nncc/nncc/ir"
)

func TestNumpyRNGStream(t *testing.T) {
	// MT19937's reference output for init_genrand(5489).
	if got := newNumpyRNG(5489).Uint32(); got != 3499211612 {
		t.Fatalf("MT19937(5489) first output = %d, want 3499211612", got)
	}
	// numpy: RandomState(0).random_sample(2) and RandomState(0).randn(3).
	r := newNumpyRNG(0)
	for i, want := range []float64{0.5488135039273248, 0.7151893663724195} {
		if got := r.Float64(); got != want {
			t.Errorf("uniform %d = %.17g, want %.17g", i, got, want)
		}
	}
	r = newNumpyRNG(0)
	for i, want := range []float64{1.764052345967664, 0.4001572083672233, 0.978737984105739} {
		if got := r.Gauss(); math.Abs(got-want) > 1e-15 {
			t.Errorf("gauss %d = %.17g, want %.17g", i, got, want)
		}
	}
}

// rndRun builds op with attrs and runs it once.
func rndRun(t *testing.T, op string, attrs ir.Attrs, in ...*ir.Tensor) *ir.Tensor {
	t.Helper()
	n := &ir.Node{Name: "n", Op: op, Attrs: attrs, Opset: 22}
	b := &Build{Node: n}
	for _, x := range in {
		typ := ir.TypeOfTensor(x)
		b.InTypes = append(b.InTypes, &typ)
	}
	builder, ok := Lookup("", op)
	if !ok {
		t.Fatalf("no kernel for %s", op)
	}
	f, err := builder(b)
	if err != nil {
		t.Fatal(err)
	}
	c := &Ctx{Outs: make([]*ir.Tensor, 1), Pool: Serial{}, Node: n}
	if err := f(c, in); err != nil {
		t.Fatal(err)
	}
	return c.Outs[0]
}

func rndMoments(t *ir.Tensor) (mean, variance float64) {
	n := t.Len()
	for i := 0; i < n; i++ {
		mean += t.Float64At(i)
	}
	mean /= float64(n)
	for i := 0; i < n; i++ {
		d := t.Float64At(i) - mean
		variance += d * d
	}
	return mean, variance / float64(n)
}

func TestRandomDistributions(t *testing.T) {
	const n = 200000
	// Tolerances are ~6 standard errors of the estimates.
	tests := []struct {
		name       string
		op         string
		attrs      ir.Attrs
		in         []*ir.Tensor
		dtype      ir.DType
		mean, vari float64
	}{
		{"normal", "RandomNormal", rndAttrs(map[string]any{"shape": []int64{n}, "mean": float32(2), "scale": float32(3)}), nil, ir.Float32, 2, 9},
		{"normal f64 seeded", "RandomNormal", rndAttrs(map[string]any{"shape": []int64{400, 500}, "seed": float32(7), "dtype": int64(11)}), nil, ir.Float64, 0, 1},
		{"uniform", "RandomUniform", rndAttrs(map[string]any{"shape": []int64{n}, "low": float32(-1), "high": float32(3)}), nil, ir.Float32, 1, 16.0 / 12},
		{"uniform f16", "RandomUniform", rndAttrs(map[string]any{"shape": []int64{n}, "dtype": int64(10)}), nil, ir.Float16, 0.5, 1.0 / 12},
		{"normal like", "RandomNormalLike", rndAttrs(map[string]any{"scale": float32(0.5)}), []*ir.Tensor{ir.NewTensor(ir.Float64, []int64{n})}, ir.Float64, 0, 0.25},
		{"uniform like bf16", "RandomUniformLike", rndAttrs(map[string]any{"dtype": int64(16)}), []*ir.Tensor{ir.NewTensor(ir.Int32, []int64{n})}, ir.BFloat16, 0.5, 1.0 / 12},
		{"bernoulli", "Bernoulli", rndAttrs(map[string]any{}), []*ir.Tensor{rndConst(n, 0.3)}, ir.Float32, 0.3, 0.21},
		{"bernoulli int", "Bernoulli", rndAttrs(map[string]any{"dtype": int64(7), "seed": float32(1)}), []*ir.Tensor{rndConst(n, 0.8)}, ir.Int64, 0.8, 0.16},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			y := rndRun(t, tc.op, tc.attrs, tc.in...)
			if y.DType != tc.dtype || y.Len() != n {
				t.Fatalf("got %v %v, want %v with %d elements", y.DType, y.Shape, tc.dtype, n)
			}
			m, v := rndMoments(y)
			se := math.Sqrt(tc.vari / n)
			if math.Abs(m-tc.mean) > 6*se+1e-3 {
				t.Errorf("mean %g, want %g ± %g", m, tc.mean, 6*se)
			}
			if math.Abs(v-tc.vari) > 0.02*tc.vari+1e-3 {
				t.Errorf("variance %g, want %g", v, tc.vari)
			}
		})
	}
}

func TestRandomSeeded(t *testing.T) {
	a := rndAttrs(map[string]any{"shape": []int64{3}, "seed": float32(0)})
	y1 := rndRun(t, "RandomUniform", a)
	y2 := rndRun(t, "RandomUniform", a)
	want := []float32{0.5488135, 0.71518934, 0.60276335}
	for i, w := range want {
		if y1.F32()[i] != w || y2.F32()[i] != w {
			t.Errorf("element %d: %g, %g; want %g", i, y1.F32()[i], y2.F32()[i], w)
		}
	}
	// Bernoulli with seed 0 equals numpy's RandomState(0).binomial(1, p).
	p := ir.FromSlice([]float64{0.5488135039273248, 0.2, 0.9, 0.0, 1.0})
	y := rndRun(t, "Bernoulli", rndAttrs(map[string]any{"seed": float32(0)}), p)
	// uniforms: .5488 .7152 .6028 .5449 .4237
	for i, w := range []float64{1, 0, 1, 0, 1} {
		if got := y.Float64At(i); got != w {
			t.Errorf("bernoulli %d = %g, want %g", i, got, w)
		}
	}
}

func TestMultinomial(t *testing.T) {
	const samples = 100000
	probs := []float64{0.1, 0.2, 0.7}
	logits := make([]float32, 0, 6)
	for _, p := range probs {
		logits = append(logits, float32(math.Log(p)+3)) // unnormalised
	}
	logits = append(logits, 0, float32(math.Inf(-1)), 0) // row 2: classes 0 and 2
	x := ir.FromSlice(logits, 2, 3)
	y := rndRun(t, "Multinomial", rndAttrs(map[string]any{"sample_size": int64(samples), "dtype": int64(7)}), x)
	if y.DType != ir.Int64 || y.Shape[0] != 2 || y.Shape[1] != samples {
		t.Fatalf("got %v %v", y.DType, y.Shape)
	}
	counts := [2][3]float64{}
	for i, v := range y.I64() {
		counts[i/samples][v]++
	}
	for j, p := range probs {
		got := counts[0][j] / samples
		if math.Abs(got-p) > 6*math.Sqrt(p*(1-p)/samples) {
			t.Errorf("class %d frequency %g, want %g", j, got, p)
		}
	}
	if counts[1][1] != 0 || math.Abs(counts[1][0]/samples-0.5) > 0.01 {
		t.Errorf("row 1 counts %v, want class 1 never and 0/2 evenly", counts[1])
	}
}

func rndConst(n int, p float32) *ir.Tensor {
	d := make([]float32, n)
	for i := range d {
		d[i] = p
	}
	return ir.FromSlice(d)
}

func rndAttrs(m map[string]any) ir.Attrs {
	a := ir.Attrs{}
	for k, v := range m {
		switch v := v.(type) {
		case int64:
			a.SetInt(k, v)
		case float32:
			a.SetFloat(k, v)
		case []int64:
			a.SetInts(k, v)
		case string:
			a.SetString(k, v)
		case []string:
			a[k] = &ir.Attr{Name: k, Kind: ir.AttrStrings, Strings: v}
		case []float32:
			a[k] = &ir.Attr{Name: k, Kind: ir.AttrFloats, Floats: v}
		}
	}
	return a
}
