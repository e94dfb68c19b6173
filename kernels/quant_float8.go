package kernels

import (
	"math"
	"sort"

	"github.com/nncc/nncc/ir"
)

// Conversions between float32 and the 8-bit and 4-bit float formats that
// QuantizeLinear and DequantizeLinear produce and consume. Each format is
// described by its bit layout; encoding rounds to nearest, ties to even,
// by searching the table of the format's non-negative values.

type nnMiniFloat struct {
	signBit uint8
	vals    []float32 // value of each non-negative finite code, plus one virtual code past the maximum
	nan     uint8     // the code written for NaN (sign added for non-fnuz formats)
	inf     uint8     // the code of +Inf, 0 if the format has none
	fnuz    bool      // single NaN at 0x80, no negative zero
	isNaN   func(mag uint8) bool
}

func nnMakeMiniFloat(expBits, manBits uint, bias int, lastFinite uint8) *nnMiniFloat {
	f := &nnMiniFloat{signBit: 1 << (expBits + manBits)}
	for code := 0; code <= int(lastFinite)+1; code++ {
		e := code >> manBits
		m := code & (1<<manBits - 1)
		var v float64
		if e == 0 {
			v = math.Ldexp(float64(m), 1-bias-int(manBits))
		} else {
			v = math.Ldexp(1+float64(m)/float64(int(1)<<manBits), e-bias)
		}
		f.vals = append(f.vals, float32(v))
	}
	return f
}

var (
	nnE4M3FN = func() *nnMiniFloat {
		f := nnMakeMiniFloat(4, 3, 7, 0x7e)
		f.nan = 0x7f
		f.isNaN = func(m uint8) bool { return m == 0x7f }
		return f
	}()
	nnE4M3FNUZ = func() *nnMiniFloat {
		f := nnMakeMiniFloat(4, 3, 8, 0x7f)
		f.nan, f.fnuz = 0x80, true
		f.isNaN = func(uint8) bool { return false }
		return f
	}()
	nnE5M2 = func() *nnMiniFloat {
		f := nnMakeMiniFloat(5, 2, 15, 0x7b)
		f.nan, f.inf = 0x7f, 0x7c
		f.isNaN = func(m uint8) bool { return m > 0x7c }
		return f
	}()
	nnE5M2FNUZ = func() *nnMiniFloat {
		f := nnMakeMiniFloat(5, 2, 16, 0x7f)
		f.nan, f.fnuz = 0x80, true
		f.isNaN = func(uint8) bool { return false }
		return f
	}()
	nnE2M1 = func() *nnMiniFloat {
		f := nnMakeMiniFloat(2, 1, 1, 0x7)
		f.nan = 0x7 // no NaN: saturates
		f.isNaN = func(uint8) bool { return false }
		return f
	}()
)

// nnMiniFloatOf returns the format of a float8/float4 dtype, or nil.
func nnMiniFloatOf(d ir.DType) *nnMiniFloat {
	switch d {
	case ir.Float8E4M3FN:
		return nnE4M3FN
	case ir.Float8E4M3FNUZ:
		return nnE4M3FNUZ
	case ir.Float8E5M2:
		return nnE5M2
	case ir.Float8E5M2FNUZ:
		return nnE5M2FNUZ
	case ir.Float4E2M1:
		return nnE2M1
	}
	return nil
}

// decode widens a code to float32.
func (f *nnMiniFloat) decode(code uint8) float32 {
	if f == nnE2M1 {
		code &= 0x0f // a 4-bit code lives in the low bits of its byte
	}
	if f.fnuz && code == 0x80 {
		return float32(math.NaN())
	}
	neg := code&f.signBit != 0
	mag := code &^ f.signBit
	var v float32
	switch {
	case f.isNaN(mag):
		return float32(math.NaN())
	case f.inf != 0 && mag == f.inf:
		v = float32(math.Inf(1))
	default:
		v = f.vals[mag]
	}
	if neg {
		return -v
	}
	return v
}

// encode rounds x to the nearest code (ties to even). Out-of-range values
// become ±max when saturate, otherwise Inf (formats with Inf) or NaN.
func (f *nnMiniFloat) encode(x float32, saturate bool) uint8 {
	sign := uint8(0)
	if math.Signbit(float64(x)) {
		sign = f.signBit
	}
	maxCode := uint8(len(f.vals) - 2)
	isE2M1 := f == nnE2M1
	if x != x {
		if f.fnuz || isE2M1 {
			return f.nan
		}
		return f.nan | sign
	}
	a := float32(math.Abs(float64(x)))
	overflow := func() uint8 {
		if saturate || isE2M1 {
			return maxCode | sign
		}
		if f.fnuz {
			return f.nan
		}
		if f.inf != 0 {
			return f.inf | sign
		}
		return f.nan | sign
	}
	if math.IsInf(float64(a), 0) || a > f.vals[len(f.vals)-1] {
		return overflow()
	}
	// hi is the first code whose value is >= a.
	hi := sort.Search(len(f.vals), func(i int) bool { return f.vals[i] >= a })
	code := hi
	if hi > 0 && f.vals[hi] != a {
		lo := hi - 1
		dl, dh := a-f.vals[lo], f.vals[hi]-a
		if dl < dh || (dl == dh && lo%2 == 0) {
			code = lo
		}
	}
	if code > int(maxCode) {
		return overflow()
	}
	if code == 0 && f.fnuz {
		return 0
	}
	return uint8(code) | sign
}

// nnE8M0ToF32 decodes a float8e8m0 (a power of two 2^(x-127); 0xff NaN).
func nnE8M0ToF32(x uint8) float32 {
	if x == 0xff {
		return float32(math.NaN())
	}
	return float32(math.Ldexp(1, int(x)-127))
}
