package kernels

import (
	"github.com/nncc/nncc/ir"
)

// Cast and CastLike: element type conversion by ConvertInto (convert.go),
// float16 ↔ float32 by the level's vector kernels (convert_half.go),
// with the saturate attribute (float8 targets, opset 19 on) and round_mode
// (float8e8m0 targets, opset 24 on).

func init() {
	Register("", "Cast", ewBuildCast(false))
	Register("", "CastLike", ewBuildCast(true))
}

func ewBuildCast(like bool) Builder {
	return func(b *Build) (Func, error) {
		opts := CastOptions{Saturate: b.Attrs().Int("saturate", 1) != 0}
		if s := b.Attrs().Int("saturate", 1); s != 0 && s != 1 {
			return nil, b.Errorf("saturate must be 0 or 1, got %d", s)
		}
		r, err := ParseE8M0Round(b.Attrs().String("round_mode", "up"))
		if err != nil {
			return nil, b.Errorf("%v", err)
		}
		opts.Round = r
		half := halfConvFor(b.Level)
		to := ir.Undefined
		if !like {
			v := b.Attrs().Int("to", 0)
			var ok bool
			if to, ok = ir.EwCastTarget(v); !ok {
				return nil, b.Errorf("attribute to=%d is not a supported data type", v)
			}
		}
		return func(c *Ctx, in []*ir.Tensor) error {
			n := 1
			if like {
				n = 2
			}
			if err := ewInputs(c, in, n); err != nil {
				return err
			}
			x := in[0]
			target := to
			if like {
				target = in[1].DType
				if _, ok := ir.EwCastTarget(int64(target)); !ok {
					return c.Errorf("cannot cast to %v", target)
				}
			}
			out, err := c.OutputUninit(0, target, x.Shape)
			if err != nil {
				return err
			}
			switch {
			case x.DType == ir.Float16 && target == ir.Float32:
				half.widen(c.Pool, out.F32(), x.Data.([]ir.F16))
				return nil
			case x.DType == ir.Float32 && target == ir.Float16:
				half.narrow(c.Pool, out.Data.([]ir.F16), x.F32())
				return nil
			}
			if err := ConvertInto(out, x, opts); err != nil {
				return c.Errorf("%v", err)
			}
			return nil
		}, nil
	}
}
