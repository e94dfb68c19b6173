package kernels

import (
	"fmt"

	"github.com/nncc/nncc/ir"
)

// RotaryEmbedding (ai.onnx opset 23): rotates the first rotary_embedding_dim
// features of every head by position-dependent angles given as cos/sin
// caches. The rotated part is split into halves (x1 = first half, x2 =
// second) or, with interleaved=1, into even and odd features, and becomes
// (cos*x1 - sin*x2, sin*x1 + cos*x2) written back in the same pattern.

func init() { Register("", "RotaryEmbedding", buildRotary) }

type rotaryConfig struct {
	interleaved bool
	numHeads    int64
	rotaryDim   int64
}

func buildRotary(b *Build) (Func, error) {
	a := b.Attrs()
	cfg := rotaryConfig{
		interleaved: a.Int("interleaved", 0) != 0,
		numHeads:    a.Int("num_heads", 0),
		rotaryDim:   a.Int("rotary_embedding_dim", 0),
	}
	if cfg.numHeads < 0 || cfg.rotaryDim < 0 {
		return nil, b.Errorf("num_heads (%d) and rotary_embedding_dim (%d) must not be negative", cfg.numHeads, cfg.rotaryDim)
	}
	for i := 0; i < 3; i++ {
		if dt := b.InDType(i); dt != ir.Undefined && !advIsFloat(dt) {
			return nil, b.Errorf("input %d has dtype %v; RotaryEmbedding takes float, float16 or bfloat16", i, dt)
		}
	}
	return func(c *Ctx, in []*ir.Tensor) error {
		x, cosT, sinT := in[0], in[1], in[2]
		if x.DType == ir.Float32 && cosT.DType == ir.Float32 && sinT.DType == ir.Float32 {
			// Float32 storage read and written in place, the arithmetic the
			// float64 path's.
			g, err := rotaryGeometry(&cfg, x, cosT, sinT, attnInput(in, 3))
			if err != nil {
				return c.Errorf("%v", err)
			}
			out, err := c.OutputUninit(0, ir.Float32, x.Shape)
			if err != nil {
				return err
			}
			if err := rotaryApply(&cfg, &g, x.F32(), cosT.F32(), sinT.F32(), out.F32()); err != nil {
				return c.Errorf("%v", err)
			}
			return nil
		}
		y, err := rotaryRun(&cfg, x, cosT, sinT, attnInput(in, 3))
		if err != nil {
			return c.Errorf("%v", err)
		}
		out, err := c.OutputUninit(0, in[0].DType, in[0].Shape)
		if err != nil {
			return err
		}
		return advStore(out, y)
	}, nil
}

// rotaryGeom is one RotaryEmbedding call's layout: sizes, the rotated
// half-width, and the position ids when given.
type rotaryGeom struct {
	batch, seq, heads, head, half int
	rank3                         bool
	pos                           []int64 // position_ids, or nil: the caches are per (batch, seq)
	rows                          int64   // cache rows when pos is given
}

// rotaryGeometry validates the shapes of one call and returns its layout.
func rotaryGeometry(cfg *rotaryConfig, x, cosT, sinT, posT *ir.Tensor) (rotaryGeom, error) {
	var g rotaryGeom
	g.rank3 = x.Rank() == 3
	switch x.Rank() {
	case 4:
		g.batch, g.heads, g.seq, g.head = int(x.Shape[0]), int(x.Shape[1]), int(x.Shape[2]), int(x.Shape[3])
	case 3:
		if cfg.numHeads <= 0 {
			return g, fmt.Errorf("a 3-D input needs the num_heads attribute")
		}
		g.batch, g.seq, g.heads = int(x.Shape[0]), int(x.Shape[1]), int(cfg.numHeads)
		if x.Shape[2]%cfg.numHeads != 0 {
			return g, fmt.Errorf("hidden size %d is not a multiple of num_heads %d", x.Shape[2], cfg.numHeads)
		}
		g.head = int(x.Shape[2] / cfg.numHeads)
	default:
		return g, fmt.Errorf("input must be 3-D or 4-D, got shape %v", x.Shape)
	}
	rot := g.head
	if cfg.rotaryDim > 0 {
		rot = int(cfg.rotaryDim)
	}
	if rot > g.head || rot%2 != 0 {
		return g, fmt.Errorf("rotary dimension %d must be even and at most the head size %d", rot, g.head)
	}
	g.half = rot / 2
	if !advIsFloat(cosT.DType) {
		return g, fmt.Errorf("cos_cache: dtype %v is not float", cosT.DType)
	}
	if !advIsFloat(sinT.DType) {
		return g, fmt.Errorf("sin_cache: dtype %v is not float", sinT.DType)
	}
	if !sameShape(cosT.Shape, sinT.Shape) {
		return g, fmt.Errorf("cos_cache %v and sin_cache %v differ in shape", cosT.Shape, sinT.Shape)
	}
	if posT != nil {
		pos, ok := posT.Data.([]int64)
		if !ok || posT.DType != ir.Int64 {
			var err error
			if pos, err = advInts(posT, "position_ids"); err != nil {
				return g, err
			}
		}
		if posT.Rank() != 2 || int(posT.Shape[0]) != g.batch || int(posT.Shape[1]) != g.seq {
			return g, fmt.Errorf("position_ids must have shape (%d, %d), got %v", g.batch, g.seq, posT.Shape)
		}
		if cosT.Rank() != 2 || int(cosT.Shape[1]) != g.half {
			return g, fmt.Errorf("cos_cache must have shape (max_position, %d), got %v", g.half, cosT.Shape)
		}
		g.pos, g.rows = pos, cosT.Shape[0]
	} else if cosT.Rank() != 3 || int(cosT.Shape[0]) != g.batch || int(cosT.Shape[1]) != g.seq || int(cosT.Shape[2]) != g.half {
		return g, fmt.Errorf("cos_cache must have shape (%d, %d, %d) without position_ids, got %v", g.batch, g.seq, g.half, cosT.Shape)
	}
	return g, nil
}

// rowOf returns the offset of the cache row for (b, s).
func (g *rotaryGeom) rowOf(b, s int) (int, error) {
	if g.pos == nil {
		return (b*g.seq + s) * g.half, nil
	}
	p := g.pos[b*g.seq+s]
	if p < 0 || p >= g.rows {
		return 0, fmt.Errorf("position id %d out of range [0, %d)", p, g.rows)
	}
	return int(p) * g.half, nil
}

// rotaryApply writes y = x with the first 2·half features of every head
// rotated, computing in float64 whatever the storage (float32 rounds once
// per element, as the float64 path's store does).
func rotaryApply[T float32 | float64](cfg *rotaryConfig, g *rotaryGeom, xs, cs, ss, y []T) error {
	copy(y, xs)
	half, head := g.half, g.head
	for b := 0; b < g.batch; b++ {
		for s := 0; s < g.seq; s++ {
			r, err := g.rowOf(b, s)
			if err != nil {
				return err
			}
			cr, sr := cs[r:r+half], ss[r:r+half]
			for h := 0; h < g.heads; h++ {
				var off int
				if g.rank3 {
					off = ((b*g.seq+s)*g.heads + h) * head
				} else {
					off = ((b*g.heads+h)*g.seq + s) * head
				}
				xv, yv := xs[off:off+head], y[off:off+head]
				for i := 0; i < half; i++ {
					i1, i2 := i, i+half
					if cfg.interleaved {
						i1, i2 = 2*i, 2*i+1
					}
					x1, x2 := float64(xv[i1]), float64(xv[i2])
					c, sn := float64(cr[i]), float64(sr[i])
					// Products rounded before the sum (explicit conversions):
					// no fused multiply-add, so every architecture and both
					// storage types compute the same value.
					yv[i1] = T(float64(c*x1) - float64(sn*x2))
					yv[i2] = T(float64(sn*x1) + float64(c*x2))
				}
			}
		}
	}
	return nil
}

// rotaryRun is the float64 path: any float dtypes, widened.
func rotaryRun(cfg *rotaryConfig, x, cosT, sinT, posT *ir.Tensor) ([]float64, error) {
	g, err := rotaryGeometry(cfg, x, cosT, sinT, posT)
	if err != nil {
		return nil, err
	}
	xs, err := advFloats(x)
	if err != nil {
		return nil, err
	}
	cs, err := advFloats(cosT)
	if err != nil {
		return nil, fmt.Errorf("cos_cache: %v", err)
	}
	ss, err := advFloats(sinT)
	if err != nil {
		return nil, fmt.Errorf("sin_cache: %v", err)
	}
	y := make([]float64, len(xs))
	if err := rotaryApply(cfg, &g, xs, cs, ss, y); err != nil {
		return nil, err
	}
	return y, nil
}
