package ir

import (
	"fmt"
	"math"
)

// Op table row of nncc.FakeQuant, which the fake-quant pass makes from a
// QDQ model's QuantizeLinear → DequantizeLinear pair on a float32
// activation (one constant scale s and zero point z, 8-bit codes):
//
//	nncc.FakeQuant(X) -> Y    attributes scale = s, lo = qmin-z, hi = qmax-z
//	Y = roundEven(min(max(X/scale, lo), hi)) · scale
//
// with X/scale a float32 division (as QuantizeLinear computes it) and a
// NaN quotient taken as lo, so Y is bit for bit the pair's
// (q - z)·s, +0 for a zero result. lo ≤ 0 ≤ hi are integers of at most
// 2^16 in magnitude and scale is finite and positive. Inside an NCHWc
// region the layout pass adds its block attribute; being elementwise, the
// op computes the same on the blocked tensor (0 on padding lanes, as the
// bounds contain 0).

func init() {
	RegisterOp(&OpSchema{Domain: FusedDomain, Name: "FakeQuant", MinOpset: 1,
		MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1,
		Attrs: []AttrSpec{
			{Name: "scale", Kind: AttrFloat, Required: true},
			{Name: "lo", Kind: AttrFloat, Required: true},
			{Name: "hi", Kind: AttrFloat, Required: true},
			{Name: "block", Kind: AttrInt},
		},
		Infer: inferFakeQuant})
}

func inferFakeQuant(c *InferCtx) error {
	if err := CheckFakeQuant(c.Attrs()); err != nil {
		return c.Errorf("%v", err)
	}
	if err := c.RequireDType(0, Float32); err != nil {
		return err
	}
	return InferSameAsInput(0)(c)
}

// CheckFakeQuant validates the attributes of an nncc.FakeQuant node.
func CheckFakeQuant(a Attrs) error {
	s, lo, hi := a.Float("scale", 0), a.Float("lo", 0), a.Float("hi", 0)
	if !(s > 0) || math.IsInf(float64(s), 0) {
		return fmt.Errorf("scale %v is not finite and positive", s)
	}
	for _, b := range []float32{lo, hi} {
		if b != float32(math.Trunc(float64(b))) || math.Abs(float64(b)) > 1<<16 {
			return fmt.Errorf("bound %v is not an integer of at most 2^16 in magnitude", b)
		}
	}
	if lo > 0 || hi < 0 {
		return fmt.Errorf("bounds [%v, %v] do not contain 0", lo, hi)
	}
	return nil
}
