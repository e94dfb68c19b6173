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
		y, err := rotaryRun(&cfg, in[0], in[1], in[2], attnInput(in, 3))
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

func rotaryRun(cfg *rotaryConfig, x, cosT, sinT, posT *ir.Tensor) ([]float64, error) {
	var batch, seq, heads, head int
	rank3 := x.Rank() == 3
	switch x.Rank() {
	case 4:
		batch, heads, seq, head = int(x.Shape[0]), int(x.Shape[1]), int(x.Shape[2]), int(x.Shape[3])
	case 3:
		if cfg.numHeads <= 0 {
			return nil, fmt.Errorf("a 3-D input needs the num_heads attribute")
		}
		batch, seq, heads = int(x.Shape[0]), int(x.Shape[1]), int(cfg.numHeads)
		if x.Shape[2]%cfg.numHeads != 0 {
			return nil, fmt.Errorf("hidden size %d is not a multiple of num_heads %d", x.Shape[2], cfg.numHeads)
		}
		head = int(x.Shape[2] / cfg.numHeads)
	default:
		return nil, fmt.Errorf("input must be 3-D or 4-D, got shape %v", x.Shape)
	}
	rot := head
	if cfg.rotaryDim > 0 {
		rot = int(cfg.rotaryDim)
	}
	if rot > head || rot%2 != 0 {
		return nil, fmt.Errorf("rotary dimension %d must be even and at most the head size %d", rot, head)
	}
	half := rot / 2
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
	if !sameShape(cosT.Shape, sinT.Shape) {
		return nil, fmt.Errorf("cos_cache %v and sin_cache %v differ in shape", cosT.Shape, sinT.Shape)
	}
	// rowOf returns the offset of the cache row for (b, s).
	var rowOf func(b, s int) (int, error)
	if posT != nil {
		pos, err := advInts(posT, "position_ids")
		if err != nil {
			return nil, err
		}
		if posT.Rank() != 2 || int(posT.Shape[0]) != batch || int(posT.Shape[1]) != seq {
			return nil, fmt.Errorf("position_ids must have shape (%d, %d), got %v", batch, seq, posT.Shape)
		}
		if cosT.Rank() != 2 || int(cosT.Shape[1]) != half {
			return nil, fmt.Errorf("cos_cache must have shape (max_position, %d), got %v", half, cosT.Shape)
		}
		rows := cosT.Shape[0]
		rowOf = func(b, s int) (int, error) {
			p := pos[b*seq+s]
			if p < 0 || p >= rows {
				return 0, fmt.Errorf("position id %d out of range [0, %d)", p, rows)
			}
			return int(p) * half, nil
		}
	} else {
		if cosT.Rank() != 3 || int(cosT.Shape[0]) != batch || int(cosT.Shape[1]) != seq || int(cosT.Shape[2]) != half {
			return nil, fmt.Errorf("cos_cache must have shape (%d, %d, %d) without position_ids, got %v", batch, seq, half, cosT.Shape)
		}
		rowOf = func(b, s int) (int, error) { return (b*seq + s) * half, nil }
	}
	y := make([]float64, len(xs))
	copy(y, xs)
	for b := 0; b < batch; b++ {
		for s := 0; s < seq; s++ {
			r, err := rowOf(b, s)
			if err != nil {
				return nil, err
			}
			cr, sr := cs[r:r+half], ss[r:r+half]
			for h := 0; h < heads; h++ {
				var off int
				if rank3 {
					off = ((b*seq+s)*heads + h) * head
				} else {
					off = ((b*heads+h)*seq + s) * head
				}
				xv, yv := xs[off:off+head], y[off:off+head]
				for i := 0; i < half; i++ {
					i1, i2 := i, i+half
					if cfg.interleaved {
						i1, i2 = 2*i, 2*i+1
					}
					x1, x2 := xv[i1], xv[i2]
					yv[i1] = cr[i]*x1 - sr[i]*x2
					yv[i2] = sr[i]*x1 + cr[i]*x2
				}
			}
		}
	}
	return y, nil
}
