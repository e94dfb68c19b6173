package kernels

import (
	"github.com/nncc/nncc/ir"
)

// NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss (opset 12, 13,
// 22). Input is [N, C, d1, ..., dk] and the target/labels [N, d1, ...,
// dk]. Per sample, loss = -logp[n, c, d...] * weight[c] with c the target
// class; logp is the input itself (NLL) or its log-softmax over C (SCE,
// optionally returned as the second output). Samples whose target equals
// ignore_index contribute neither loss nor weight. Reduction "none" keeps
// the per-sample losses, "sum" adds them, "mean" divides the sum by the
// total weight of the samples not ignored (their count without weights).

func init() {
	Register("", "NegativeLogLikelihoodLoss", buildLoss(false))
	Register("", "SoftmaxCrossEntropyLoss", buildLoss(true))
}

func buildLoss(sce bool) Builder {
	return func(b *Build) (Func, error) {
		a := b.Attrs()
		reduction := a.String("reduction", "mean")
		switch reduction {
		case "none", "sum", "mean":
		default:
			return nil, b.Errorf("attribute reduction must be none, sum or mean, got %q", reduction)
		}
		hasIgnore := a.Has("ignore_index")
		ignore := a.Int("ignore_index", 0)
		return func(c *Ctx, in []*ir.Tensor) error {
			x := in[0]
			if err := rnCheckFloat(c, "0 (input)", x); err != nil {
				return err
			}
			if x.Rank() < 2 {
				return c.Errorf("input 0 must have shape [N, C, ...], got %v", x.Shape)
			}
			t := in[1]
			if t == nil || (t.DType != ir.Int32 && t.DType != ir.Int64) {
				return c.Errorf("input 1 (target) must be an int32 or int64 tensor")
			}
			nb, ch := int(x.Shape[0]), int(x.Shape[1])
			want := append([]int64{x.Shape[0]}, x.Shape[2:]...)
			if !sameShape(t.Shape, want) {
				return c.Errorf("input 1 (target) has shape %v, expected %v", t.Shape, want)
			}
			labels, _ := t.Int64s()
			var w []float64
			if len(in) > 2 && in[2] != nil {
				if in[2].DType != x.DType || in[2].Len() != ch {
					return c.Errorf("input 2 (weight) must be a %v tensor of %d elements, got %v%v", x.DType, ch, in[2].DType, in[2].Shape)
				}
				w = make([]float64, ch)
				rnLoad(in[2], 0, 1, w)
			}
			d := 1
			for _, v := range x.Shape[2:] {
				d *= int(v)
			}
			lp := make([]float64, x.Len())
			rnLoad(x, 0, 1, lp)
			if sce {
				lane := make([]float64, ch)
				for n := 0; n < nb; n++ {
					for j := 0; j < d; j++ {
						off := n*ch*d + j
						for k := range lane {
							lane[k] = lp[off+k*d]
						}
						smRow(smLogSoftmax, lane)
						for k, v := range lane {
							lp[off+k*d] = v
						}
					}
				}
				if c.NumOutputs() > 1 {
					o, err := c.OutputUninit(1, x.DType, x.Shape)
					if err != nil {
						return err
					}
					rnStore(o, 0, 1, lp)
				}
			}
			loss := make([]float64, nb*d)
			sum, wsum := 0.0, 0.0
			for n := 0; n < nb; n++ {
				for j := 0; j < d; j++ {
					i := n*d + j
					l := labels[i]
					if hasIgnore && l == ignore {
						continue
					}
					if l < 0 || l >= int64(ch) {
						return c.Errorf("target value %d at sample %d is outside [0, %d)", l, i, ch)
					}
					wt := 1.0
					if w != nil {
						wt = w[l]
					}
					loss[i] = -lp[n*ch*d+int(l)*d+j] * wt
					sum += loss[i]
					wsum += wt
				}
			}
			if reduction == "none" {
				o, err := c.OutputUninit(0, x.DType, t.Shape)
				if err != nil {
					return err
				}
				rnStore(o, 0, 1, loss)
				return nil
			}
			o, err := c.OutputUninit(0, x.DType, []int64{})
			if err != nil {
				return err
			}
			if reduction == "mean" {
				sum /= wsum
			}
			rnStore(o, 0, 1, []float64{sum})
			return nil
		}, nil
	}
}
