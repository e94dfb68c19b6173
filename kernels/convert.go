package kernels

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/nncc/nncc/ir"
)

// Element type conversion, as ONNX Cast defines it. The entry points are
// ConvertTensor and ConvertInto; the scalar helpers (Float32ToFloat8 and
// friends) are exported for kernels that quantise or dequantise.
//
// Rules (Cast's spec text):
//   - float → integer truncates toward zero (out of range is undefined; Go's
//     conversion result is used);
//   - integer → narrower integer keeps the low bits (200 int16 → -56 int8),
//     and the same holds for the 4-bit and 2-bit integer types;
//   - anything → bool is "not zero" (NaN is true); bool → number is 0 or 1;
//   - float → float8/float4 rounds to nearest even, with the saturate tables
//     of Cast-19 for out-of-range values, infinities and NaN;
//   - float → float8e8m0 rounds up, down or to nearest (ties up) per
//     RoundMode;
//   - string → number parses plain and scientific notation and
//     (case-insensitively) "INF", "+INF", "-INF", "NaN"; number → string
//     prints the shortest representation that reads back exactly.

// E8M0Round is the rounding mode of a conversion to float8e8m0 (Cast's
// round_mode attribute).
type E8M0Round uint8

const (
	E8M0Up      E8M0Round = iota // away from zero (the default)
	E8M0Down                     // toward zero
	E8M0Nearest                  // nearest power of two, ties up
)

// ParseE8M0Round maps Cast's round_mode attribute value to an E8M0Round.
func ParseE8M0Round(s string) (E8M0Round, error) {
	switch s {
	case "up":
		return E8M0Up, nil
	case "down":
		return E8M0Down, nil
	case "nearest":
		return E8M0Nearest, nil
	}
	return 0, fmt.Errorf("round_mode %q is not one of up, down, nearest", s)
}

// CastOptions are the attributes of Cast that change conversion results.
type CastOptions struct {
	// Saturate clamps out-of-range values (and infinities) to the largest
	// finite value when converting to a float8 type; when false they become
	// NaN (or Inf for float8e5m2). Cast's default is true.
	Saturate bool
	// Round is the rounding mode for float8e8m0 targets.
	Round E8M0Round
}

// ---------------------------------------------------------------------------
// Small float formats.

// miniFormat describes a binary floating-point format of at most 16 bits
// whose values all fit exactly in a float64.
type miniFormat struct {
	exp, man int  // exponent and mantissa field widths
	bias     int  // exponent bias
	inf      bool // IEEE-like: the top exponent holds Inf and NaN
	fn       bool // finite, NaN is S.1111.111 (E4M3FN)
	uz       bool // finite, unsigned zero, NaN is 1.0000.000 (FNUZ types)
	noNaN    bool // finite, no NaN encoding at all (float4e2m1)
	nan      uint16
}

var (
	fmtE4M3FN   = miniFormat{exp: 4, man: 3, bias: 7, fn: true, nan: 0x7f}
	fmtE4M3FNUZ = miniFormat{exp: 4, man: 3, bias: 8, uz: true, nan: 0x80}
	fmtE5M2     = miniFormat{exp: 5, man: 2, bias: 15, inf: true, nan: 0x7e}
	fmtE5M2FNUZ = miniFormat{exp: 5, man: 2, bias: 16, uz: true, nan: 0x80}
	fmtE2M1     = miniFormat{exp: 2, man: 1, bias: 1, noNaN: true, nan: 0x8}
	fmtF16      = miniFormat{exp: 5, man: 10, bias: 15, inf: true, nan: 0x7e00}
	fmtBF16     = miniFormat{exp: 8, man: 7, bias: 127, inf: true, nan: 0x7fc0}
)

func (f *miniFormat) signBit() uint16 { return 1 << (f.exp + f.man) }

// maxCode is the bit pattern of the largest finite positive value.
func (f *miniFormat) maxCode() uint16 {
	topExp := uint16(1)<<f.exp - 1
	allMan := uint16(1)<<f.man - 1
	switch {
	case f.inf:
		return (topExp-1)<<f.man | allMan
	case f.fn:
		return topExp<<f.man | (allMan - 1)
	}
	return topExp<<f.man | allMan
}

func (f *miniFormat) decode(code uint16) float64 {
	sb := f.signBit()
	neg := code&sb != 0
	e := int(code>>f.man) & (1<<f.exp - 1)
	m := int(code) & (1<<f.man - 1)
	topExp := 1<<f.exp - 1
	switch {
	case f.uz && code == sb:
		return math.NaN()
	case f.inf && e == topExp:
		if m != 0 {
			return math.NaN()
		}
		if neg {
			return math.Inf(-1)
		}
		return math.Inf(1)
	case f.fn && e == topExp && m == 1<<f.man-1:
		return math.NaN()
	}
	var v float64
	if e == 0 {
		v = math.Ldexp(float64(m), 1-f.bias-f.man)
	} else {
		v = math.Ldexp(float64(m|1<<f.man), e-f.bias-f.man)
	}
	if neg {
		v = -v
	}
	return v
}

// encode rounds x to the format, ties to even. saturate selects Cast's
// saturate=1 table for values beyond the largest finite one.
func (f *miniFormat) encode(x float64, saturate bool) uint16 {
	sb := f.signBit()
	var sign uint16
	if math.Signbit(x) {
		sign = sb
	}
	if math.IsNaN(x) {
		switch {
		case f.uz, f.noNaN:
			return f.nan
		}
		return sign | f.nan
	}
	a := math.Abs(x)
	maxCode := f.maxCode()
	overflow := func() uint16 {
		switch {
		case saturate || f.noNaN:
			return sign | maxCode
		case f.inf:
			return sign | (uint16(1)<<f.exp-1)<<f.man
		case f.uz:
			return f.nan
		}
		return sign | f.nan
	}
	if math.IsInf(a, 0) {
		return overflow()
	}
	minNormalExp := 1 - f.bias
	// Quantum at a's binade (or the subnormal quantum).
	_, e2 := math.Frexp(a) // a = fr * 2^e2, fr in [0.5, 1)
	e := e2 - 1
	if e < minNormalExp {
		e = minNormalExp
	}
	q := math.RoundToEven(math.Ldexp(a, f.man-e)) // integer multiple of the quantum
	if q == 0 {
		if f.uz {
			return 0
		}
		return sign
	}
	if q >= float64(uint64(2)<<f.man) { // rounded up into the next binade
		q /= 2
		e++
	}
	var code uint16
	if q < float64(uint64(1)<<f.man) { // subnormal
		code = uint16(q)
	} else {
		ef := e + f.bias
		code = uint16(ef)<<f.man | uint16(q)&(1<<f.man-1)
		if ef >= 1<<f.exp || code > maxCode {
			return overflow()
		}
	}
	return sign | code
}

var (
	f8Tables   [4][256]float32 // E4M3FN, E4M3FNUZ, E5M2, E5M2FNUZ
	f4Table    [16]float32
	e8m0Table  [256]float32
	f8Formats  = [4]*miniFormat{&fmtE4M3FN, &fmtE4M3FNUZ, &fmtE5M2, &fmtE5M2FNUZ}
	f8TableIdx = map[ir.DType]int{ir.Float8E4M3FN: 0, ir.Float8E4M3FNUZ: 1, ir.Float8E5M2: 2, ir.Float8E5M2FNUZ: 3}
)

func init() {
	for t, f := range f8Formats {
		for c := 0; c < 256; c++ {
			f8Tables[t][c] = float32(f.decode(uint16(c)))
		}
	}
	for c := 0; c < 16; c++ {
		f4Table[c] = float32(fmtE2M1.decode(uint16(c)))
	}
	for c := 0; c < 255; c++ {
		e8m0Table[c] = float32(math.Ldexp(1, c-127))
	}
	e8m0Table[255] = float32(math.NaN())
}

func f8Format(d ir.DType) (*miniFormat, int, bool) {
	i, ok := f8TableIdx[d]
	if !ok {
		return nil, 0, false
	}
	return f8Formats[i], i, true
}

// Float8ToFloat32 decodes a float8 bit pattern of dtype d (one of the four
// float8 E4M3/E5M2 types). It panics with BUG for other dtypes.
func Float8ToFloat32(d ir.DType, code uint8) float32 {
	_, i, ok := f8Format(d)
	if !ok {
		panic("BUG: Float8ToFloat32 of " + d.String())
	}
	return f8Tables[i][code]
}

// Float64ToFloat8 encodes x as a float8 of dtype d, rounding to nearest
// even, with Cast's saturate semantics.
func Float64ToFloat8(d ir.DType, x float64, saturate bool) uint8 {
	f, _, ok := f8Format(d)
	if !ok {
		panic("BUG: Float64ToFloat8 of " + d.String())
	}
	return uint8(f.encode(x, saturate))
}

// Float32ToFloat8 is Float64ToFloat8 for a float32 value.
func Float32ToFloat8(d ir.DType, x float32, saturate bool) uint8 {
	return Float64ToFloat8(d, float64(x), saturate)
}

// Float4E2M1ToFloat32 decodes a float4e2m1 value held in the low 4 bits.
func Float4E2M1ToFloat32(code uint8) float32 { return f4Table[code&0xf] }

// Float64ToFloat4E2M1 rounds x to float4e2m1 (nearest even), saturating to
// ±6; NaN becomes 0x8, as the ONNX reference does.
func Float64ToFloat4E2M1(x float64) uint8 { return uint8(fmtE2M1.encode(x, true)) }

// E8M0ToFloat32 decodes a float8e8m0 value: 2^(code-127), or NaN for 0xFF.
func E8M0ToFloat32(code uint8) float32 { return e8m0Table[code] }

// Float64ToE8M0 encodes x as float8e8m0 (a power of two) with the given
// rounding. With saturate, out-of-range values clamp to the smallest or
// largest power and Inf to the largest; otherwise they become NaN (0xFF).
// The sign is ignored (negative inputs are undefined in the spec).
func Float64ToE8M0(x float64, round E8M0Round, saturate bool) uint8 {
	if math.IsNaN(x) {
		return 0xff
	}
	a := math.Abs(x)
	if math.IsInf(a, 0) {
		if saturate {
			return 0xfe
		}
		return 0xff
	}
	if a == 0 {
		if saturate {
			return 0
		}
		return 0xff
	}
	fr, e2 := math.Frexp(a) // a = (2fr) * 2^(e2-1), 2fr in [1, 2)
	m := 2 * fr
	e := e2 - 1
	if m != 1 {
		switch round {
		case E8M0Up:
			e++
		case E8M0Nearest:
			if m >= 1.5 {
				e++
			}
		}
	}
	b := e + 127
	switch {
	case b < 0:
		if saturate {
			return 0
		}
		return 0xff
	case b > 254:
		if saturate {
			return 0xfe
		}
		return 0xff
	}
	return uint8(b)
}

// Float64ToFloat16 rounds x to binary16 (ties to even) in one step, without
// the double rounding of a detour through float32.
func Float64ToFloat16(x float64) ir.F16 { return ir.F16(fmtF16.encode(x, false)) }

// Float64ToBFloat16 rounds x to bfloat16 (ties to even) in one step.
func Float64ToBFloat16(x float64) ir.BF16 { return ir.BF16(fmtBF16.encode(x, false)) }

// WrapInt keeps the low bits of v as a value of a 4-bit or 2-bit integer
// dtype (sign-extended for int4/int2), the Cast rule for out-of-range
// integers. Other dtypes return v unchanged.
func WrapInt(d ir.DType, v int64) int64 {
	switch d {
	case ir.Int4:
		return int64(int8(uint8(v)<<4) >> 4)
	case ir.Uint4:
		return v & 0xf
	case ir.Int2:
		return int64(int8(uint8(v)<<6) >> 6)
	case ir.Uint2:
		return v & 0x3
	}
	return v
}

// ParseNumber reads a string the way Cast does: plain or scientific
// notation, and INF/+INF/-INF/NaN in any letter case.
func ParseNumber(s string) (float64, error) {
	t := strings.TrimSpace(s)
	switch strings.ToLower(t) {
	case "inf", "+inf", "infinity", "+infinity":
		return math.Inf(1), nil
	case "-inf", "-infinity":
		return math.Inf(-1), nil
	case "nan", "+nan", "-nan":
		return math.NaN(), nil
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return v, nil // ±Inf or 0, as C's strtod gives
		}
		return 0, fmt.Errorf("cannot parse %q as a number", s)
	}
	return v, nil
}

// FormatFloat prints v as Cast to string does: the shortest decimal that
// reads back to the same value of the given bit size, and INF, -INF, NaN.
func FormatFloat(v float64, bits int) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "INF"
	case math.IsInf(v, -1):
		return "-INF"
	}
	return strconv.FormatFloat(v, 'g', -1, bits)
}

// ---------------------------------------------------------------------------
// Tensor conversion.

// ConvertTensor returns src converted to dtype to (a new tensor; src itself
// when the dtype already matches). saturate is Cast's attribute for float8
// targets; float8e8m0 targets round up.
func ConvertTensor(src *ir.Tensor, to ir.DType, saturate bool) (*ir.Tensor, error) {
	if src.DType == to {
		return src, nil
	}
	if !to.Valid() || to == ir.Complex64 || to == ir.Complex128 {
		return nil, fmt.Errorf("cannot convert to dtype %v", to)
	}
	dst := ir.NewTensor(to, src.Shape)
	if err := ConvertInto(dst, src, CastOptions{Saturate: saturate}); err != nil {
		return nil, err
	}
	return dst, nil
}

// ConvertInto converts every element of src into dst, which must have the
// same element count (its dtype is the target).
func ConvertInto(dst, src *ir.Tensor, o CastOptions) error {
	n := src.Len()
	if dst.Len() != n {
		return fmt.Errorf("BUG: ConvertInto: %d elements into %d", n, dst.Len())
	}
	if src.DType == ir.Complex64 || src.DType == ir.Complex128 || dst.DType == ir.Complex64 || dst.DType == ir.Complex128 {
		return fmt.Errorf("casting from or to complex (%v → %v) is not supported", src.DType, dst.DType)
	}
	if src.DType == dst.DType {
		copyData(dst.Data, src.Data)
		return nil
	}
	switch dst.DType {
	case ir.String:
		return convertToString(dst.Data.([]string), src)
	case ir.Float16, ir.BFloat16, ir.Float8E4M3FN, ir.Float8E4M3FNUZ, ir.Float8E5M2, ir.Float8E5M2FNUZ, ir.Float4E2M1, ir.Float8E8M0:
		return convertToSmallFloat(dst, src, o)
	case ir.Int4, ir.Int2, ir.Uint4, ir.Uint2:
		// Through int64 a chunk at a time (a stack buffer: no allocation).
		var buf [convertChunk]int64
		for lo := 0; lo < n; lo += convertChunk {
			tmp := buf[:min(convertChunk, n-lo)]
			if err := numbersAs(tmp, src, lo); err != nil {
				return err
			}
			switch d := dst.Data.(type) {
			case []int8:
				for i, v := range tmp {
					d[lo+i] = int8(WrapInt(dst.DType, v))
				}
			case []uint8:
				for i, v := range tmp {
					d[lo+i] = uint8(WrapInt(dst.DType, v))
				}
			}
		}
		return nil
	}
	return convertToNative(dst.Data, src)
}

// convertChunk is how many elements a conversion through an intermediate
// type handles at a time, in a buffer on the stack.
const convertChunk = 256

func copyData(dst, src any) {
	switch d := dst.(type) {
	case []float32:
		copy(d, src.([]float32))
	case []float64:
		copy(d, src.([]float64))
	case []ir.F16:
		copy(d, src.([]ir.F16))
	case []ir.BF16:
		copy(d, src.([]ir.BF16))
	case []int8:
		copy(d, src.([]int8))
	case []int16:
		copy(d, src.([]int16))
	case []int32:
		copy(d, src.([]int32))
	case []int64:
		copy(d, src.([]int64))
	case []uint8:
		copy(d, src.([]uint8))
	case []uint16:
		copy(d, src.([]uint16))
	case []uint32:
		copy(d, src.([]uint32))
	case []uint64:
		copy(d, src.([]uint64))
	case []bool:
		copy(d, src.([]bool))
	case []string:
		copy(d, src.([]string))
	case []complex64:
		copy(d, src.([]complex64))
	case []complex128:
		copy(d, src.([]complex128))
	default:
		panic(fmt.Sprintf("BUG: copyData of %T", dst))
	}
}

// nativeNum is the set of element types Go converts between directly.
type nativeNum interface {
	~float32 | ~float64 | ~int8 | ~int16 | ~int32 | ~int64 | ~uint8 | ~uint16 | ~uint32 | ~uint64
}

// convertToNative converts src into dst, a slice of a Go numeric type or
// []bool (dst's own dtype is a plain numeric or bool type, or a scratch
// []int64).
func convertToNative(dst any, src *ir.Tensor) error {
	n := src.Len()
	switch src.DType {
	case ir.Float32:
		nativeInto(dst, 0, src.Data.([]float32))
	case ir.Float64:
		nativeInto(dst, 0, src.Data.([]float64))
	case ir.Int8, ir.Int4, ir.Int2:
		nativeInto(dst, 0, src.Data.([]int8))
	case ir.Int16:
		nativeInto(dst, 0, src.Data.([]int16))
	case ir.Int32:
		nativeInto(dst, 0, src.Data.([]int32))
	case ir.Int64:
		nativeInto(dst, 0, src.Data.([]int64))
	case ir.Uint8, ir.Uint4, ir.Uint2:
		nativeInto(dst, 0, src.Data.([]uint8))
	case ir.Uint16:
		nativeInto(dst, 0, src.Data.([]uint16))
	case ir.Uint32:
		nativeInto(dst, 0, src.Data.([]uint32))
	case ir.Uint64:
		nativeInto(dst, 0, src.Data.([]uint64))
	case ir.Bool:
		var buf [convertChunk]uint8
		s := src.Data.([]bool)
		for lo := 0; lo < n; lo += convertChunk {
			tmp := buf[:min(convertChunk, n-lo)]
			for i := range tmp {
				tmp[i] = 0
				if s[lo+i] {
					tmp[i] = 1
				}
			}
			nativeInto(dst, lo, tmp)
		}
	case ir.String:
		return stringsToNative(dst, src.Data.([]string))
	default:
		var buf [convertChunk]float32
		for lo := 0; lo < n; lo += convertChunk {
			f := buf[:min(convertChunk, n-lo)]
			if err := smallFloatsInto(f, src, lo); err != nil {
				return err
			}
			nativeInto(dst, lo, f)
		}
	}
	return nil
}

// numbersAs converts elements [off, off+len(dst)) of a numeric, bool,
// string or small-float tensor into dst: float64 exactly (but for 64-bit
// integers beyond 2^53), int64 as nativeInto does (floats truncate). dst
// is typed, never an interface, so a caller's buffer on the stack stays
// there.
func numbersAs[D int64 | float64](dst []D, src *ir.Tensor, off int) error {
	n := len(dst)
	switch s := src.Data.(type) {
	case []float32:
		if src.DType == ir.Float32 {
			numsInto(dst, s[off:off+n])
			return nil
		}
	case []float64:
		numsInto(dst, s[off:off+n])
		return nil
	case []int8:
		numsInto(dst, s[off:off+n])
		return nil
	case []int16:
		numsInto(dst, s[off:off+n])
		return nil
	case []int32:
		numsInto(dst, s[off:off+n])
		return nil
	case []int64:
		numsInto(dst, s[off:off+n])
		return nil
	case []uint8:
		if src.DType == ir.Uint8 || src.DType == ir.Uint4 || src.DType == ir.Uint2 {
			numsInto(dst, s[off:off+n])
			return nil
		}
	case []uint16:
		numsInto(dst, s[off:off+n])
		return nil
	case []uint32:
		numsInto(dst, s[off:off+n])
		return nil
	case []uint64:
		numsInto(dst, s[off:off+n])
		return nil
	case []bool:
		for i, v := range s[off : off+n] {
			dst[i] = 0
			if v {
				dst[i] = 1
			}
		}
		return nil
	case []string:
		for i, v := range s[off : off+n] {
			x, err := parseNumberAs[D](v)
			if err != nil {
				return err
			}
			dst[i] = x
		}
		return nil
	}
	var buf [convertChunk]float32
	for lo := 0; lo < n; lo += convertChunk {
		f := buf[:min(convertChunk, n-lo)]
		if err := smallFloatsInto(f, src, off+lo); err != nil {
			return err
		}
		numsInto(dst[lo:], f)
	}
	return nil
}

// numsInto converts src into dst as nativeInto converts into int64,
// float64 or float32 (through float64, which holds every source value
// exactly or rounds it once, so the float32 is the direct conversion's).
func numsInto[D int64 | float64 | float32, S nativeNum](dst []D, src []S) {
	dst = dst[:len(src)]
	var z D
	if _, ok := any(z).(int64); ok {
		for i, v := range src {
			dst[i] = D(toInt64(v))
		}
		return
	}
	for i, v := range src {
		dst[i] = D(float64(v))
	}
}

// parseNumberAs parses a string as stringsToNative does for int64 or
// float64.
func parseNumberAs[D int64 | float64](s string) (D, error) {
	var z D
	if _, ok := any(z).(int64); ok {
		v, err := parseInt64String(s)
		return D(v), err
	}
	v, err := ParseNumber(s)
	return D(v), err
}

// nativeInto converts src element by element into dst from element off
// ([]bool: not zero).
func nativeInto[S nativeNum](dst any, off int, src []S) {
	switch d := dst.(type) {
	case []float32:
		d = d[off : off+len(src)]
		for i, v := range src {
			d[i] = float32(v)
		}
	case []float64:
		d = d[off : off+len(src)]
		for i, v := range src {
			d[i] = float64(v)
		}
	case []int8:
		d = d[off : off+len(src)]
		for i, v := range src {
			d[i] = int8(toInt64(v))
		}
	case []int16:
		d = d[off : off+len(src)]
		for i, v := range src {
			d[i] = int16(toInt64(v))
		}
	case []int32:
		d = d[off : off+len(src)]
		for i, v := range src {
			d[i] = int32(toInt64(v))
		}
	case []int64:
		d = d[off : off+len(src)]
		for i, v := range src {
			d[i] = toInt64(v)
		}
	case []uint8:
		d = d[off : off+len(src)]
		for i, v := range src {
			d[i] = uint8(toInt64(v))
		}
	case []uint16:
		d = d[off : off+len(src)]
		for i, v := range src {
			d[i] = uint16(toInt64(v))
		}
	case []uint32:
		d = d[off : off+len(src)]
		for i, v := range src {
			d[i] = uint32(toInt64(v))
		}
	case []uint64:
		d = d[off : off+len(src)]
		for i, v := range src {
			d[i] = toUint64(v)
		}
	case []bool:
		d = d[off : off+len(src)]
		for i, v := range src {
			d[i] = v != 0
		}
	default:
		panic(fmt.Sprintf("BUG: nativeInto %T", dst))
	}
}

// toInt64 converts a number to int64: floats truncate toward zero (NaN and
// out-of-range values give 0 or the nearest bound rather than Go's
// platform-dependent result), integers keep their bits.
func toInt64[S nativeNum](v S) int64 {
	switch x := any(v).(type) {
	case float32:
		return floatToInt64(float64(x))
	case float64:
		return floatToInt64(x)
	}
	return int64(v)
}

func toUint64[S nativeNum](v S) uint64 {
	switch x := any(v).(type) {
	case float32:
		return floatToUint64(float64(x))
	case float64:
		return floatToUint64(x)
	}
	return uint64(v)
}

func floatToInt64(x float64) int64 {
	switch {
	case x != x:
		return math.MinInt64
	case x >= 9.223372036854775807e18:
		return math.MaxInt64
	case x <= -9.223372036854775808e18:
		return math.MinInt64
	}
	return int64(x)
}

func floatToUint64(x float64) uint64 {
	switch {
	case x != x:
		return 0
	case x >= 1.8446744073709551615e19:
		return math.MaxUint64
	case x < 0:
		return uint64(floatToInt64(x))
	}
	return uint64(x)
}

// smallFloatsToFloat32 decodes a float16/bfloat16/float8/float4/e8m0 tensor.
func smallFloatsToFloat32(src *ir.Tensor) ([]float32, error) {
	out := make([]float32, src.Len())
	if err := smallFloatsInto(out, src, 0); err != nil {
		return nil, err
	}
	return out, nil
}

// smallFloatsInto decodes elements [off, off+len(dst)) of a float16,
// bfloat16, float8, float4 or e8m0 tensor into dst.
func smallFloatsInto(dst []float32, src *ir.Tensor, off int) error {
	n := len(dst)
	switch src.DType {
	case ir.Float16:
		for i, v := range src.Data.([]ir.F16)[off : off+n] {
			dst[i] = v.Float32()
		}
	case ir.BFloat16:
		for i, v := range src.Data.([]ir.BF16)[off : off+n] {
			dst[i] = v.Float32()
		}
	case ir.Float8E4M3FN, ir.Float8E4M3FNUZ, ir.Float8E5M2, ir.Float8E5M2FNUZ:
		tab := &f8Tables[f8TableIdx[src.DType]]
		for i, v := range src.Data.([]uint8)[off : off+n] {
			dst[i] = tab[v]
		}
	case ir.Float4E2M1:
		for i, v := range src.Data.([]uint8)[off : off+n] {
			dst[i] = f4Table[v&0xf]
		}
	case ir.Float8E8M0:
		for i, v := range src.Data.([]uint8)[off : off+n] {
			dst[i] = e8m0Table[v]
		}
	default:
		return fmt.Errorf("cannot convert from dtype %v", src.DType)
	}
	return nil
}

func convertToSmallFloat(dst, src *ir.Tensor, o CastOptions) error {
	// Fast exact paths from float32.
	if src.DType == ir.Float32 {
		s := src.Data.([]float32)
		switch dst.DType {
		case ir.Float16:
			d := dst.Data.([]ir.F16)
			for i, v := range s {
				d[i] = ir.NewFloat16(v)
			}
			return nil
		case ir.BFloat16:
			d := dst.Data.([]ir.BF16)
			for i, v := range s {
				d[i] = ir.NewBFloat16(v)
			}
			return nil
		}
	}
	// Every other source goes through float64 (float32 for the small
	// floats, which it holds exactly: no double rounding into float16 or
	// bfloat16), a chunk at a time in a buffer on the stack.
	n := src.Len()
	small := false
	switch src.DType {
	case ir.Float16, ir.BFloat16, ir.Float8E4M3FN, ir.Float8E4M3FNUZ, ir.Float8E5M2, ir.Float8E5M2FNUZ, ir.Float4E2M1, ir.Float8E8M0:
		small = true
	}
	var fbuf [convertChunk]float32
	var vbuf [convertChunk]float64
	for lo := 0; lo < n; lo += convertChunk {
		k := min(convertChunk, n-lo)
		vals := vbuf[:k]
		if small {
			f := fbuf[:k]
			if err := smallFloatsInto(f, src, lo); err != nil {
				return err
			}
			if dst.DType == ir.Float16 || dst.DType == ir.BFloat16 {
				smallFromFloat32(dst, lo, f)
				continue
			}
			for i, v := range f {
				vals[i] = float64(v)
			}
		} else if err := numbersAs(vals, src, lo); err != nil {
			return err
		}
		encodeSmallFloats(dst, lo, vals, o)
	}
	return nil
}

// smallFromFloat32 writes float32 values exactly representable as such
// into a float16 or bfloat16 dst from element off.
func smallFromFloat32(dst *ir.Tensor, off int, f []float32) {
	switch d := dst.Data.(type) {
	case []ir.F16:
		for i, v := range f {
			d[off+i] = ir.NewFloat16(v)
		}
	case []ir.BF16:
		for i, v := range f {
			d[off+i] = ir.NewBFloat16(v)
		}
	}
}

// encodeSmallFloats writes vals into dst (a float16, bfloat16, float8,
// float4 or e8m0 tensor) from element off.
func encodeSmallFloats(dst *ir.Tensor, off int, vals []float64, o CastOptions) {
	switch dst.DType {
	case ir.Float16:
		d := dst.Data.([]ir.F16)[off:]
		for i, v := range vals {
			d[i] = Float64ToFloat16(v)
		}
	case ir.BFloat16:
		d := dst.Data.([]ir.BF16)[off:]
		for i, v := range vals {
			d[i] = Float64ToBFloat16(v)
		}
	case ir.Float4E2M1:
		d := dst.Data.([]uint8)[off:]
		for i, v := range vals {
			d[i] = Float64ToFloat4E2M1(v)
		}
	case ir.Float8E8M0:
		d := dst.Data.([]uint8)[off:]
		for i, v := range vals {
			d[i] = Float64ToE8M0(v, o.Round, o.Saturate)
		}
	default:
		f, _, _ := f8Format(dst.DType)
		d := dst.Data.([]uint8)[off:]
		for i, v := range vals {
			d[i] = uint8(f.encode(v, o.Saturate))
		}
	}
}

func stringsToNative(dst any, src []string) error {
	switch d := dst.(type) {
	case []float32:
		for i, s := range src {
			v, err := ParseNumber(s)
			if err != nil {
				return err
			}
			d[i] = float32(v)
		}
		return nil
	case []float64:
		for i, s := range src {
			v, err := ParseNumber(s)
			if err != nil {
				return err
			}
			d[i] = v
		}
		return nil
	case []bool:
		for i, s := range src {
			switch strings.ToLower(strings.TrimSpace(s)) {
			case "true":
				d[i] = true
				continue
			case "false":
				d[i] = false
				continue
			}
			v, err := ParseNumber(s)
			if err != nil {
				return err
			}
			d[i] = v != 0
		}
		return nil
	}
	// Integers: exact parse when possible (64-bit values beyond 2^53), else
	// through float64 with truncation.
	tmp := make([]int64, len(src))
	for i, s := range src {
		v, err := parseInt64String(s)
		if err != nil {
			return err
		}
		tmp[i] = v
	}
	nativeInto(dst, 0, tmp)
	return nil
}

// parseInt64String parses an integer exactly when it is one (64-bit values
// beyond 2^53 included; unsigned ones keep their bits), else through
// float64 with truncation.
func parseInt64String(s string) (int64, error) {
	t := strings.TrimSpace(s)
	if v, err := strconv.ParseInt(t, 10, 64); err == nil {
		return v, nil
	}
	if v, err := strconv.ParseUint(t, 10, 64); err == nil {
		return int64(v), nil
	}
	v, err := ParseNumber(s)
	if err != nil {
		return 0, err
	}
	return floatToInt64(v), nil
}

func convertToString(dst []string, src *ir.Tensor) error {
	switch s := src.Data.(type) {
	case []float32:
		for i, v := range s {
			dst[i] = FormatFloat(float64(v), 32)
		}
	case []float64:
		for i, v := range s {
			dst[i] = FormatFloat(v, 64)
		}
	case []bool:
		for i, v := range s {
			if v {
				dst[i] = "1"
			} else {
				dst[i] = "0"
			}
		}
	case []int8:
		for i, v := range s {
			dst[i] = strconv.FormatInt(int64(v), 10)
		}
	case []int16:
		for i, v := range s {
			dst[i] = strconv.FormatInt(int64(v), 10)
		}
	case []int32:
		for i, v := range s {
			dst[i] = strconv.FormatInt(int64(v), 10)
		}
	case []int64:
		for i, v := range s {
			dst[i] = strconv.FormatInt(v, 10)
		}
	case []uint16:
		for i, v := range s {
			dst[i] = strconv.FormatUint(uint64(v), 10)
		}
	case []uint32:
		for i, v := range s {
			dst[i] = strconv.FormatUint(uint64(v), 10)
		}
	case []uint64:
		for i, v := range s {
			dst[i] = strconv.FormatUint(v, 10)
		}
	case []uint8:
		if src.DType == ir.Uint8 || src.DType == ir.Uint4 || src.DType == ir.Uint2 {
			for i, v := range s {
				dst[i] = strconv.FormatUint(uint64(v), 10)
			}
			return nil
		}
		f, err := smallFloatsToFloat32(src)
		if err != nil {
			return err
		}
		for i, v := range f {
			dst[i] = FormatFloat(float64(v), 32)
		}
	default: // float16, bfloat16
		f, err := smallFloatsToFloat32(src)
		if err != nil {
			return err
		}
		for i, v := range f {
			dst[i] = FormatFloat(float64(v), 32)
		}
	}
	return nil
}
