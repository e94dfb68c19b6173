package kernels

import (
	"math"

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
// real channels. An absent input contributes input_channels[i] zero
// channels: every output block holding one of them (or a padding lane)
// is cleared before the present inputs' lanes are copied in, so a channel
// Pad written as a Concat with zeros (tf2onnx's BlazeFace residuals)
// stays in the blocked layout. Large concatenations split their pixel rows over the
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
	total, first := int64(0), -1
	absent := make([]bool, len(chans))
	for i, ch := range chans {
		if ch <= 0 {
			return nil, b.Errorf("input_channels[%d] = %d must be positive", i, ch)
		}
		if ch > math.MaxInt64-total {
			return nil, b.Errorf("input_channels sum past %d", int64(math.MaxInt64))
		}
		absent[i] = b.Node.Inputs[i] == nil
		if !absent[i] && first < 0 {
			first = i
		}
		total += ch
	}
	if first < 0 {
		return nil, b.Errorf("at least one input must be a tensor (an absent input is zero channels)")
	}
	clearBlocks := concatNCHWcZeroBlocks(chans, absent, int64(blk))
	var laneCopy func(dst, src []float32, lo, hi, shift int)
	if blk == 16 {
		laneCopy = nchwcLaneCopy(b.Level)
	}
	shapes := &nchwcShapeCache{}
	return func(c *Ctx, in []*ir.Tensor) error {
		if len(in) != len(chans) || in[first] == nil {
			return c.Errorf("expected %d inputs with input %d present", len(chans), first)
		}
		s0 := in[first].Shape
		for i, x := range in {
			if absent[i] {
				continue
			}
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
			clear: clearBlocks, laneCopy: laneCopy}
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
	clear    [][2]int // output block ranges [lo, hi) cleared first: zero channels or padding lanes
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
		for _, r := range j.clear {
			for b := r[0]; b < r[1]; b++ {
				clear(seg(b))
			}
		}
		off := 0
		for i, x := range j.ins {
			ci := int(j.chans[i])
			if x == nil {
				off += ci // zero channels, cleared above
				continue
			}
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

// concatNCHWcZeroBlocks lists the ranges [lo, hi) of output blocks of a
// ConcatNCHWc that hold a channel no present input writes: an absent
// input's zero channels, or the padding lanes of the last block. It
// allocates per input, not per block, so channel counts declared for
// absent inputs cost nothing until the output (bounded by the run's
// element limit) is made.
func concatNCHWcZeroBlocks(chans []int64, absent []bool, blk int64) [][2]int {
	var out [][2]int
	add := func(lo, hi int64) {
		if k := len(out); k > 0 && int64(out[k-1][1]) >= lo {
			out[k-1][1] = max(out[k-1][1], int(hi))
			return
		}
		out = append(out, [2]int{int(lo), int(hi)})
	}
	off := int64(0)
	for i, c := range chans {
		if absent[i] {
			add(off/blk, (off+c-1)/blk+1)
		}
		off += c
	}
	if off%blk != 0 {
		add(off/blk, off/blk+1)
	}
	return out
}
