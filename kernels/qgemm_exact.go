package kernels

import (
	"math"
	"unsafe"

	"github.com/nncc/nncc/ir"
)

// Exact 8-bit integer products on the float32 SGEMM.
//
// ConvInteger, QLinearConv, MatMulInteger and QLinearMatMul with constant
// weights compute their int32 accumulators as float32 products of the
// zero-point-shifted operands. Every shifted 8-bit value is an integer of
// magnitude at most 255 (qActMax), every product of two is an integer
// below 2^16, and every partial sum of such products below 2^24 is exact
// in float32, in whatever order the SGEMM adds them. So the taps (K) are
// cut into chunks in which no output's partial sums can reach 2^24 —
// qActMax·Σ|w − wz| over the chunk's taps below 2^24 for every output
// (qExactChunks) — each chunk is one SGEMM whose float32 result is the
// exact integer, and the chunks are added in int32. Most layers need one
// chunk; the generic int32 loops (convCompute, matmulCore) remain the
// reference the tests compare with.

// qExactLimit is the magnitude below which every integer is exact in
// float32.
const qExactLimit = 1 << 24

// qActMax is the largest magnitude of an 8-bit value minus an 8-bit zero
// point of the same type.
const qActMax = 255

// qExactChunks returns the chunk boundaries 0 = b[0] < b[1] < … < b[n] = k
// of the k taps such that, for each of the rows outputs,
// qActMax·Σ_{b[i] ≤ p < b[i+1]} |w(r, p)| < 2^24, where w(r, p) =
// w[r·rs + p·ps] are integer-valued (shifted) weights. A single tap never
// reaches the limit (255·255 < 2^24), so every chunk holds at least one.
func qExactChunks(w []float32, rows, k, rs, ps int) []int {
	bounds := []int{0}
	sums := make([]float64, rows)
	for p := range k {
		for r := range rows {
			if sums[r]+qActMax*math.Abs(float64(w[r*rs+p*ps])) >= qExactLimit {
				bounds = append(bounds, p)
				clear(sums)
				break
			}
		}
		for r := range rows {
			sums[r] += qActMax * math.Abs(float64(w[r*rs+p*ps]))
		}
	}
	return append(bounds, k)
}

// qShiftedWeights returns the 8-bit constant weights w minus their zero
// point zp (nil: 0; one value; or one per group of len(w)/channels
// consecutive elements when perChannel is channels > 0, else one per
// element of the innermost axis of length cols when cols > 0) as float32.
func qShiftedWeights(w, zp *ir.Tensor, channels, cols int) ([]float32, bool) {
	wv, ok := qInt32s(w)
	if !ok {
		return nil, false
	}
	z := []int32{0}
	if zp != nil {
		if zp.DType != w.DType {
			return nil, false
		}
		if z, ok = qInt32s(zp); !ok {
			return nil, false
		}
	}
	out := make([]float32, len(wv))
	switch {
	case len(z) == 1:
		for i, v := range wv {
			out[i] = float32(v - z[0])
		}
	case channels > 0 && len(z) == channels:
		blk := len(wv) / channels
		for i, v := range wv {
			out[i] = float32(v - z[i/blk])
		}
	case cols > 0 && len(z) == cols:
		for i, v := range wv {
			out[i] = float32(v - z[i%cols])
		}
	default:
		return nil, false
	}
	return out, true
}

// qInt32s widens an int8 or uint8 tensor to int32 (ok false for other
// dtypes). It allocates: for build time only.
func qInt32s(t *ir.Tensor) ([]int32, bool) {
	switch d := t.Data.(type) {
	case []int8:
		out := make([]int32, len(d))
		for i, v := range d {
			out[i] = int32(v)
		}
		return out, true
	case []uint8:
		if t.DType != ir.Uint8 {
			return nil, false
		}
		out := make([]int32, len(d))
		for i, v := range d {
			out[i] = int32(v)
		}
		return out, true
	}
	return nil, false
}

// qScalarZP returns the single value of an 8-bit zero point (0 when zp is
// nil); ok is false for another dtype or more than one element.
func qScalarZP(zp *ir.Tensor) (int32, bool) {
	if zp == nil {
		return 0, true
	}
	switch d := zp.Data.(type) {
	case []int8:
		if len(d) == 1 {
			return int32(d[0]), true
		}
	case []uint8:
		if len(d) == 1 && zp.DType == ir.Uint8 {
			return int32(d[0]), true
		}
	}
	return 0, false
}

// qShiftToF32 writes dst[i] = float32(x[off+i] − zp) for the 8-bit
// tensor data x ([]uint8 or []int8; ok false otherwise).
func qShiftToF32(dst []float32, x any, off int, zp int32) bool {
	switch s := x.(type) {
	case []uint8:
		s = s[off : off+len(dst)]
		z := float32(zp)
		for i, v := range s {
			dst[i] = float32(v) - z
		}
	case []int8:
		s = s[off : off+len(dst)]
		z := float32(zp)
		for i, v := range s {
			dst[i] = float32(v) - z
		}
	default:
		return false
	}
	return true
}

// qF32View is the float32 view of an int32 buffer: a chunk's exact float
// result is computed in the memory of the int32 output it is converted to
// in place (qToInt32).
func qF32View(y []int32) []float32 {
	if len(y) == 0 {
		return nil
	}
	return unsafe.Slice((*float32)(unsafe.Pointer(&y[0])), len(y))
}

// qI32View is the int32 view of a float32 scratch buffer.
func qI32View(f []float32) []int32 {
	if len(f) == 0 {
		return nil
	}
	return unsafe.Slice((*int32)(unsafe.Pointer(&f[0])), len(f))
}

// qI32View64 is the int32 view (twice as long) of an int64 buffer.
func qI32View64(s []int64) []int32 {
	if len(s) == 0 {
		return nil
	}
	return unsafe.Slice((*int32)(unsafe.Pointer(&s[0])), 2*len(s))
}

// qToInt32 converts y, which holds integer-valued float32 values in its
// float32 view, to int32 in place.
func qToInt32(y []int32) {
	f := qF32View(y)
	for i, v := range f {
		y[i] = int32(v)
	}
}

// qAddInt32 adds the integer-valued float32 values f to y.
func qAddInt32(y []int32, f []float32) {
	f = f[:len(y)]
	for i, v := range f {
		y[i] += int32(v)
	}
}
