package kernels

import (
	"fmt"

	"github.com/nncc/nncc/internal/recycle"
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/isa"
	"github.com/nncc/nncc/kernels/qgemm"
	"github.com/nncc/nncc/kernels/sgemm"
	"github.com/nncc/nncc/kernels/winograd"
)

// The int32 accumulator of ConvInteger and QLinearConv with constant
// weights, exactly, on the float32 SGEMM (qgemm_exact.go): per image and
// group, the 8-bit input minus its zero point is widened to float32 in
// scratch, bordered with zeros (padding with the zero point) by the float
// convolution's patch layout (conv_patches.go), and each chunk of taps is
// one sgemm.SgemmSource product with the shifted weights packed once at
// build. Nothing is allocated per Run once the scratch has grown.

// convIntAcc is the exact-accumulator plan of one integer convolution node
// with constant weights.
type convIntAcc struct {
	spec   *convSpec
	ws     []int64 // weight shape
	m, kk  int     // output channels, taps per output (C/group · kernel)
	group  int
	chunks []int              // tap chunk boundaries (qExactChunks)
	pa     [][]*sgemm.PackedA // [group][chunk]: shifted weights
	q      []*qgemm.Weights   // per group, when the level has the integer GEMM (then pa is nil)
	jobs   recycle.Pool       // *convIntJob
	level  isa.Level
}

// convIntJob holds one Run's patch sources (pooled so that handing them
// to the SGEMM as interfaces allocates nothing).
type convIntJob struct {
	src   convPatches
	chunk qChunkSource
	q     convU8Patches // the qgemm path's source
}

// qChunkSource is the rows [k0, …) of a patch matrix: the B operand of one
// chunk's product.
type qChunkSource struct {
	p  *convPatches
	k0 int
}

// PackStrip implements sgemm.BSource over rows k0+pc … of the patches.
func (s *qChunkSource) PackStrip(dst []float32, pc, kc, j0, cols, nr int) {
	s.p.PackStrip(dst, s.k0+pc, kc, j0, cols, nr)
}

// newConvIntAcc prepares the exact path for a node whose weights (input
// wi) and weight zero point (input zi) are constants; nil when they are
// not (the generic loops then run).
func newConvIntAcc(b *Build, spec *convSpec, wi, zi int) *convIntAcc {
	w := b.Node.In(wi)
	if w == nil || w.Const == nil || w.Const.Kind != ir.KindTensor || len(w.Const.Shape) < 3 {
		return nil
	}
	var zp *ir.Tensor
	if z := b.Node.In(zi); z != nil {
		if z.Const == nil || z.Const.Kind != ir.KindTensor {
			return nil
		}
		zp = z.Const
	}
	ws := w.Const.Shape
	m := int(ws[0])
	if m == 0 || spec.group <= 0 || m%spec.group != 0 {
		return nil
	}
	wf, ok := qShiftedWeights(w.Const, zp, m, 0)
	if !ok {
		return nil
	}
	kk := len(wf) / m
	if kk == 0 {
		return nil
	}
	k := &convIntAcc{spec: spec, ws: ws, m: m, kk: kk, group: spec.group, level: b.Level}
	k.jobs.New = func() any { return new(convIntJob) }
	if k.q = convIntQWeights(b, w.Const, zp, m, spec.group); k.q != nil {
		return k
	}
	k.chunks = qExactChunks(wf, m, kk, kk, 1)
	mg := m / spec.group
	k.pa = make([][]*sgemm.PackedA, spec.group)
	for gi := range spec.group {
		for ci := 0; ci+1 < len(k.chunks); ci++ {
			k0, k1 := k.chunks[ci], k.chunks[ci+1]
			k.pa[gi] = append(k.pa[gi], b.PackA(false, mg, k1-k0, wf[gi*mg*kk+k0:], kk))
		}
	}
	return k
}

// run computes the int32 accumulator y ([N, M, out...], len N·M·out) of x
// (8-bit, zero point xz) for geometry g; ok is false when g has no float
// patch layout (ranks above 3, negative padding): the caller then runs the
// generic loops.
func (k *convIntAcc) run(c *Ctx, g *convGeom, x *ir.Tensor, xz int32, y []int32) (bool, error) {
	l := g.layout()
	if l == nil || g.group != k.group || g.m != k.m {
		return false, nil
	}
	cg, mg, os, in := g.c/g.group, g.m/g.group, g.outSize, g.inSize
	if cg*g.kSize != k.kk {
		return false, fmt.Errorf("BUG: ConvInteger taps %d, planned %d", cg*g.kSize, k.kk)
	}
	if k.q != nil {
		return k.runQ(c, g, l, x, xz, y)
	}
	nChunks := len(k.chunks) - 1
	xfLen, padLen := cg*in, l.padLen(cg)
	accLen := 0
	if nChunks > 1 {
		accLen = mg * os
	}
	buf := c.ScratchF32(xfLen + padLen + accLen)
	xf, pbuf, acc := buf[:xfLen], buf[xfLen:xfLen+padLen], buf[xfLen+padLen:]
	j := k.jobs.Get().(*convIntJob)
	defer k.jobs.Put(j)
	for n := range g.n {
		for gi := range g.group {
			if !qShiftToF32(xf, x.Data, (n*g.c+gi*cg)*in, xz) {
				return true, c.Errorf("input x has dtype %v, expected int8 or uint8", x.DType)
			}
			j.src = convPatches{l: l, x: l.source(pbuf, xf, cg)}
			ys := y[(n*g.m+gi*mg)*os : (n*g.m+(gi+1)*mg)*os]
			for ci := range nChunks {
				j.chunk = qChunkSource{p: &j.src, k0: k.chunks[ci]}
				if ci == 0 {
					sgemm.SgemmSource(k.pa[gi][0], os, 1, &j.chunk, 0, qF32View(ys), os, nil, c.Pool)
					qToInt32(ys)
					continue
				}
				sgemm.SgemmSource(k.pa[gi][ci], os, 1, &j.chunk, 0, acc, os, nil, c.Pool)
				qAddInt32(ys, acc)
			}
		}
	}
	return true, nil
}

// FloatConvExact reports whether a float32 Conv by constant weights of
// shape ws with attributes attrs, on an input of type x, runs at level l
// only on kernels that add the products themselves in float32 (direct,
// im2col, flat, blocked): then integer-valued operands whose partial sums
// stay below 2^24 give the exact integer result, as the integer-float
// rewrite of ConvInteger needs. It is false where a Winograd form may be
// chosen (its input and output transforms round): a 2-D 3×3, stride-1,
// undilated single-group convolution whose shape the plain or the blocked
// kernel's rule accepts, or whose spatial sizes are not known yet.
func FloatConvExact(l isa.Level, x ir.Type, ws []int64, attrs ir.Attrs) bool {
	if len(ws) != 4 || ws[2] != 3 || ws[3] != 3 || attrs.Int("group", 1) != 1 {
		return true
	}
	wa, err := ir.ParseWindowAttrs(attrs, 2, ws[2:])
	if err != nil || wa.Strides[0] != 1 || wa.Strides[1] != 1 || wa.Dilations[0] != 1 || wa.Dilations[1] != 1 {
		return true
	}
	if !x.RankKnown || len(x.Shape) != 4 || !x.Shape[2].Known() || !x.Shape[3].Known() {
		return false
	}
	oh, _, _, err1 := wa.Axis(0, x.Shape[2].Size)
	ow, _, _, err2 := wa.Axis(1, x.Shape[3].Size)
	if err1 != nil || err2 != nil {
		return false
	}
	c, m := int(ws[1]), int(ws[0])
	if m >= convWinoMinOut && winograd.Pick(c, m, int(oh), int(ow)) > 0 {
		return false
	}
	return !nchwcWinoWanted(l, c, m, int(oh), int(ow))
}
