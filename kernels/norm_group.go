package kernels

import (
	"math"

	"github.com/nncc/nncc/ir"
)

// GroupNormalization (opset 18, 21) and InstanceNormalization (opset 1, 6,
// 22). X is [N, C, D1, ..., Dn]; the channels are split into G groups of
// C/G (InstanceNormalization: G = C) and every (n, group) block is
// standardised with its own mean and population variance, then scaled and
// shifted per channel. GroupNormalization-18 gives scale and bias per
// group (shape [G]); from opset 21 they are per channel (shape [C]).

func init() {
	Register("", "GroupNormalization", buildGroupNorm(false))
	Register("", "InstanceNormalization", buildGroupNorm(true))
}

func buildGroupNorm(instance bool) Builder {
	return func(b *Build) (Func, error) {
		a := b.Attrs()
		eps := float64(a.Float("epsilon", 1e-5))
		groups := a.Int("num_groups", 0)
		if !instance && groups <= 0 {
			return nil, b.Errorf("attribute num_groups must be positive, got %d", groups)
		}
		if v := a.Int("stash_type", 1); !instance {
			if _, ok := ir.StashDType(v); !ok {
				return nil, b.Errorf("unsupported stash_type %d", v)
			}
		}
		perGroupParams := !instance && b.Node.Opset > 0 && b.Node.Opset < 21
		for i := 0; i < 3; i++ {
			if dt := b.InDType(i); dt != ir.Undefined && !rnIsFloatDType(dt) {
				return nil, b.Errorf("input %d has dtype %v, expected a float type", i, dt)
			}
		}
		return func(c *Ctx, in []*ir.Tensor) error {
			x := in[0]
			for i, name := range []string{"0 (X)", "1 (scale)", "2 (bias)"} {
				if err := rnCheckFloat(c, name, in[i]); err != nil {
					return err
				}
			}
			if x.Rank() < 2 {
				return c.Errorf("input 0 (X) must have rank >= 2, got shape %v", x.Shape)
			}
			nb, ch := int(x.Shape[0]), int(x.Shape[1])
			spatial := 1
			for _, d := range x.Shape[2:] {
				spatial *= int(d)
			}
			g := int(groups)
			if instance {
				g = ch
			}
			if g == 0 || ch%g != 0 {
				if g == 0 && ch == 0 {
					g = 1
				} else {
					return c.Errorf("num_groups %d does not divide the %d channels", g, ch)
				}
			}
			want := ch
			if perGroupParams {
				want = g
			}
			sc := make([]float64, in[1].Len())
			bs := make([]float64, in[2].Len())
			if len(sc) != want || len(bs) != want {
				// Accept the other version's layout when it is unambiguous.
				if other := ch + g - want; len(sc) == other && len(bs) == other {
					want = other
				} else {
					return c.Errorf("scale and bias must have %d elements, got %d and %d", want, len(sc), len(bs))
				}
			}
			rnLoad(in[1], 0, 1, sc)
			rnLoad(in[2], 0, 1, bs)
			perChannel := want == ch
			y, err := c.OutputUninit(0, x.DType, x.Shape)
			if err != nil {
				return err
			}
			cpg := 0
			if g > 0 {
				cpg = ch / g
			}
			block := cpg * spatial
			pool := c.Pool
			if pool == nil {
				pool = Serial{}
			}
			pool.For(nb*g, rnGrain(block*4), func(lo, hi int) {
				buf := make([]float64, block)
				for blk := lo; blk < hi; blk++ {
					gi := blk % g
					rnLoad(x, blk*block, 1, buf)
					m := 0.0
					for _, v := range buf {
						m += v
					}
					m /= float64(block)
					vr := 0.0
					for _, v := range buf {
						d := v - m
						vr += d * d
					}
					vr /= float64(block)
					is := 1 / math.Sqrt(vr+eps)
					for cc := 0; cc < cpg; cc++ {
						p := gi
						if perChannel {
							p = gi*cpg + cc
						}
						s, bb := sc[p], bs[p]
						seg := buf[cc*spatial : (cc+1)*spatial]
						for k, v := range seg {
							seg[k] = (v-m)*is*s + bb
						}
					}
					rnStore(y, blk*block, 1, buf)
				}
			})
			return nil
		}, nil
	}
}
