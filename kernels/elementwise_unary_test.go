package kernels

import (
	"math"
	"testing"

	"github.com/nncc/nncc/ir"
)

func ewClose(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= 1e-6+1e-5*math.Abs(b)
}

// Each op against its formula from the spec, at a few points, in float32
// and float64.
func TestUnaryFloatOps(t *testing.T) {
	xs := []float64{-2.5, -1, -0.5, 0, 0.5, 1, 2.5}
	alpha := func(v float32) ir.Attrs { a := ir.Attrs{}; a.SetFloat("alpha", v); return a }
	sig := func(x float64) float64 { return 1 / (1 + math.Exp(-x)) }
	cases := []struct {
		op    string
		opset int64
		attrs ir.Attrs
		f     func(float64) float64
		xs    []float64
	}{
		{"Abs", 13, nil, math.Abs, nil},
		{"Neg", 13, nil, func(x float64) float64 { return -x }, nil},
		{"Ceil", 13, nil, math.Ceil, nil},
		{"Floor", 13, nil, math.Floor, nil},
		{"Round", 11, nil, math.RoundToEven, nil},
		{"Sqrt", 13, nil, math.Sqrt, []float64{0, 0.25, 4, 9}},
		{"Reciprocal", 13, nil, func(x float64) float64 { return 1 / x }, []float64{-2, 0.5, 4}},
		{"Exp", 13, nil, math.Exp, nil},
		{"Log", 13, nil, math.Log, []float64{0.5, 1, 10}},
		{"Sin", 7, nil, math.Sin, nil},
		{"Cos", 7, nil, math.Cos, nil},
		{"Tan", 7, nil, math.Tan, nil},
		{"Asin", 7, nil, math.Asin, []float64{-1, -0.5, 0, 0.5, 1}},
		{"Acos", 7, nil, math.Acos, []float64{-1, -0.5, 0, 0.5, 1}},
		{"Atan", 7, nil, math.Atan, nil},
		{"Sinh", 9, nil, math.Sinh, nil},
		{"Cosh", 9, nil, math.Cosh, nil},
		{"Asinh", 9, nil, math.Asinh, nil},
		{"Acosh", 9, nil, math.Acosh, []float64{1, 2, 10}},
		{"Atanh", 9, nil, math.Atanh, []float64{-0.5, 0, 0.5}},
		{"Erf", 13, nil, math.Erf, nil},
		{"Sign", 13, nil, func(x float64) float64 {
			if x > 0 {
				return 1
			} else if x < 0 {
				return -1
			}
			return 0
		}, nil},
		{"Relu", 14, nil, func(x float64) float64 { return math.Max(x, 0) }, nil},
		{"LeakyRelu", 16, nil, func(x float64) float64 {
			if x < 0 {
				return 0.01 * x
			}
			return x
		}, nil},
		{"Elu", 6, alpha(2), func(x float64) float64 {
			if x < 0 {
				return 2 * (math.Exp(x) - 1)
			}
			return x
		}, nil},
		{"Selu", 6, nil, func(x float64) float64 {
			a, g := 1.67326319217681884765625, 1.05070102214813232421875
			if x <= 0 {
				return g * (a*math.Exp(x) - a)
			}
			return g * x
		}, nil},
		{"Celu", 12, alpha(2), func(x float64) float64 { return math.Max(0, x) + math.Min(0, 2*(math.Exp(x/2)-1)) }, nil},
		{"Sigmoid", 13, nil, sig, []float64{-50, -1, 0, 1, 50}},
		{"HardSigmoid", 6, nil, func(x float64) float64 { return math.Max(0, math.Min(1, 0.2*x+0.5)) }, nil},
		{"HardSwish", 14, nil, func(x float64) float64 { return x * math.Max(0, math.Min(1, x/6+0.5)) }, []float64{-4, -1, 0, 1, 4}},
		{"Tanh", 13, nil, math.Tanh, nil},
		{"Softplus", 1, nil, func(x float64) float64 { return math.Log(math.Exp(x) + 1) }, nil},
		{"Softsign", 1, nil, func(x float64) float64 { return x / (1 + math.Abs(x)) }, nil},
		{"Gelu", 20, nil, func(x float64) float64 { return 0.5 * x * (1 + math.Erf(x/math.Sqrt2)) }, nil},
		{"Gelu", 20, ir.Attrs{"approximate": {Name: "approximate", Kind: ir.AttrString, S: "tanh"}}, func(x float64) float64 {
			return 0.5 * x * (1 + math.Tanh(math.Sqrt(2/math.Pi)*(x+0.044715*x*x*x)))
		}, nil},
		{"Mish", 18, nil, func(x float64) float64 { return x * math.Tanh(math.Log(1+math.Exp(x))) }, nil},
		{"ThresholdedRelu", 10, alpha(0.5), func(x float64) float64 {
			if x > 0.5 {
				return x
			}
			return 0
		}, nil},
		{"Shrink", 9, nil, func(x float64) float64 {
			if x < -0.5 {
				return x
			} else if x > 0.5 {
				return x
			}
			return 0
		}, nil},
		{"Swish", 24, alpha(2), func(x float64) float64 { return x * sig(2*x) }, nil},
	}
	for _, c := range cases {
		in := c.xs
		if in == nil {
			in = xs
		}
		f32 := make([]float32, len(in))
		for i, v := range in {
			f32[i] = float32(v)
		}
		got32 := ewMust(t, c.op, c.opset, c.attrs, ir.FromSlice(f32)).F32()
		got64 := ir.Data[float64](ewMust(t, c.op, c.opset, c.attrs, ir.FromSlice(append([]float64{}, in...))))
		for i, v := range in {
			want := c.f(v)
			if !ewClose(float64(got32[i]), want) || !ewClose(got64[i], want) {
				t.Errorf("%s(%g) = %g / %g, want %g", c.op, v, got32[i], got64[i], want)
			}
		}
	}
}

func TestUnaryIntAndHalf(t *testing.T) {
	x := ewT([]int64{4}, int8(-128), -3, 0, 5)
	ewExpect(t, "abs", ewMust(t, "Abs", 13, nil, x), []int64{4}, []int8{-128, 3, 0, 5})
	ewExpect(t, "neg", ewMust(t, "Neg", 13, nil, x), []int64{4}, []int8{-128, 3, 0, -5})
	ewExpect(t, "sign", ewMust(t, "Sign", 13, nil, x), []int64{4}, []int8{-1, -1, 0, 1})
	ewExpect(t, "relu", ewMust(t, "Relu", 14, nil, x), []int64{4}, []int8{0, 0, 0, 5})
	ewExpect(t, "bitnot", ewMust(t, "BitwiseNot", 18, nil, ewT([]int64{2}, uint8(0), 0xf0)), []int64{2}, []uint8{0xff, 0x0f})
	sh := ir.Attrs{}
	sh.SetFloat("lambd", 1.5)
	sh.SetFloat("bias", 1)
	ewExpect(t, "shrink int", ewMust(t, "Shrink", 9, sh, ewT([]int64{4}, int32(-3), -1, 1, 4)), []int64{4}, []int32{-2, 0, 0, 3})
	if _, err := ewRun(t, "Sqrt", 13, nil, ewT([]int64{1}, int32(4))); err == nil {
		t.Fatal("Sqrt of int32 should fail")
	}
	// float16 and bfloat16 round the float32 result.
	h := ewT([]int64{2}, ir.NewFloat16(4), ir.NewFloat16(2))
	ewExpect(t, "sqrt f16", ewMust(t, "Sqrt", 13, nil, h), []int64{2}, []ir.F16{ir.NewFloat16(2), ir.NewFloat16(float32(math.Sqrt2))})
	bf := ewT([]int64{1}, ir.NewBFloat16(-1))
	ewExpect(t, "exp bf16", ewMust(t, "Exp", 13, nil, bf), []int64{1}, []ir.BF16{ir.NewBFloat16(float32(math.Exp(-1)))})
	if _, err := ewRun(t, "Gelu", 20, ir.Attrs{"approximate": {Name: "approximate", Kind: ir.AttrString, S: "erf"}}, h); err == nil {
		t.Fatal("unknown Gelu approximation should fail")
	}
}

func TestPRelu(t *testing.T) {
	x := ewT([]int64{2, 2}, float32(-1), 2, -3, 4)
	ewExpect(t, "scalar slope", ewMust(t, "PRelu", 16, nil, x, ewT([]int64{1}, float32(0.5))), []int64{2, 2}, []float32{-0.5, 2, -1.5, 4})
	ewExpect(t, "row slope", ewMust(t, "PRelu", 16, nil, x, ewT([]int64{2}, float32(0.1), 10)), []int64{2, 2}, []float32{-0.1, 2, -0.3, 4})
	// Opset < 7: a slope of C elements applies per channel (axis 1).
	x4 := ewT([]int64{1, 2, 1, 2}, float32(-1), -1, -1, 1)
	ewExpect(t, "legacy channel", ewMust(t, "PRelu", 6, nil, x4, ewT([]int64{2}, float32(2), 3)), []int64{1, 2, 1, 2}, []float32{-2, -2, -3, 1})
	if _, err := ewRun(t, "PRelu", 16, nil, ewT([]int64{2}, float32(1), 2), ewT([]int64{2, 2}, float32(1), 2, 3, 4)); err == nil {
		t.Fatal("slope larger than X should fail")
	}
}

// Large inputs take the parallel path: compare with the serial result.
func TestUnaryParallelMatchesSerial(t *testing.T) {
	n := 5*ewGrain + 17
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(i%200-100) / 10
	}
	in := ir.FromSlice(x)
	serial := ewMust(t, "Tanh", 13, nil, in).F32()
	node := &ir.Node{Name: "p", Op: "Tanh", Opset: 13, Attrs: ir.Attrs{}}
	f, err := BuildNode(&Build{Node: node})
	if err != nil {
		t.Fatal(err)
	}
	c := &Ctx{Outs: make([]*ir.Tensor, 1), Pool: ewTestPool{}, Node: node}
	if err := f(c, []*ir.Tensor{in}); err != nil {
		t.Fatal(err)
	}
	par := c.Outs[0].F32()
	for i := range serial {
		if serial[i] != par[i] {
			t.Fatalf("element %d: %g vs %g", i, serial[i], par[i])
		}
	}
}

// ewTestPool runs chunks of grain elements one after another, in reverse,
// to exercise chunked code paths.
type ewTestPool struct{}

func (ewTestPool) For(n, grain int, fn func(lo, hi int)) {
	for hi := n; hi > 0; hi -= grain {
		fn(max(0, hi-grain), hi)
	}
}

func (ewTestPool) Threads() int { return 4 }
