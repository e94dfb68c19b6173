package kernels

import (
	"math"

	"github.com/nncc/nncc/ir"
)

// LRN, MeanVarianceNormalization and LpNormalization.

func init() {
	Register("", "LRN", buildLRN)
	Register("", "MeanVarianceNormalization", buildMVN)
	Register("", "LpNormalization", buildLpNorm)
}

// buildLRN: local response normalisation across channels (axis 1):
//
//	square_sum[n, c, ...] = sum of X[n, i, ...]² for
//	    max(0, c - floor((size-1)/2)) <= i <= min(C-1, c + ceil((size-1)/2))
//	Y = X / (bias + alpha / size * square_sum) ^ beta
func buildLRN(b *Build) (Func, error) {
	a := b.Attrs()
	alpha := float64(a.Float("alpha", 1e-4))
	beta := float64(a.Float("beta", 0.75))
	bias := float64(a.Float("bias", 1))
	size := a.Int("size", 0)
	if size <= 0 {
		return nil, b.Errorf("attribute size must be positive, got %d", size)
	}
	if dt := b.InDType(0); dt != ir.Undefined && !rnIsFloatDType(dt) {
		return nil, b.Errorf("input 0 has dtype %v, expected a float type", dt)
	}
	lo := int((size - 1) / 2)
	hi := int(size-1) - lo
	return func(c *Ctx, in []*ir.Tensor) error {
		x := in[0]
		if err := rnCheckFloat(c, "0 (X)", x); err != nil {
			return err
		}
		if x.Rank() < 2 {
			return c.Errorf("input 0 (X) must have rank >= 2, got shape %v", x.Shape)
		}
		outer, ch, inner := rnOuterInner(x.Shape, 1)
		y, err := c.OutputUninit(0, x.DType, x.Shape)
		if err != nil {
			return err
		}
		lane := make([]float64, ch)
		out := make([]float64, ch)
		for o := 0; o < outer; o++ {
			for j := 0; j < inner; j++ {
				off := o*ch*inner + j
				rnLoad(x, off, inner, lane)
				for k := range lane {
					s := 0.0
					for i := max(0, k-lo); i <= min(ch-1, k+hi); i++ {
						s += lane[i] * lane[i]
					}
					out[k] = lane[k] / math.Pow(bias+alpha/float64(size)*s, beta)
				}
				rnStore(y, off, inner, out)
			}
		}
		return nil
	}, nil
}

// buildMVN: Y = (X - E[X]) / (sqrt(E[X²] - E[X]²) + 1e-9), the
// expectations taken over `axes` (default [0, 2, 3]), as in the op's
// function body.
func buildMVN(b *Build) (Func, error) {
	axes := b.Attrs().Ints("axes", []int64{0, 2, 3})
	if dt := b.InDType(0); dt != ir.Undefined && !rnIsFloatDType(dt) {
		return nil, b.Errorf("input 0 has dtype %v, expected a float type", dt)
	}
	return func(c *Ctx, in []*ir.Tensor) error {
		x := in[0]
		if err := rnCheckFloat(c, "0 (X)", x); err != nil {
			return err
		}
		mask, err := rnAxisMask(axes, x.Rank())
		if err != nil {
			return c.Errorf("attribute axes: %v", err)
		}
		p := newRedPlan(x.Shape, mask)
		xf := make([]float64, x.Len())
		rnLoad(x, 0, 1, xf)
		mean := make([]float64, p.outN)
		sq := make([]float64, p.outN)
		redFloatAcc(nil, redMean, xf, mean, nil, p)
		redFloatAcc(nil, redSumSquare, xf, sq, nil, p)
		den := make([]float64, p.outN)
		for i, m := range mean {
			v := sq[i]/float64(p.count) - m*m
			den[i] = math.Sqrt(v) + 1e-9
		}
		n, innerRed := p.inner()
		p.runs(func(in, out int) {
			seg := xf[in : in+n]
			for k, v := range seg {
				o := out
				if !innerRed {
					o += k
				}
				seg[k] = (v - mean[o]) / den[o]
			}
		})
		y, err := c.OutputUninit(0, x.DType, x.Shape)
		if err != nil {
			return err
		}
		rnStore(y, 0, 1, xf)
		return nil
	}, nil
}

// buildLpNorm: output = input / ||input||_p along axis (p = 1 or 2); a
// zero norm gives zero.
func buildLpNorm(b *Build) (Func, error) {
	a := b.Attrs()
	axis := a.Int("axis", -1)
	p := a.Int("p", 2)
	if p != 1 && p != 2 {
		return nil, b.Errorf("attribute p must be 1 or 2, got %d", p)
	}
	if dt := b.InDType(0); dt != ir.Undefined && !rnIsFloatDType(dt) {
		return nil, b.Errorf("input 0 has dtype %v, expected a float type", dt)
	}
	return func(c *Ctx, in []*ir.Tensor) error {
		x := in[0]
		if err := rnCheckFloat(c, "0 (input)", x); err != nil {
			return err
		}
		outer, n, inner := 1, 1, 1
		if x.Rank() > 0 {
			ax, err := ir.NormAxis(axis, x.Rank())
			if err != nil {
				return c.Errorf("attribute axis: %v", err)
			}
			outer, n, inner = rnOuterInner(x.Shape, ax)
		}
		y, err := c.OutputUninit(0, x.DType, x.Shape)
		if err != nil {
			return err
		}
		lane := make([]float64, n)
		for o := 0; o < outer; o++ {
			for j := 0; j < inner; j++ {
				off := o*n*inner + j
				rnLoad(x, off, inner, lane)
				norm := 0.0
				for _, v := range lane {
					if p == 1 {
						norm += math.Abs(v)
					} else {
						norm += v * v
					}
				}
				if p == 2 {
					norm = math.Sqrt(norm)
				}
				for k, v := range lane {
					if norm == 0 {
						lane[k] = 0
					} else {
						lane[k] = v / norm
					}
				}
				rnStore(y, off, inner, lane)
			}
		}
		return nil
	}, nil
}
