package vecmath

import (
	"fmt"
	"math"

	"github.com/nncc/nncc/kernels/isa"
)

// Routines is the set of vector routines of one ISA level: the methods
// are the package-level functions of the same names, bound to that
// level's row of the dispatch table instead of the process-wide
// isa.Current(). A kernel takes For(b.Level) once when it is built and
// calls through it at run time, so two sessions compiled for different
// levels run side by side in one process. A *Routines is immutable and
// safe for concurrent use.
type Routines struct {
	level isa.Level
	impl
}

// routines holds one Routines per level, filled by init from levels.
var routines [len(levels)]Routines

func init() {
	for l := range routines {
		routines[l] = Routines{level: isa.Level(l), impl: levels[l]}
	}
}

// For returns the routines of level l. A level this CPU or build cannot
// run (or an unknown one) gets the Generic routines, so a kernel never
// executes an instruction the machine lacks; sessions reject such levels
// before any kernel is built.
func For(l isa.Level) *Routines {
	if int(l) >= len(routines) || !isa.Has(l) {
		return &routines[isa.Generic]
	}
	return &routines[l]
}

// current returns the routines of the level isa currently selects (the
// package-level functions' dispatch).
func current() *Routines { return For(isa.Current()) }

// Level returns the level whose routines r runs.
func (r *Routines) Level() isa.Level { return r.level }

// Exp is Exp at r's level.
func (r *Routines) Exp(dst, x []float32) { sameLen("Exp", dst, x); r.exp(dst, x) }

// Tanh is Tanh at r's level.
func (r *Routines) Tanh(dst, x []float32) { sameLen("Tanh", dst, x); r.tanh(dst, x) }

// Sigmoid is Sigmoid at r's level.
func (r *Routines) Sigmoid(dst, x []float32) { sameLen("Sigmoid", dst, x); r.sigmoid(dst, x) }

// Erf is Erf at r's level.
func (r *Routines) Erf(dst, x []float32) { sameLen("Erf", dst, x); r.erf(dst, x) }

// GeluErf is GeluErf at r's level.
func (r *Routines) GeluErf(dst, x []float32) { sameLen("GeluErf", dst, x); r.geluErf(dst, x) }

// GeluTanh is GeluTanh at r's level.
func (r *Routines) GeluTanh(dst, x []float32) { sameLen("GeluTanh", dst, x); r.geluTanh(dst, x) }

// Relu is Relu at r's level.
func (r *Routines) Relu(x []float32) { r.BinaryScalar(MaxOp, x, x, 0) }

// Clip is Clip at r's level.
func (r *Routines) Clip(x []float32, lo, hi float32) {
	r.BinaryScalar(MaxOp, x, x, lo)
	r.BinaryScalar(MinOp, x, x, hi)
}

// LeakyRelu is LeakyRelu at r's level.
func (r *Routines) LeakyRelu(x []float32, alpha float32) { r.leakyRelu(x, x, alpha) }

// LeakyReluTo sets dst[i] = alpha·x[i] where x[i] < 0, else x[i] (ONNX
// LeakyRelu), at r's level. dst may be x; exact (one rounding).
func (r *Routines) LeakyReluTo(dst, x []float32, alpha float32) {
	sameLen("LeakyRelu", dst, x)
	r.leakyRelu(dst, x, alpha)
}

// Sum is Sum at r's level.
func (r *Routines) Sum(x []float32) float32 { return r.sum(x) }

// SumSquares is SumSquares at r's level.
func (r *Routines) SumSquares(x []float32) float32 { return r.sumSqDiff(x, 0) }

// SumSqDiff is SumSqDiff at r's level.
func (r *Routines) SumSqDiff(x []float32, c float32) float32 { return r.sumSqDiff(x, c) }

// Max is Max at r's level.
func (r *Routines) Max(x []float32) float32 { return r.max(x) }

// Mean is Mean at r's level.
func (r *Routines) Mean(x []float32) float32 { return r.sum(x) / float32(len(x)) }

// Binary is Binary at r's level.
func (r *Routines) Binary(op Op, dst, a, b []float32) {
	op.check()
	if len(a) != len(dst) || len(b) != len(dst) {
		panic(fmt.Sprintf("vecmath: Binary: len(dst) %d, len(a) %d, len(b) %d", len(dst), len(a), len(b)))
	}
	r.binary(int(op), kindVV, dst, a, b)
}

// BinaryScalar is BinaryScalar at r's level.
func (r *Routines) BinaryScalar(op Op, dst, a []float32, s float32) {
	op.check()
	sameLen("BinaryScalar", dst, a)
	r.binaryScalar(int(op), kindVS, dst, a, s)
}

// ScalarBinary is ScalarBinary at r's level.
func (r *Routines) ScalarBinary(op Op, dst []float32, s float32, b []float32) {
	op.check()
	sameLen("ScalarBinary", dst, b)
	r.binaryScalar(int(op), kindSV, dst, b, s)
}

// BinaryRow is BinaryRow at r's level.
func (r *Routines) BinaryRow(op Op, dst, a, row []float32) {
	op.check()
	n := len(row)
	if len(a) != len(dst) || (n == 0 && len(dst) != 0) || (n > 0 && len(dst)%n != 0) {
		panic(fmt.Sprintf("vecmath: BinaryRow: len(dst) %d, len(a) %d, len(row) %d", len(dst), len(a), n))
	}
	for i := 0; i < len(dst); i += n {
		r.binary(int(op), kindVV, dst[i:i+n], a[i:i+n], row)
	}
}

// RowBinary is RowBinary at r's level.
func (r *Routines) RowBinary(op Op, dst, row, b []float32) {
	op.check()
	n := len(row)
	if len(b) != len(dst) || (n == 0 && len(dst) != 0) || (n > 0 && len(dst)%n != 0) {
		panic(fmt.Sprintf("vecmath: RowBinary: len(dst) %d, len(b) %d, len(row) %d", len(dst), len(b), n))
	}
	for i := 0; i < len(dst); i += n {
		r.binary(int(op), kindVV, dst[i:i+n], row, b[i:i+n])
	}
}

// BinaryCol is BinaryCol at r's level.
func (r *Routines) BinaryCol(op Op, dst, a, col []float32, inner int) {
	op.check()
	if len(a) != len(dst) || len(dst) != len(col)*inner {
		panic(fmt.Sprintf("vecmath: BinaryCol: len(dst) %d, len(a) %d, %d×%d", len(dst), len(a), len(col), inner))
	}
	for i, s := range col {
		r.binaryScalar(int(op), kindVS, dst[i*inner:(i+1)*inner], a[i*inner:(i+1)*inner], s)
	}
}

// ColBinary is ColBinary at r's level.
func (r *Routines) ColBinary(op Op, dst, col, b []float32, inner int) {
	op.check()
	if len(b) != len(dst) || len(dst) != len(col)*inner {
		panic(fmt.Sprintf("vecmath: ColBinary: len(dst) %d, len(b) %d, %d×%d", len(dst), len(b), len(col), inner))
	}
	for i, s := range col {
		r.binaryScalar(int(op), kindSV, dst[i*inner:(i+1)*inner], b[i*inner:(i+1)*inner], s)
	}
}

// BinaryKind is BinaryKind at r's level.
func (r *Routines) BinaryKind(op Op, kind Kind, dst, a, b []float32) {
	op.check()
	need := func(s []float32, vec bool) bool {
		if vec {
			return len(s) >= len(dst)
		}
		return len(s) >= 1 || len(dst) == 0
	}
	if kind < VV || kind > SV || !need(a, kind != SV) || !need(b, kind != VS) {
		panic(fmt.Sprintf("vecmath: BinaryKind: kind %d, len(dst) %d, len(a) %d, len(b) %d", kind, len(dst), len(a), len(b)))
	}
	r.binary(int(op), int(kind), dst, a, b)
}

// Softmax is Softmax at r's level (same passes and error bound).
func (r *Routines) Softmax(dst, x []float32) {
	sameLen("Softmax", dst, x)
	if len(x) == 0 {
		return
	}
	m := r.max(x)
	s := r.expShiftSum(dst, x, m)
	r.binaryScalar(opMul, kindVS, dst, dst, 1/s)
}

// LogSoftmax is LogSoftmax at r's level (same passes and error bound).
func (r *Routines) LogSoftmax(dst, x []float32) {
	sameLen("LogSoftmax", dst, x)
	if len(x) == 0 {
		return
	}
	m := r.max(x)
	var s float32
	if &dst[0] != &x[0] {
		s = r.expShiftSum(dst, x, m)
	} else {
		buf := scratchPool.Get().(*[]float32)
		if cap(*buf) < len(x) {
			*buf = make([]float32, len(x))
		}
		s = r.expShiftSum((*buf)[:len(x)], x, m)
		scratchPool.Put(buf)
	}
	r.binaryScalar(opSub, kindVS, dst, x, m+float32(math.Log(float64(s))))
}

// LayerNorm is LayerNorm at r's level (same passes and error bound).
func (r *Routines) LayerNorm(dst, x, scale, bias []float32, eps float32) (mean, invStd float32) {
	sameLen("LayerNorm", dst, x)
	n := len(x)
	if (scale != nil && len(scale) != n) || (bias != nil && len(bias) != n) {
		panic(fmt.Sprintf("vecmath: LayerNorm: row %d, scale %d, bias %d", n, len(scale), len(bias)))
	}
	if n == 0 {
		return float32(math.NaN()), float32(math.NaN())
	}
	mean = r.sum(x) / float32(n)
	v := r.sumSqDiff(x, mean) / float32(n)
	invStd = float32(1 / math.Sqrt(float64(v+eps)))
	r.normAffine(dst, x, scale, bias, mean, invStd)
	return mean, invStd
}

// RMSNorm is RMSNorm at r's level.
func (r *Routines) RMSNorm(dst, x, scale []float32, eps float32) (invRMS float32) {
	sameLen("RMSNorm", dst, x)
	if scale != nil && len(scale) != len(x) {
		panic(fmt.Sprintf("vecmath: RMSNorm: row %d, scale %d", len(x), len(scale)))
	}
	if len(x) == 0 {
		return float32(math.NaN())
	}
	ms := r.sumSqDiff(x, 0) / float32(len(x))
	invRMS = float32(1 / math.Sqrt(float64(ms+eps)))
	r.normAffine(dst, x, scale, nil, 0, invRMS)
	return invRMS
}
