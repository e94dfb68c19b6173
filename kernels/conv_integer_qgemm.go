package kernels

import (
	"encoding/binary"
	"os"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/isa"
	"github.com/nncc/nncc/kernels/qgemm"
)

// ConvInteger and QLinearConv with constant weights on the integer GEMM
// (kernels/qgemm: exact u8·s8 products, VPDPBUSD on AVX-512 VNNI), used
// in place of the float32 SGEMM's exact path when the build's level has
// the assembly kernel. Per image and group the 8-bit input is copied
// once as unsigned bytes (int8 inputs with their top bit flipped, the
// zero point raised by 128, which leaves every x − xz unchanged),
// bordered with the zero point where the convolution pads, and the patch
// matrix is read from that copy block by block (convU8Patches) while the
// threads run qgemm.Compute over the blocks. Results are the exact int32
// sums, bit for bit those of the float path and of the int32 loops.

// qgemmWanted reports whether the integer operators of a build at this
// level run on qgemm: the level has its assembly kernel and NNCC_QGEMM
// is not "off" (read at each build, for A/B measurements against the
// float path).
func qgemmWanted(b *Build) bool {
	return qgemm.Has(b.Level) && os.Getenv("NNCC_QGEMM") != "off"
}

// IntegerConvPreferred reports whether a dynamically quantized
// ConvInteger built for level l should stay an integer convolution rather
// than become the float convolution passes/integer-float makes of it: at
// AVX-512, where it runs on qgemm's VNNI kernel (measured on the quantized
// ISNet at 1024×1024, 2026-11-30, bench/ortcompare, machine shared: nncc
// against ONNX Runtime 0.487 at one thread with the ConvIntegers kept
// against 0.971 with them rewritten). The rule names the level, not this
// CPU, so that an artifact compiled for a level is the same everywhere;
// an AVX-512 CPU without VNNI runs the kept convolutions on the AVX2
// tile (not measured against the rewrite). NNCC_QGEMM=off, which turns
// qgemm off, turns the rewrite back on.
func IntegerConvPreferred(l isa.Level) bool {
	return l == isa.AVX512 && os.Getenv("NNCC_QGEMM") != "off"
}

// convIntQWeights packs the constant weights of each group for qgemm:
// nil when the level has no integer kernel or the weights are not 8-bit.
func convIntQWeights(b *Build, w, zp *ir.Tensor, m, group int) []*qgemm.Weights {
	if !qgemmWanted(b) {
		return nil
	}
	wv, ok := qInt32s(w)
	if !ok || len(wv)%m != 0 {
		return nil
	}
	z := []int32{0}
	if zp != nil {
		if zp.DType != w.DType {
			return nil
		}
		if z, ok = qInt32s(zp); !ok || len(z) != 1 && len(z) != m {
			return nil
		}
	}
	kk, mg := len(wv)/m, m/group
	out := make([]*qgemm.Weights, group)
	for gi := range group {
		zg := z
		if len(z) == m {
			zg = z[gi*mg : (gi+1)*mg]
		}
		pw, err := qgemm.PackWeights(wv[gi*mg*kk:(gi+1)*mg*kk], mg, kk, zg, w.DType == ir.Uint8)
		if err != nil {
			return nil
		}
		out[gi] = pw
	}
	return out
}

// runQ is run on the integer GEMM (k.q set): y ([N, M, out...]) is the
// exact accumulator of x (8-bit, zero point xz) for geometry g, whose
// layout l is known.
func (k *convIntAcc) runQ(c *Ctx, g *convGeom, l *convLayout, x *ir.Tensor, xz int32, y []int32) (bool, error) {
	cg, mg, os, in := g.c/g.group, g.m/g.group, g.outSize, g.inSize
	var xu []uint8
	flip := false
	switch d := x.Data.(type) {
	case []uint8:
		if x.DType != ir.Uint8 {
			return true, c.Errorf("input x has dtype %v, expected int8 or uint8", x.DType)
		}
		xu = d
	case []int8:
		xu, flip, xz = int8Bytes(d), true, xz+128
	default:
		return true, c.Errorf("input x has dtype %v, expected int8 or uint8", x.DType)
	}
	copyIn := flip || l.padded
	var buf []uint8
	if copyIn {
		buf = c.ScratchBytes(max(l.borderLen(cg), cg*in))
	}
	j := k.jobs.Get().(*convIntJob)
	defer k.jobs.Put(j)
	defer j.q.release()
	src := &j.q
	src.l = l
	for n := range g.n {
		for gi := range g.group {
			xs := xu[(n*g.c+gi*cg)*in : (n*g.c+(gi+1)*cg)*in]
			if copyIn {
				xs = l.padU8(buf, xs, cg, uint8(xz), flip)
			}
			src.x = xs
			ys := y[(n*g.m+gi*mg)*os : (n*g.m+(gi+1)*mg)*os]
			if err := qgemm.Compute(k.level, k.q[gi], src, os, xz, ys, os, c.Pool); err != nil {
				return true, c.Errorf("%v", err)
			}
		}
	}
	return true, nil
}

// padU8 writes the cg channels of x (d slices of h×w bytes) into dst —
// bordered (hp×wp per channel) with the byte z when the convolution pads
// — flipping each byte's top bit when flip (int8 → uint8 + 128), and
// returns the written part of dst.
func (l *convLayout) padU8(dst, x []uint8, cg int, z uint8, flip bool) []uint8 {
	var mask uint8
	if flip {
		mask = 0x80
	}
	if !l.padded {
		out := dst[:len(x)]
		qXorCopy(out, x, mask)
		return out
	}
	in, slice := l.h*l.w, l.hs*l.wp
	out := dst[:l.borderLen(cg)]
	qFill(out, z)
	for ci := range cg {
		vol := out[ci*l.hp*l.wp : (ci+1)*l.hp*l.wp]
		for dz := range l.d {
			src := x[(ci*l.d+dz)*in : (ci*l.d+dz+1)*in]
			d := vol[(l.pf+dz)*slice : (l.pf+dz+1)*slice]
			for y := range l.h {
				qXorCopy(d[(l.pt+y)*l.wp+l.pl:(l.pt+y)*l.wp+l.pl+l.w], src[y*l.w:(y+1)*l.w], mask)
			}
		}
	}
	return out
}

// qFill sets every byte of d to z, by doubling copies (a byte loop with
// a non-zero value does not compile to a memset).
func qFill(d []uint8, z uint8) {
	if len(d) == 0 {
		return
	}
	d[0] = z
	for n := 1; n < len(d); n *= 2 {
		copy(d[n:], d[:n])
	}
}

// qXorCopy writes dst[i] = src[i] ^ mask (same lengths): a copy when mask
// is 0, else 8 bytes at a time.
func qXorCopy(dst, src []uint8, mask uint8) {
	if mask == 0 {
		copy(dst, src)
		return
	}
	m := uint64(mask) * 0x0101010101010101
	src = src[:len(dst)]
	i := 0
	for ; i+8 <= len(dst); i += 8 {
		binary.LittleEndian.PutUint64(dst[i:], binary.LittleEndian.Uint64(src[i:])^m)
	}
	for ; i < len(dst); i++ {
		dst[i] = src[i] ^ mask
	}
}

// convU8Patches is the patch matrix of one image and group over the
// (bordered) unsigned-byte input x, as a qgemm.Source: row p and column
// o = (output row r, column ox) hold x[tap[p] + rowOff(r) + ox·SW].
type convU8Patches struct {
	l *convLayout
	x []uint8
}

// release drops the references to the layout and the input (the source
// is pooled).
func (s *convU8Patches) release() { *s = convU8Patches{} }

// Rows implements qgemm.Source.
func (s *convU8Patches) Rows(dst []uint8, ld, j0, cols int) {
	l := s.l
	if l.flat {
		for p, t := range l.tap {
			copy(dst[p*ld:p*ld+cols], s.x[t+j0:t+j0+cols])
		}
		return
	}
	var segs [convMaxSegs]convSeg
	oy, ox := j0/l.ow, j0%l.ow
	for j := 0; j < cols; {
		ns := 0
		for ; j < cols && ns < convMaxSegs; ns++ {
			n := min(l.ow-ox, cols-j)
			segs[ns] = convSeg{j: j, off: l.rowOff(oy) + ox*l.sw, n: n}
			j += n
			oy, ox = oy+1, 0
		}
		convFillSegsU8(dst, s.x, l.tap, segs[:ns], ld, l.sw)
	}
}

// convFillSegsU8 writes, for every row p (tap taps[p]) and segment, the
// segment's run of x into dst[p*ld+seg.j:].
func convFillSegsU8(dst, x []uint8, taps []int, segs []convSeg, ld, sw int) {
	if sw != 1 {
		convFillStrided(dst, x, taps, segs, ld, sw)
		return
	}
	for p, t := range taps {
		d := dst[p*ld : p*ld+ld]
		for _, sg := range segs {
			convCopyRunU8(d[sg.j:sg.j+sg.n], x[t+sg.off:t+sg.off+sg.n])
		}
	}
}

// convCopyRunU8 copies src into dst (same length) in 8-byte blocks, the
// last one overlapping the previous, and byte by byte below 8: runs of a
// few output columns are too short for the built-in copy's call.
func convCopyRunU8(dst, src []uint8) {
	n := len(dst)
	if n < 8 {
		for i := range dst {
			dst[i] = src[i]
		}
		return
	}
	if n > 64 {
		copy(dst, src)
		return
	}
	src = src[:n]
	for i := 0; i < n-8; i += 8 {
		*(*[8]uint8)(dst[i:]) = *(*[8]uint8)(src[i:])
	}
	*(*[8]uint8)(dst[n-8:]) = *(*[8]uint8)(src[n-8:])
}
