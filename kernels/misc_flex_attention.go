package kernels

import (
	"fmt"
	"math"

	"github.com/nncc/nncc/ir"
)

// ai.onnx.preview FlexAttention.

func init() {
	Register("ai.onnx.preview", "FlexAttention", buildFlexAttention)
}

// buildFlexAttention computes, for Q (B, Hq, L, D), K (B, Hkv, S, D) and
// V (B, Hkv, S, Dv), query head h using K/V head h / (Hq/Hkv):
//
//	scores = score_mod((Q·Kᵀ)·scale)        scale defaults to 1/sqrt(D)
//	probs  = prob_mod(softmax(scores, axis -1))
//	Y      = probs·V
//
// scores and probs are (B, Hq, L, S) tensors of the softmax precision
// (float, or double for double inputs or when softmax_precision says so);
// the optional score_mod and prob_mod graphs map such a tensor to one of the
// same shape and type.
func buildFlexAttention(b *Build) (Func, error) {
	a := b.Attrs()
	if dt := b.InDType(0); dt != ir.Undefined && !miscIsFloat(dt) {
		return nil, b.Errorf("input 0 has dtype %v, expected a float type", dt)
	}
	staticPrec := ir.Undefined
	if dt := b.InDType(0); dt != ir.Undefined || a.Has("softmax_precision") {
		p, err := ir.FlexAttentionPrecision(a, dt)
		if err != nil {
			return nil, b.Errorf("%v", err)
		}
		staticPrec = p
	}
	var mods [2]Subgraph
	for i, name := range []string{"score_mod", "prob_mod"} {
		if a.Graph(name) == nil {
			continue
		}
		_, sub, err := cfBody(b, name)
		if err != nil {
			return nil, err
		}
		mods[i] = sub
	}
	hasScale, scaleAttr := a.Has("scale"), float64(a.Float("scale", 0))
	return func(c *Ctx, in []*ir.Tensor) error {
		names := []string{"Q", "K", "V"}
		var ts [3]*ir.Tensor
		for i := range ts {
			t, err := miscFloatInput(c, in, i, names[i])
			if err != nil {
				return err
			}
			if t.Rank() != 4 {
				return c.Errorf("input %d (%s) must be rank 4, got shape %v", i, names[i], t.Shape)
			}
			if t.DType != in[0].DType {
				return c.Errorf("input %d (%s) has dtype %v, expected %v like Q", i, names[i], t.DType, in[0].DType)
			}
			ts[i] = t
		}
		q, k, v := ts[0], ts[1], ts[2]
		B, Hq, L, D := int(q.Shape[0]), int(q.Shape[1]), int(q.Shape[2]), int(q.Shape[3])
		Hkv, S, Dv := int(k.Shape[1]), int(k.Shape[2]), int(v.Shape[3])
		if k.Shape[0] != int64(B) || k.Shape[3] != int64(D) || !sameShape(v.Shape[:3], k.Shape[:3]) {
			return c.Errorf("Q %v, K %v and V %v do not fit (B, H, L, D), (B, Hkv, S, D), (B, Hkv, S, Dv)", q.Shape, k.Shape, v.Shape)
		}
		if Hkv == 0 || Hq%Hkv != 0 {
			return c.Errorf("Q's %d heads are not a multiple of K's %d heads", Hq, Hkv)
		}
		group := Hq / Hkv
		prec := staticPrec
		if prec == ir.Undefined {
			p, err := ir.FlexAttentionPrecision(c.Node.Attrs, q.DType)
			if err != nil {
				return c.Errorf("%v", err)
			}
			prec = p
		}
		scale := 1 / math.Sqrt(float64(D))
		if hasScale {
			scale = scaleAttr
		}
		qs, ks, vs := miscLoad(q), miscLoad(k), miscLoad(v)
		sshape := []int64{int64(B), int64(Hq), int64(L), int64(S)}
		sc := make([]float64, B*Hq*L*S)
		for bi := 0; bi < B; bi++ {
			for h := 0; h < Hq; h++ {
				kh := bi*Hkv + h/group
				for i := 0; i < L; i++ {
					qr := qs[((bi*Hq+h)*L+i)*D:][:D]
					for j := 0; j < S; j++ {
						kr := ks[(kh*S+j)*D:][:D]
						d := 0.0
						for x := range qr {
							d += qr[x] * kr[x]
						}
						sc[((bi*Hq+h)*L+i)*S+j] = d * scale
					}
				}
			}
		}
		var err error
		if sc, err = flexMod(c, mods[0], "score_mod", sc, sshape, prec); err != nil {
			return err
		}
		for r := 0; r < B*Hq*L; r++ {
			flexSoftmax(sc[r*S:(r+1)*S], prec)
		}
		if sc, err = flexMod(c, mods[1], "prob_mod", sc, sshape, prec); err != nil {
			return err
		}
		out := make([]float64, B*Hq*L*Dv)
		for bi := 0; bi < B; bi++ {
			for h := 0; h < Hq; h++ {
				kh := bi*Hkv + h/group
				for i := 0; i < L; i++ {
					p := sc[((bi*Hq+h)*L+i)*S:][:S]
					o := out[((bi*Hq+h)*L+i)*Dv:][:Dv]
					for j, pv := range p {
						vr := vs[(kh*S+j)*Dv:][:Dv]
						for x := range o {
							o[x] += pv * vr[x]
						}
					}
				}
			}
		}
		y, err := c.OutputUninit(0, q.DType, []int64{int64(B), int64(Hq), int64(L), int64(Dv)})
		if err != nil {
			return err
		}
		miscStore(y, out)
		return nil
	}, nil
}

// flexMod runs a modifier graph (if any) on vals as a tensor of the given
// shape and precision and returns its output's values.
func flexMod(c *Ctx, sub Subgraph, name string, vals []float64, shape []int64, prec ir.DType) ([]float64, error) {
	if sub == nil {
		if prec == ir.Float32 {
			for i, v := range vals {
				vals[i] = float64(float32(v))
			}
		}
		return vals, nil
	}
	t := ir.NewTensor(prec, shape)
	miscStore(t, vals)
	outs, err := cfRun(c, sub, name, []*ir.Tensor{t}, 1)
	if err != nil {
		return nil, err
	}
	o := outs[0]
	if o.Kind != ir.KindTensor || o.DType != prec || !sameShape(o.Shape, shape) {
		return nil, c.Errorf("%s must yield a %v%v tensor, got %v", name, prec, shape, fmt.Sprint(o))
	}
	return miscLoad(o), nil
}

// flexSoftmax replaces row by its softmax, rounded to prec.
func flexSoftmax(row []float64, prec ir.DType) {
	m := math.Inf(-1)
	for _, v := range row {
		m = max(m, v)
	}
	s := 0.0
	for i, v := range row {
		row[i] = math.Exp(v - m)
		s += row[i]
	}
	for i := range row {
		row[i] /= s
		if prec == ir.Float32 {
			row[i] = float64(float32(row[i]))
		}
	}
}
