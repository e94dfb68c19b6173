package kernels

import "github.com/nncc/nncc/ir"

// nncc.ConcatNCHWc: the channel Concat of blocked tensors whose channel
// counts need not be multiples of the block (ir/ops_nchwc.go). Input i's
// channels start at output channel off_i = Σ_{j<i} c_j; a block of input
// i whose first channel lands on a block boundary is one contiguous copy,
// any other is a lane-shifting copy into one or two output blocks (for
// block 16 on AVX-512 a masked store per pixel,
// kernels/amd64 NCHWcLaneCopyAVX512). Padding channels of the output's
// last block are written zero; those of the inputs are never read into
// real channels.

func init() {
	Register(ir.FusedDomain, "ConcatNCHWc", buildConcatNCHWc)
}

func buildConcatNCHWc(b *Build) (Func, error) {
	blk := int(b.Attrs().Int("block", 0))
	if blk <= 0 || blk > 64 {
		return nil, b.Errorf("block %d must be in 1..64", blk)
	}
	chans := b.Attrs().Ints("channels", nil)
	if len(chans) != len(b.Node.Inputs) {
		return nil, b.Errorf("channels has %d values for %d inputs", len(chans), len(b.Node.Inputs))
	}
	total := int64(0)
	for i, ch := range chans {
		if ch <= 0 {
			return nil, b.Errorf("channels[%d] = %d must be positive", i, ch)
		}
		total += ch
	}
	laneCopy := func(dst, src []float32, lo, hi, shift int) { nchwcLaneCopyAny(dst, src, lo, hi, shift, blk) }
	if blk == 16 {
		laneCopy = nchwcLaneCopy(b.Level)
	}
	shapes := &nchwcShapeCache{}
	return func(c *Ctx, in []*ir.Tensor) error {
		s0 := in[0].Shape
		for i, x := range in {
			if x == nil || x.DType != ir.Float32 {
				return c.Errorf("input %d must be float32", i)
			}
			s := x.Shape
			if len(s) != 5 || s[4] != int64(blk) || s[1] != ir.NCHWcBlocks(chans[i], int64(blk)) ||
				s[0] != s0[0] || s[2] != s0[2] || s[3] != s0[3] {
				return c.Errorf("input %d has shape %v; expected [%d %d %d %d %d]", i, s, s0[0], ir.NCHWcBlocks(chans[i], int64(blk)), s0[2], s0[3], blk)
			}
		}
		cb := ir.NCHWcBlocks(total, int64(blk))
		out, err := c.OutputUninit(0, ir.Float32, shapes.get(s0[0], cb, s0[2], s0[3], int64(blk)))
		if err != nil {
			return err
		}
		plane := int(s0[2]*s0[3]) * blk
		dst := out.F32()
		for n := range int(s0[0]) {
			img := dst[n*int(cb)*plane:][:int(cb)*plane]
			if total%int64(blk) != 0 {
				clear(img[(int(cb)-1)*plane:])
			}
			off := 0
			for i, x := range in {
				ci := int(chans[i])
				cbi := (ci + blk - 1) / blk
				src := x.F32()[n*cbi*plane:][:cbi*plane]
				for ib := range cbi {
					lanes := min(blk, ci-ib*blk)
					g := off + ib*blk
					ob, sh := g/blk, g%blk
					sb := src[ib*plane:][:plane]
					d0 := img[ob*plane:][:plane]
					if sh == 0 && lanes == blk {
						copy(d0, sb)
						continue
					}
					k := min(lanes, blk-sh)
					laneCopy(d0, sb, 0, k, sh)
					if lanes > k {
						laneCopy(img[(ob+1)*plane:][:plane], sb, k, lanes, -k)
					}
				}
				off += ci
			}
		}
		return nil
	}, nil
}

// nchwcLaneCopyAny is amd64.NCHWcLaneCopyGo for pixels of blk lanes: for
// every pixel p < len(src)/blk and lane l in [lo, hi),
// dst[blk·p + l + shift] = src[blk·p + l].
func nchwcLaneCopyAny(dst, src []float32, lo, hi, shift, blk int) {
	for p := range len(src) / blk {
		s := src[blk*p : blk*p+blk]
		d := dst[blk*p : blk*p+blk]
		for l := lo; l < hi; l++ {
			d[l+shift] = s[l]
		}
	}
}
