package kernels

import (
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/isa"
)

// nncc.ReorderToNCHWc and nncc.ReorderFromNCHWc: conversions between NCHW
// and the blocked layout NCHWc at the edges of a layout region (see
// ir/ops_nchwc.go). Both are plain transposes of [C, H·W] planes into
// [H·W, b] blocks and back; padding channels are written as zero. For
// block 16 in a plan built for AVX-512 each pixel of ReorderToNCHWc is one
// masked gather of 16 channels (kernels/amd64 NCHWcGatherAVX512: [1 104
// 64 64] 229 → 184 µs); the scatter of the way back was 4x slower than
// the Go loop on Zen 4 and is not used.

func init() {
	Register(ir.FusedDomain, "ReorderToNCHWc", buildReorderNCHWc(true))
	Register(ir.FusedDomain, "ReorderFromNCHWc", buildReorderNCHWc(false))
}

func buildReorderNCHWc(to bool) Builder {
	return func(b *Build) (Func, error) {
		blk := int(b.Attrs().Int("block", 0))
		if blk <= 0 || blk > 64 {
			return nil, b.Errorf("block %d must be in 1..64", blk)
		}
		ch := int(b.Attrs().Int("channels", 0))
		if !to && ch <= 0 {
			return nil, b.Errorf("channels %d must be positive", ch)
		}
		shapes := &nchwcShapeCache{}
		vec := blk == 16 && b.Level == isa.AVX512
		return func(c *Ctx, in []*ir.Tensor) error {
			x := in[0]
			if x == nil || x.DType != ir.Float32 {
				return c.Errorf("input must be float32")
			}
			s := x.Shape
			if to {
				if len(s) != 4 {
					return c.Errorf("input must be NCHW, got shape %v", s)
				}
				cb := ir.NCHWcBlocks(s[1], int64(blk))
				out, err := c.OutputUninit(0, ir.Float32, shapes.get(s[0], cb, s[2], s[3], int64(blk)))
				if err != nil {
					return err
				}
				if hw := int(s[2] * s[3]); vec && hw < 1<<26 {
					nchwToNCHWc16(x.F32(), out.F32(), int(s[0]), int(s[1]), hw)
				} else {
					nchwToNCHWc(x.F32(), out.F32(), int(s[0]), int(s[1]), hw, blk)
				}
				return nil
			}
			if len(s) != 5 || s[4] != int64(blk) || s[1] != ir.NCHWcBlocks(int64(ch), int64(blk)) {
				return c.Errorf("input has shape %v; expected NCHWc with %d blocks of %d", s, ir.NCHWcBlocks(int64(ch), int64(blk)), blk)
			}
			out, err := c.OutputUninit(0, ir.Float32, shapes.get(s[0], int64(ch), s[2], s[3]))
			if err != nil {
				return err
			}
			nchwcToNCHW(x.F32(), out.F32(), int(s[0]), ch, int(s[2]*s[3]), blk)
			return nil
		}, nil
	}
}

// nchwToNCHWc writes n images of c planes of hw values into blocks of blk
// channels, zero in padding channels.
func nchwToNCHWc(x, y []float32, n, c, hw, blk int) {
	cb := (c + blk - 1) / blk
	for i := range n {
		for b := range cb {
			yb := y[(i*cb+b)*hw*blk : (i*cb+b+1)*hw*blk]
			lanes := min(blk, c-b*blk)
			if lanes < blk {
				clear(yb)
			}
			for l := range lanes {
				xp := x[(i*c+b*blk+l)*hw : (i*c+b*blk+l+1)*hw]
				for p, v := range xp {
					yb[p*blk+l] = v
				}
			}
		}
	}
}

// nchwcToNCHW is the inverse of nchwToNCHWc, dropping padding channels.
func nchwcToNCHW(x, y []float32, n, c, hw, blk int) {
	cb := (c + blk - 1) / blk
	for i := range n {
		for b := range cb {
			xb := x[(i*cb+b)*hw*blk : (i*cb+b+1)*hw*blk]
			for l := range min(blk, c-b*blk) {
				yp := y[(i*c+b*blk+l)*hw : (i*c+b*blk+l+1)*hw]
				for p := range yp {
					yp[p] = xb[p*blk+l]
				}
			}
		}
	}
}

// nchwcPlaneIdx returns the gather offsets of 16 channel planes of
// hw values: idx[l] = l·hw (hw < 2^26, so every offset fits an int32).
func nchwcPlaneIdx(hw int) (idx [16]int32) {
	for l := range idx {
		idx[l] = int32(l * hw)
	}
	return idx
}

// nchwToNCHWc16 is nchwToNCHWc for blocks of 16 by the AVX-512 gather.
func nchwToNCHWc16(x, y []float32, n, c, hw int) {
	idx := nchwcPlaneIdx(hw)
	cb := (c + 15) / 16
	for i := range n {
		for b := range cb {
			lanes := min(16, c-b*16)
			nchwcGather(true, y[(i*cb+b)*hw*16:][:hw*16], x[(i*c+b*16)*hw:][:lanes*hw], &idx, lanes)
		}
	}
}
