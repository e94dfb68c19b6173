package kernels

import (
	"math"

	"github.com/nncc/nncc/ir"
)

// The optimisers of ai.onnx.preview.training: Adagrad, Adam and Momentum.
// Each updates k tensors at once: inputs are R (learning rate), T (update
// count), then k tensors per group (X..., G..., state...), outputs k tensors
// per group (X_new..., state_new...). Arithmetic is in float64, rounded to
// the tensors' type.

func init() {
	Register(ir.TrainingDomain, "Adagrad", buildAdagrad)
	Register(ir.TrainingDomain, "Adam", buildAdam)
	Register(ir.TrainingDomain, "Momentum", buildMomentum)
}

// trnStep computes the new values of one element: in holds X, G and the
// state values; out receives X_new and the new state values.
type trnStep func(in, out []float64)

// trnBuild validates the layout and returns a Func that, per run, reads
// the scalars R and T, asks prepare for the element step, and applies it.
func trnBuild(b *Build, ins, outs int, prepare func(r float64, t int64) trnStep) (Func, error) {
	k, err := ir.OptimizerGroups(len(b.Node.Inputs), len(b.Node.Outputs), ins, outs)
	if err != nil {
		return nil, b.Errorf("%v", err)
	}
	return func(c *Ctx, in []*ir.Tensor) error {
		for i, x := range in {
			if x == nil || x.Kind != ir.KindTensor {
				return c.Errorf("input %d must be a tensor", i)
			}
		}
		if in[0].Len() != 1 || (in[0].DType != ir.Float32 && in[0].DType != ir.Float64) {
			return c.Errorf("input 0 (R) must be a float or double scalar, got %v%v", in[0].DType, in[0].Shape)
		}
		if in[1].Len() != 1 || in[1].DType != ir.Int64 {
			return c.Errorf("input 1 (T) must be an int64 scalar, got %v%v", in[1].DType, in[1].Shape)
		}
		step := prepare(in[0].Float64At(0), in[1].I64()[0])
		vin := make([]float64, ins)
		vout := make([]float64, outs)
		for j := 0; j < k; j++ {
			x := in[2+j]
			group := make([]*ir.Tensor, ins)
			for g := range group {
				t := in[2+g*k+j]
				if t.DType != x.DType || (t.DType != ir.Float32 && t.DType != ir.Float64) {
					return c.Errorf("input %d has dtype %v, expected float or double like input %d", 2+g*k+j, t.DType, 2+j)
				}
				if !sameShape(t.Shape, x.Shape) {
					return c.Errorf("input %d has shape %v, expected %v like input %d", 2+g*k+j, t.Shape, x.Shape, 2+j)
				}
				group[g] = t
			}
			res := make([]*ir.Tensor, outs)
			for g := range res {
				o := g*k + j
				if o >= c.NumOutputs() {
					continue
				}
				t, err := c.OutputUninit(o, x.DType, x.Shape)
				if err != nil {
					return err
				}
				res[g] = t
			}
			n := x.Len()
			for e := 0; e < n; e++ {
				for g, t := range group {
					vin[g] = t.Float64At(e)
				}
				step(vin, vout)
				for g, t := range res {
					if t == nil {
						continue
					}
					switch d := t.Data.(type) {
					case []float32:
						d[e] = float32(vout[g])
					case []float64:
						d[e] = vout[g]
					}
				}
			}
		}
		return nil
	}, nil
}

// buildAdagrad:
//
//	r = R / (1 + T·decay_factor)
//	G' = norm_coefficient·X + G
//	H_new = H + G'²
//	X_new = X - r·G' / (sqrt(H_new) + epsilon)
func buildAdagrad(b *Build) (Func, error) {
	a := b.Attrs()
	decay := float64(a.Float("decay_factor", 0))
	eps := float64(a.Float("epsilon", 0))
	norm := float64(a.Float("norm_coefficient", 0))
	return trnBuild(b, 3, 2, func(R float64, T int64) trnStep {
		r := R / (1 + float64(T)*decay)
		return func(in, out []float64) {
			x, g, h := in[0], in[1], in[2]
			g = norm*x + g
			h += g * g
			out[0] = x - r*g/(math.Sqrt(h)+eps)
			out[1] = h
		}
	})
}

// buildAdam:
//
//	G' = norm_coefficient·X + G
//	V_new = alpha·V + (1-alpha)·G'
//	H_new = beta·H + (1-beta)·G'²
//	R' = T > 0 ? R·sqrt(1 - beta^T) / (1 - alpha^T) : R
//	X_new = (1 - norm_coefficient_post)·(X - R'·V_new / (sqrt(H_new) + epsilon))
func buildAdam(b *Build) (Func, error) {
	a := b.Attrs()
	alpha := float64(a.Float("alpha", 0.9))
	beta := float64(a.Float("beta", 0.999))
	eps := float64(a.Float("epsilon", 0))
	norm := float64(a.Float("norm_coefficient", 0))
	post := float64(a.Float("norm_coefficient_post", 0))
	return trnBuild(b, 4, 3, func(R float64, T int64) trnStep {
		r := R
		if T > 0 {
			t := float64(T)
			r = R * math.Sqrt(1-math.Pow(beta, t)) / (1 - math.Pow(alpha, t))
		}
		return func(in, out []float64) {
			x, g, v, h := in[0], in[1], in[2], in[3]
			g = norm*x + g
			v = alpha*v + (1-alpha)*g
			h = beta*h + (1-beta)*g*g
			out[0] = (1 - post) * (x - r*v/(math.Sqrt(h)+eps))
			out[1] = v
			out[2] = h
		}
	})
}

// buildMomentum:
//
//	G' = norm_coefficient·X + G
//	beta' = T > 0 ? beta : 1
//	V_new = alpha·V + beta'·G'
//	X_new = X - R·V_new                    (mode "standard")
//	X_new = X - R·(G' + alpha·V_new)       (mode "nesterov")
func buildMomentum(b *Build) (Func, error) {
	a := b.Attrs()
	alpha := float64(a.Float("alpha", 0))
	beta := float64(a.Float("beta", 0))
	norm := float64(a.Float("norm_coefficient", 0))
	mode := a.String("mode", "")
	if mode != "standard" && mode != "nesterov" {
		return nil, b.Errorf("mode %q must be standard or nesterov", mode)
	}
	nesterov := mode == "nesterov"
	return trnBuild(b, 3, 2, func(R float64, T int64) trnStep {
		bt := beta
		if T <= 0 {
			bt = 1
		}
		return func(in, out []float64) {
			x, g, v := in[0], in[1], in[2]
			g = norm*x + g
			v = alpha*v + bt*g
			if nesterov {
				out[0] = x - R*(g+alpha*v)
			} else {
				out[0] = x - R*v
			}
			out[1] = v
		}
	})
}
