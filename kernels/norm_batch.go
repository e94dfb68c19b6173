package kernels

import (
	"math"

	"github.com/nncc/nncc/ir"
)

// BatchNormalization, every version.
//
// Inference: Y = (X - mean[c]) / sqrt(var[c] + epsilon) * scale[c] + B[c]
// for X of shape [N, C, D1, ..., Dn] (a rank-1 X is [N] with C = 1).
//
// Training computes the batch statistics per channel over N and the
// spatial dims (population variance), normalises with them and updates
// the running statistics: running = input * momentum + current * (1 -
// momentum). From opset 14 training is `training_mode` = 1 and the extra
// outputs are running_mean and running_var. Before 14 it is selected by
// asking for more than one output (and, before opset 7, `is_test` = 0);
// the outputs are then mean, var (running), saved_mean and saved_var (the
// batch statistics). `spatial` = 0 (before opset 9) normalises per
// activation: the "channel" is each of the C*D1*...*Dn features when the
// parameters have that many elements. `consumed_inputs` is ignored.

func init() {
	Register("", "BatchNormalization", buildBatchNorm)
}

func buildBatchNorm(b *Build) (Func, error) {
	a := b.Attrs()
	opset := b.Node.Opset
	eps := float64(a.Float("epsilon", 1e-5))
	momentum := float64(a.Float("momentum", 0.9))
	var training bool
	if opset == 0 || opset >= 14 {
		training = a.Int("training_mode", 0) != 0
	} else {
		extra := false
		for _, o := range b.Node.Outputs[min(1, len(b.Node.Outputs)):] {
			extra = extra || o != nil
		}
		training = extra && (opset >= 7 || a.Int("is_test", 0) == 0)
	}
	spatial := a.Int("spatial", 1) != 0 || (opset >= 9 || opset == 0)
	for i := 0; i < 5; i++ {
		if dt := b.InDType(i); dt != ir.Undefined && !rnIsFloatDType(dt) {
			return nil, b.Errorf("input %d has dtype %v, expected a float type", i, dt)
		}
	}
	return func(c *Ctx, in []*ir.Tensor) error {
		names := [5]string{"0 (X)", "1 (scale)", "2 (B)", "3 (mean)", "4 (var)"}
		for i, name := range names {
			if err := rnCheckFloat(c, name, in[i]); err != nil {
				return err
			}
		}
		x := in[0]
		if x.Rank() < 1 {
			return c.Errorf("input 0 (X) must have rank >= 1")
		}
		nb, ch, sp := int(x.Shape[0]), 1, 1
		if x.Rank() > 1 {
			ch = int(x.Shape[1])
			for _, d := range x.Shape[2:] {
				sp *= int(d)
			}
		}
		if !spatial && sp > 1 {
			// Per-activation parameters: each of the C*D1*...*Dn
			// features is a channel of its own.
			ch, sp = ch*sp, 1
		}
		// The four parameter vectors and a row buffer in one scratch
		// request: an inference Run allocates nothing.
		work := c.ScratchF64(4*ch + sp)
		var p [5][]float64
		for i := 1; i < 5; i++ {
			if in[i].Len() != ch {
				return c.Errorf("input %s must have %d elements, got shape %v", names[i], ch, in[i].Shape)
			}
			p[i] = work[(i-1)*ch : i*ch]
			rnLoad(in[i], 0, 1, p[i])
		}
		scale, bias, mean, vr := p[1], p[2], p[3], p[4]
		y, err := c.OutputUninit(0, x.DType, x.Shape)
		if err != nil {
			return err
		}
		if training {
			cm, cv := bnBatchStats(x, nb, ch, sp)
			rm := make([]float64, ch)
			rv := make([]float64, ch)
			for k := range rm {
				rm[k] = mean[k]*momentum + cm[k]*(1-momentum)
				rv[k] = vr[k]*momentum + cv[k]*(1-momentum)
			}
			outs := [][]float64{rm, rv, cm, cv}
			srcs := []*ir.Tensor{in[3], in[4], in[3], in[4]}
			for o := 1; o < c.NumOutputs() && o <= 4; o++ {
				t, err := c.OutputUninit(o, srcs[o-1].DType, srcs[o-1].Shape)
				if err != nil {
					return err
				}
				rnStore(t, 0, 1, outs[o-1])
			}
			mean, vr = cm, cv
		}
		buf := work[4*ch:]
		for n := 0; n < nb; n++ {
			for k := 0; k < ch; k++ {
				off := (n*ch + k) * sp
				rnLoad(x, off, 1, buf)
				is := 1 / math.Sqrt(vr[k]+eps)
				s, bb, m := scale[k]*is, bias[k], mean[k]
				for i, v := range buf {
					buf[i] = (v-m)*s + bb
				}
				rnStore(y, off, 1, buf)
			}
		}
		return nil
	}, nil
}

// bnBatchStats returns the per-channel mean and population variance of
// x viewed as [nb, ch, sp].
func bnBatchStats(x *ir.Tensor, nb, ch, sp int) (mean, vr []float64) {
	mean = make([]float64, ch)
	vr = make([]float64, ch)
	buf := make([]float64, sp)
	cnt := float64(nb * sp)
	for n := 0; n < nb; n++ {
		for k := 0; k < ch; k++ {
			rnLoad(x, (n*ch+k)*sp, 1, buf)
			for _, v := range buf {
				mean[k] += v
			}
		}
	}
	for k := range mean {
		mean[k] /= cnt
	}
	for n := 0; n < nb; n++ {
		for k := 0; k < ch; k++ {
			rnLoad(x, (n*ch+k)*sp, 1, buf)
			for _, v := range buf {
				d := v - mean[k]
				vr[k] += d * d
			}
		}
	}
	for k := range vr {
		vr[k] /= cnt
	}
	return mean, vr
}
