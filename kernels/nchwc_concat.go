package kernels

import (
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/amd64"
)

// nncc.ConcatNCHWc: the channel Concat of blocked tensors whose channel
// counts need not be multiples of the block (ir/ops_nchwc.go). Input i's
// channels start at output channel off_i = Σ_{j<i} c_j; a block of input
// i whose first channel lands on a block boundary is one contiguous copy,
// any other is a lane-shifting copy into one or two output blocks (for
// block 16 on AVX-512 a masked store per pixel,
// kernels/amd64 NCHWcLaneCopyAVX512). Padding channels of the output's
// last block are written zero; those of the inputs are never read into
// real channels. Large concatenations split their pixel rows over the
// pool's threads (every thread writes whole pixels, so no two threads
// share a cache line of the output).

func init() {
	Register(ir.FusedDomain, "ConcatNCHWc", buildConcatNCHWc)
}

// concatNCHWcGrain is the number of output floats worth a thread hand-off.
const concatNCHWcGrain = 1 << 15

func buildConcatNCHWc(b *Build) (Func, error) {
	blk := int(b.Attrs().Int("block", 0))
	if blk <= 0 || blk > 64 {
		return nil, b.Errorf("block %d must be in 1..64", blk)
	}
	chans := b.Attrs().Ints("input_channels", nil)
	if len(chans) != len(b.Node.Inputs) {
		return nil, b.Errorf("input_channels has %d values for %d inputs", len(chans), len(b.Node.Inputs))
	}
	total := int64(0)
	for i, ch := range chans {
		if ch <= 0 {
			return nil, b.Errorf("input_channels[%d] = %d must be positive", i, ch)
		}
		total += ch
	}
	var laneCopy func(dst, src []float32, lo, hi, shift int)
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
		j := concatNCHWcJob{ins: in, chans: chans, dst: out.F32(), blk: blk, cb: int(cb), hw: int(s0[2] * s0[3]),
			pad: total%int64(blk) != 0, laneCopy: laneCopy}
		rows := int(s0[0] * s0[2])
		if n := len(j.dst); c.Pool != nil && c.Pool.Threads() > 1 && n >= 2*concatNCHWcGrain && rows > 1 {
			j.w = int(s0[3])
			concatNCHWcJobs.For(c.Pool, rows, max(1, concatNCHWcGrain/(int(cb)*j.w*blk)), j)
		} else {
			j.w = int(s0[2] * s0[3]) // one row per image: whole planes
			j.run(0, int(s0[0]))
		}
		return nil
	}, nil
}

// concatNCHWcJob is one ConcatNCHWc over rows of w pixels: row r is
// pixels [(r mod rowsPerImage)·w, +w) of image r / rowsPerImage.
type concatNCHWcJob struct {
	ins      []*ir.Tensor
	chans    []int64
	dst      []float32
	blk, cb  int
	hw, w    int
	pad      bool // the last output block has padding lanes (written zero)
	laneCopy func(dst, src []float32, lo, hi, shift int)
}

// concatNCHWcJobs recycles the parallel jobs of ConcatNCHWc.
var concatNCHWcJobs = newJobPool((*concatNCHWcJob).run)

// run concatenates output rows [lo, hi).
func (j *concatNCHWcJob) run(lo, hi int) {
	blk, plane, per := j.blk, j.hw*j.blk, j.hw/j.w
	for r := lo; r < hi; r++ {
		n, p0 := r/per, (r%per)*j.w
		img := j.dst[n*j.cb*plane:][:j.cb*plane]
		seg := func(b int) []float32 { return img[b*plane+p0*blk:][:j.w*blk] }
		if j.pad {
			clear(seg(j.cb - 1))
		}
		off := 0
		for i, x := range j.ins {
			ci := int(j.chans[i])
			cbi := (ci + blk - 1) / blk
			src := x.F32()[n*cbi*plane:][:cbi*plane]
			for ib := range cbi {
				lanes := min(blk, ci-ib*blk)
				g := off + ib*blk
				ob, sh := g/blk, g%blk
				sb := src[ib*plane+p0*blk:][:j.w*blk]
				if sh == 0 && lanes == blk {
					copy(seg(ob), sb)
					continue
				}
				k := min(lanes, blk-sh)
				j.copyLanes(seg(ob), sb, 0, k, sh)
				if lanes > k {
					j.copyLanes(seg(ob+1), sb, k, lanes, -k)
				}
			}
			off += ci
		}
	}
}

// copyLanes is the lane-shifting copy for the job's block.
func (j *concatNCHWcJob) copyLanes(dst, src []float32, lo, hi, shift int) {
	if j.laneCopy != nil {
		j.laneCopy(dst, src, lo, hi, shift)
		return
	}
	amd64.NCHWcLaneCopyWidthGo(dst, src, lo, hi, shift, j.blk)
}
