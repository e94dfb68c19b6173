package vecmath

import (
	"github.com/nncc/nncc/kernels/isa"
	"github.com/nncc/nncc/kernels/vecmath/purego"
)

// impl is one row of the dispatch table: the routines of one ISA level.
// Every field is set; levels without assembly for a routine use the twin.
type impl struct {
	exp, tanh, sigmoid, erf, geluErf, geluTanh func(dst, x []float32)

	expShiftSum func(dst, x []float32, c float32) float32
	sum         func(x []float32) float32
	sumSqDiff   func(x []float32, c float32) float32
	max         func(x []float32) float32
	binary      func(op, kind int, dst, a, b []float32)
	// binaryScalar is binary with the scalar operand by value (KindVS: v op
	// s, KindSV: s op v), so that callers need no one-element slice.
	binaryScalar func(op, kind int, dst, v []float32, s float32)
	// The piecewise activations, branch-free (see purego/act.go).
	leakyRelu   func(dst, x []float32, alpha float32)
	hardSigmoid func(dst, x []float32, alpha, beta float64)
	hardSwish   func(dst, x []float32)
}

// generic is the pure-Go row (package purego).
var generic = impl{
	exp: purego.Exp, tanh: purego.Tanh, sigmoid: purego.Sigmoid, erf: purego.Erf,
	geluErf: purego.GeluErf, geluTanh: purego.GeluTanh,
	expShiftSum: purego.ExpShiftSum, sum: purego.Sum, sumSqDiff: purego.SumSqDiff,
	max: purego.Max, binary: purego.Binary, binaryScalar: purego.BinaryScalar,
	leakyRelu: purego.LeakyRelu, hardSigmoid: purego.HardSigmoid, hardSwish: purego.HardSwish,
}

// levels is the table indexed by isa.Level; filled by init from generic
// and the architecture's rows (archImpls in impl_<arch>.go).
var levels [isa.NEON + 1]impl

func init() {
	for l := range levels {
		levels[l] = generic
	}
	for _, r := range archImpls {
		levels[r.level] = r.impl
	}
}

// levelImpl pairs a level with its routines.
type levelImpl struct {
	level isa.Level
	impl  impl
}

// HasAssembly reports whether level l runs assembly for the vector
// kernels on this build (false for Generic, for the levels of another
// architecture and under the noasm tag).
func HasAssembly(l isa.Level) bool { return hasAsm(l) }
