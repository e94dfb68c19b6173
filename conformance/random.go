package conformance

import (
	"fmt"
	"math"

	"github.com/nncc/nncc/ir"
)

// randomOps produce values drawn from a distribution. The ONNX suite's
// expected outputs for them come from one particular generator's stream
// (NumPy's), which a conforming runtime need not reproduce; for models
// using them the check compares what can be compared: kind, dtype, shape,
// and that every value lies within the range the expected values span.
var randomOps = map[string]bool{
	"Bernoulli": true, "RandomNormal": true, "RandomNormalLike": true,
	"RandomUniform": true, "RandomUniformLike": true, "Multinomial": true,
}

func usesRandomOps(g *ir.Graph) bool {
	for _, n := range g.Nodes {
		if randomOps[n.Op] {
			return true
		}
		for _, sg := range n.Subgraphs() {
			if usesRandomOps(sg) {
				return true
			}
		}
	}
	return false
}

// CompareRandom checks kind, dtype and shape exactly, and that every value
// of got is finite and within [min, max] of expected's values.
func CompareRandom(expected, got *ir.Tensor) error {
	if got == nil {
		return fmt.Errorf("no value produced")
	}
	if expected.Kind != ir.KindTensor || got.Kind != ir.KindTensor {
		return Compare(expected, got)
	}
	if expected.DType != got.DType {
		return fmt.Errorf("expected dtype %v, got %v", expected.DType, got.DType)
	}
	if !equalShape(expected.Shape, got.Shape) {
		return fmt.Errorf("expected shape %v, got %v", expected.Shape, got.Shape)
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for i := 0; i < expected.Len(); i++ {
		v := expected.Float64At(i)
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	for i := 0; i < got.Len(); i++ {
		v := got.Float64At(i)
		if math.IsNaN(v) || math.IsInf(v, 0) || v < lo || v > hi {
			return fmt.Errorf("element %d = %v lies outside the expected range [%v, %v]", i, v, lo, hi)
		}
	}
	return nil
}
