package kernels

import "github.com/nncc/nncc/ir"

// The 8-bit fast paths of QuantizeLinear and DequantizeLinear: float32
// values and scales, uint8 or int8 codes, one scale per tensor or per
// axis, on the vector routines of the build's ISA (quantVec). They give
// the same bits as the general loops in quant.go.

// quantByteRange gives the code range of the 8-bit types the fast paths
// handle.
func quantByteRange(d ir.DType) (qmin, qmax int32, signed, ok bool) {
	switch d {
	case ir.Uint8:
		return 0, 255, false, true
	case ir.Int8:
		return -128, 127, true, true
	}
	return 0, 0, false, false
}

// quantZeroPoint returns element j of an 8-bit zero point, or 0 without
// one.
func quantZeroPoint(zp *ir.Tensor, j int) int32 {
	if zp == nil {
		return 0
	}
	switch d := zp.Data.(type) {
	case []uint8:
		return int32(d[j])
	case []int8:
		return int32(d[j])
	}
	panic("BUG: quantZeroPoint of a non-8-bit zero point")
}

// quantFastInner is the least run of values sharing one scale for which
// a per-axis tensor takes the fast path (below it the per-run calls cost
// more than the general loop).
const quantFastInner = 16

// quantizeFast quantizes x into out when the case is one of the fast
// paths' (float32 x and scale, no precision attribute other than float,
// an 8-bit output, per tensor or per axis with runs of quantFastInner
// values); it reports whether it did.
func quantizeFast(c *Ctx, vec *quantVec, x, scale, zp, out *ir.Tensor, lay *quantLayout, precision ir.DType) bool {
	qmin, qmax, _, ok := quantByteRange(out.DType)
	if !ok || x.DType != ir.Float32 || scale.DType != ir.Float32 || (precision != ir.Undefined && precision != ir.Float32) {
		return false
	}
	if zp != nil && zp.DType != out.DType {
		return false
	}
	if lay.kind == 1 && lay.inner < quantFastInner || lay.kind > 1 {
		return false
	}
	xs, ss := x.F32(), scale.F32()
	var qs []uint8
	switch d := out.Data.(type) {
	case []uint8:
		qs = d
	case []int8:
		qs = int8Bytes(d)
	}
	if lay.kind == 0 {
		z := quantZeroPoint(zp, 0)
		j, chunks := newQuantJob(vec, c.Pool, len(xs))
		j.xs, j.qs, j.scale, j.lo, j.hi, j.zp = xs, qs, ss[0], float32(qmin-z), float32(qmax-z), z
		j.run(c.Pool, chunks, j.fnQuant)
		j.release()
		return true
	}
	for base := 0; base < len(xs); base += lay.inner {
		a := (base / lay.inner) % lay.axisDim
		z := quantZeroPoint(zp, a)
		vec.quantize(qs[base:base+lay.inner], xs[base:base+lay.inner], ss[a], float32(qmin-z), float32(qmax-z), z)
	}
	return true
}

// dequantizeFast dequantizes x into out when the case is one of the fast
// paths' (8-bit x, float32 scale and output, per tensor or per axis with
// runs of quantFastInner values); it reports whether it did.
func dequantizeFast(c *Ctx, vec *quantVec, x, scale, zp, out *ir.Tensor, lay *quantLayout) bool {
	_, _, signed, ok := quantByteRange(x.DType)
	if !ok || scale.DType != ir.Float32 || out.DType != ir.Float32 {
		return false
	}
	if lay.kind > 1 {
		return false
	}
	var qs []uint8
	switch d := x.Data.(type) {
	case []uint8:
		qs = d
	case []int8:
		qs = int8Bytes(d)
	}
	ys, ss := out.F32(), scale.F32()
	if lay.kind == 1 && lay.inner < quantFastInner {
		// Runs too short for the vector routine: the reference's float32
		// (x - zero point) · scale, element by element, without the
		// reference's widened copies of x.
		for i, q := range qs {
			a := (i / lay.inner) % lay.axisDim
			v := float32(q)
			if signed {
				v = float32(int8(q))
			}
			ys[i] = (v - float32(quantZeroPoint(zp, a))) * ss[a]
		}
		return true
	}
	if lay.kind == 0 {
		j, chunks := newQuantJob(vec, c.Pool, len(qs))
		j.xs, j.qs, j.signed, j.scale, j.zpf = ys, qs, signed, ss[0], float32(quantZeroPoint(zp, 0))
		j.run(c.Pool, chunks, j.fnDeque)
		j.release()
		return true
	}
	for base := 0; base < len(qs); base += lay.inner {
		a := (base / lay.inner) % lay.axisDim
		vec.dequantize(ys[base:base+lay.inner], qs[base:base+lay.inner], signed, ss[a], float32(quantZeroPoint(zp, a)))
	}
	return true
}
