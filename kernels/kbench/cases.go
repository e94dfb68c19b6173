package kbench

import (
	"math/rand/v2"

	"github.com/nncc/nncc/kernels/sgemm"
	"github.com/nncc/nncc/kernels/vecmath"
)

// Case is one benchmark: a kernel at one size. Setup allocates the
// operands and returns the call to time.
type Case struct {
	Kernel  string // kernel name (JSON "kernel"; Go benchmark Benchmark<Bench>)
	Bench   string // Go benchmark function name suffix
	M, N, K int    // sizes (meaning per kernel; see the table)
	Threads int
	Asm     bool    // has assembly per ISA level (else measured once, as generic)
	Flops   float64 // FLOPs per call
	Bytes   float64 // bytes read + written per call (0: compute-bound, not reported)
	Elems   float64 // elements produced per call
	Setup   func(pool sgemm.Pool) func()
}

func randSlice(n int, seed uint64, scale float64) []float32 {
	r := rand.New(rand.NewPCG(seed, 7))
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(r.NormFloat64() * scale)
	}
	return s
}

// unary is a vecmath function over n elements with nominal flops per element.
func unary(name, bench string, fn func(dst, x []float32), flopsPerElem float64, n int) Case {
	return Case{Kernel: name, Bench: bench, M: 1, N: n, Threads: 1, Asm: true,
		Flops: flopsPerElem * float64(n), Bytes: 8 * float64(n), Elems: float64(n),
		Setup: func(sgemm.Pool) func() {
			x, d := randSlice(n, 1, 4), make([]float32, n)
			return func() { fn(d, x) }
		}}
}

func reduction(name, bench string, fn func(x []float32) float32, flopsPerElem float64, n int) Case {
	return Case{Kernel: name, Bench: bench, M: 1, N: n, Threads: 1, Asm: true,
		Flops: flopsPerElem * float64(n), Bytes: 4 * float64(n), Elems: float64(n),
		Setup: func(sgemm.Pool) func() {
			x := randSlice(n, 2, 1)
			return func() { sink = fn(x) }
		}}
}

var sink float32

func gemm(m, n, k, threads int) Case {
	return Case{Kernel: "sgemm", Bench: "Sgemm", M: m, N: n, K: k, Threads: threads, Asm: true,
		Flops: 2 * float64(m) * float64(n) * float64(k), Elems: float64(m * n),
		Setup: func(pool sgemm.Pool) func() {
			a, b, c := randSlice(m*k, 3, 1), randSlice(k*n, 4, 1), make([]float32, m*n)
			return func() { sgemm.Sgemm(false, false, m, n, k, 1, a, k, b, n, 0, c, n, pool) }
		}}
}

func binary(name, bench string, op vecmath.Op, form string, m, n int) Case {
	total := m * n
	bytes := 12 * float64(total) // two reads, one write
	if form != "same" {
		bytes = 8 * float64(total)
	}
	return Case{Kernel: name, Bench: bench, M: m, N: n, Threads: 1, Asm: true,
		Flops: float64(total), Bytes: bytes, Elems: float64(total),
		Setup: func(sgemm.Pool) func() {
			a, b, d := randSlice(total, 5, 1), randSlice(total, 6, 1), make([]float32, total)
			row := b[:n]
			switch form {
			case "scalar":
				return func() { vecmath.BinaryScalar(op, d, a, 0.5) }
			case "row":
				return func() { vecmath.BinaryRow(op, d, a, row) }
			}
			return func() { vecmath.Binary(op, d, a, b) }
		}}
}

// rows applies a row function to m rows of n.
func rows(name, bench string, fn func(dst, x []float32), flopsPerElem float64, m, n int) Case {
	return Case{Kernel: name, Bench: bench, M: m, N: n, Threads: 1, Asm: true,
		Flops: flopsPerElem * float64(m*n), Bytes: 8 * float64(m*n), Elems: float64(m * n),
		Setup: func(sgemm.Pool) func() {
			x, d := randSlice(m*n, 8, 3), make([]float32, m*n)
			return func() {
				for i := 0; i < m*n; i += n {
					fn(d[i:i+n], x[i:i+n])
				}
			}
		}}
}

// window builds a pooling / depthwise / im2col case over c planes of h×w.
func window(name, bench string, c, h, w, k, s, p int, run func(d, x, wts []float32, c int, g *vecmath.Window2D), flopsPerTap float64, outRows int) Case {
	g := vecmath.Window2D{H: h, W: w, KH: k, KW: k, SH: s, SW: s, DH: 1, DW: 1, PadT: p, PadL: p, PadB: p, PadR: p}
	g.OH = vecmath.OutSize(h, k, s, 1, p, p, false)
	g.OW = vecmath.OutSize(w, k, s, 1, p, p, false)
	outs := c * outRows * g.OH * g.OW
	return Case{Kernel: name, Bench: bench, M: c, N: g.OH * g.OW, K: k * k, Threads: 1,
		Flops: flopsPerTap * float64(c*g.OH*g.OW*k*k), Bytes: 4 * float64(c*h*w+outs), Elems: float64(outs),
		Setup: func(sgemm.Pool) func() {
			x, d, wts := randSlice(c*h*w, 9, 1), make([]float32, outs), randSlice(c*k*k, 10, 1)
			return func() { run(d, x, wts, c, &g) }
		}}
}

// Nominal FLOPs per element of the vector algorithms (FMA = 2), counted
// from the assembly bodies in kernels/amd64/vec_math_*_amd64.h.
const (
	flopsExp      = 25
	flopsSigmoid  = 28
	flopsTanh     = 41
	flopsErf      = 64
	flopsGeluErf  = 73
	flopsGeluTanh = 34
	flopsSoftmax  = 29 // max, subtract, exp, add, scale
	flopsLayer    = 8  // sum, (x-μ)², normalise and affine
)

// Cases returns the benchmark table: SGEMM first, then the vector kernels.
func Cases() []Case {
	const n = 4096
	const big = 1 << 22
	return []Case{
		gemm(1024, 1024, 1024, 1), gemm(1024, 1024, 1024, 2),
		gemm(64, 768, 768, 1), gemm(64, 768, 768, 2),
		gemvCase(1, 512, 128), gemvCase(2, 512, 128), gemvCase(2, 256, 64), gemvCase(4, 512, 128), gemvCase(1, 4096, 1024),

		unary("exp", "Exp", vecmath.Exp, flopsExp, n),
		unary("tanh", "Tanh", vecmath.Tanh, flopsTanh, n),
		unary("sigmoid", "Sigmoid", vecmath.Sigmoid, flopsSigmoid, n),
		unary("erf", "Erf", vecmath.Erf, flopsErf, n),
		unary("gelu_erf", "GeluErf", vecmath.GeluErf, flopsGeluErf, n),
		unary("gelu_tanh", "GeluTanh", vecmath.GeluTanh, flopsGeluTanh, n),
		unary("log", "Log", vecmath.Log, 1, n),

		rows("softmax", "Softmax", vecmath.Softmax, flopsSoftmax, 64, 1024),
		rows("logsoftmax", "LogSoftmax", vecmath.LogSoftmax, flopsSoftmax, 64, 1024),
		rows("layernorm", "LayerNorm", func(d, x []float32) { vecmath.LayerNorm(d, x, nil, nil, 1e-5) }, flopsLayer, 64, 768),

		reduction("sum", "Sum", vecmath.Sum, 1, n), reduction("sum", "Sum", vecmath.Sum, 1, big),
		reduction("max", "Max", vecmath.Max, 1, n), reduction("max", "Max", vecmath.Max, 1, big),
		reduction("sumsq", "SumSquares", vecmath.SumSquares, 2, n),

		binary("add", "Add", vecmath.Add, "same", 1, n), binary("add", "Add", vecmath.Add, "same", 1, big),
		binary("mul_scalar", "MulScalar", vecmath.Mul, "scalar", 1, n),
		binary("add_row", "AddRow", vecmath.Add, "row", 64, 768),
		binary("div", "Div", vecmath.Div, "same", 1, n),
		binary("max2", "Max2", vecmath.MaxOp, "same", 1, n),

		window("maxpool3x3s2", "MaxPool", 64, 112, 112, 3, 2, 1, func(d, x, _ []float32, c int, g *vecmath.Window2D) {
			vecmath.MaxPool2D(d, x, c, g)
		}, 1, 1),
		window("avgpool2x2s2", "AvgPool", 64, 112, 112, 2, 2, 0, func(d, x, _ []float32, c int, g *vecmath.Window2D) {
			vecmath.AvgPool2D(d, x, c, g, false)
		}, 1, 1),
		window("dwconv3x3s1", "DepthwiseConv3x3s1", 32, 112, 112, 3, 1, 1, func(d, x, w []float32, c int, g *vecmath.Window2D) {
			vecmath.DepthwiseConv2D(d, x, w, nil, 1, c, 1, g)
		}, 2, 1),
		window("dwconv3x3s2", "DepthwiseConv3x3s2", 32, 112, 112, 3, 2, 1, func(d, x, w []float32, c int, g *vecmath.Window2D) {
			vecmath.DepthwiseConv2D(d, x, w, nil, 1, c, 1, g)
		}, 2, 1),
		window("im2col3x3s1", "Im2col", 64, 56, 56, 3, 1, 1, func(d, x, _ []float32, c int, g *vecmath.Window2D) {
			vecmath.Im2col(d, x, c, g)
		}, 0, 9),
	}
}
