package conformance

import (
	"fmt"
	"math"
	"math/cmplx"

	"github.com/nncc/nncc/ir"
)

// Tolerances of the ONNX backend tests: |expected - got| <= Atol +
// Rtol*|expected| for floating types; integers, bools and strings exactly.
const (
	Rtol = 1e-3
	Atol = 1e-7
)

// Compare checks got against expected: kind, dtype, shape and values. NaN
// matches NaN.
func Compare(expected, got *ir.Tensor) error {
	if got == nil {
		return fmt.Errorf("no value produced")
	}
	if expected.Kind != got.Kind {
		return fmt.Errorf("expected a %v, got a %v", expected.Kind, got.Kind)
	}
	if expected.Kind != ir.KindTensor {
		if len(expected.Items) != len(got.Items) {
			return fmt.Errorf("expected %d items, got %d", len(expected.Items), len(got.Items))
		}
		for i := range expected.Items {
			if err := Compare(expected.Items[i], got.Items[i]); err != nil {
				return fmt.Errorf("item %d: %w", i, err)
			}
		}
		return nil
	}
	if expected.DType != got.DType {
		return fmt.Errorf("expected dtype %v, got %v", expected.DType, got.DType)
	}
	if !equalShape(expected.Shape, got.Shape) {
		return fmt.Errorf("expected shape %v, got %v", expected.Shape, got.Shape)
	}
	n := expected.Len()
	switch e := expected.Data.(type) {
	case []string:
		g := got.Data.([]string)
		for i := range e {
			if e[i] != g[i] {
				return fmt.Errorf("element %d: expected %q, got %q", i, e[i], g[i])
			}
		}
		return nil
	case []complex64:
		g := got.Data.([]complex64)
		for i := range e {
			if !closeC(complex128(e[i]), complex128(g[i])) {
				return fmt.Errorf("element %d: expected %v, got %v", i, e[i], g[i])
			}
		}
		return nil
	case []complex128:
		g := got.Data.([]complex128)
		for i := range e {
			if !closeC(e[i], g[i]) {
				return fmt.Errorf("element %d: expected %v, got %v", i, e[i], g[i])
			}
		}
		return nil
	}
	exact := !expected.DType.IsFloat()
	if isBitPattern(expected.DType) {
		return compareBits(expected, got)
	}
	bad, worst := 0, -1
	for i := 0; i < n; i++ {
		ev, gv := expected.Float64At(i), got.Float64At(i)
		if exact {
			if !equalExact(expected, got, i) {
				return fmt.Errorf("element %d: expected %v, got %v", i, ev, gv)
			}
			continue
		}
		if !close64(ev, gv) {
			bad++
			if worst < 0 {
				worst = i
			}
		}
	}
	if bad > 0 {
		return fmt.Errorf("%d of %d elements differ; first at %d: expected %v, got %v", bad, n, worst, expected.Float64At(worst), got.Float64At(worst))
	}
	return nil
}

func close64(e, g float64) bool {
	if math.IsNaN(e) {
		return math.IsNaN(g)
	}
	if math.IsInf(e, 0) {
		return e == g
	}
	return math.Abs(e-g) <= Atol+Rtol*math.Abs(e)
}

func closeC(e, g complex128) bool {
	if cmplx.IsNaN(e) {
		return cmplx.IsNaN(g)
	}
	return close64(real(e), real(g)) && close64(imag(e), imag(g))
}

func equalExact(a, b *ir.Tensor, i int) bool {
	switch x := a.Data.(type) {
	case []int64:
		return x[i] == b.Data.([]int64)[i]
	case []uint64:
		return x[i] == b.Data.([]uint64)[i]
	}
	return a.Float64At(i) == b.Float64At(i)
}

// isBitPattern reports dtypes stored as raw bit patterns (float8, float4):
// they are compared after decoding by the caller-provided table, or bitwise.
func isBitPattern(d ir.DType) bool {
	switch d {
	case ir.Float8E4M3FN, ir.Float8E4M3FNUZ, ir.Float8E5M2, ir.Float8E5M2FNUZ, ir.Float8E8M0, ir.Float4E2M1:
		return true
	}
	return false
}

// compareBits compares bit-pattern floats exactly, treating any two NaN
// encodings as equal.
func compareBits(e, g *ir.Tensor) error {
	ed, gd := e.Data.([]uint8), g.Data.([]uint8)
	for i := range ed {
		if ed[i] == gd[i] || (isNaNBits(e.DType, ed[i]) && isNaNBits(e.DType, gd[i])) {
			continue
		}
		return fmt.Errorf("element %d: expected bits %#02x, got %#02x", i, ed[i], gd[i])
	}
	return nil
}

func isNaNBits(d ir.DType, b uint8) bool {
	switch d {
	case ir.Float8E4M3FN:
		return b&0x7f == 0x7f
	case ir.Float8E4M3FNUZ, ir.Float8E5M2FNUZ:
		return b == 0x80
	case ir.Float8E5M2:
		return b&0x7f > 0x7c
	case ir.Float8E8M0:
		return b == 0xff
	}
	return false
}

func equalShape(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
