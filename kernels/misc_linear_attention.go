package kernels

import (
	"math"

	"github.com/nncc/nncc/ir"
)

// LinearAttention (opset 27).

func init() {
	Register("", "LinearAttention", buildLinearAttention)
}

// buildLinearAttention runs the recurrence token by token. Per batch b and
// KV head h the state S (d_k × d_v, past_state or zeros) is updated by
//
//	gated rules:  S = exp(g_t) · S           (g per head, or per key dim: rows of S)
//	delta rules:  u = β_t · (v_t - Sᵀk_t)    (others: u = v_t)
//	              S = S + k_t ⊗ u
//
// and each query head h' sharing KV head h = h' / (H_q/H_kv) reads
// o_t = scale · q_tᵀ S, scale defaulting to 1/sqrt(d_k). Inputs are packed
// (B, T, H·D); present_state is the final S in past_state's type (the
// query's when absent). Arithmetic is in float64.
func buildLinearAttention(b *Build) (Func, error) {
	a := b.Attrs()
	hq, hkv := int(a.Int("q_num_heads", 0)), int(a.Int("kv_num_heads", 0))
	if hq <= 0 || hkv <= 0 || hq%hkv != 0 {
		return nil, b.Errorf("q_num_heads (%d) must be a positive multiple of kv_num_heads (%d)", hq, hkv)
	}
	rule := a.String("update_rule", "gated_delta")
	var gating, delta bool
	switch rule {
	case "linear":
	case "gated":
		gating = true
	case "delta":
		delta = true
	case "gated_delta":
		gating, delta = true, true
	default:
		return nil, b.Errorf("update_rule %q must be linear, gated, delta or gated_delta", rule)
	}
	has := func(i int) bool { return i < len(b.Node.Inputs) && b.Node.Inputs[i] != nil }
	if gating != has(4) {
		return nil, b.Errorf("update_rule %q %s the decay input", rule, map[bool]string{true: "requires", false: "forbids"}[gating])
	}
	if delta != has(5) {
		return nil, b.Errorf("update_rule %q %s the beta input", rule, map[bool]string{true: "requires", false: "forbids"}[delta])
	}
	scaleAttr := float64(a.Float("scale", 0))
	group := hq / hkv
	return func(c *Ctx, in []*ir.Tensor) error {
		names := []string{"query", "key", "value", "past_state", "decay", "beta"}
		var ts [6]*ir.Tensor
		for i := range names {
			if i < len(in) && in[i] != nil {
				t, err := miscFloatInput(c, in, i, names[i])
				if err != nil {
					return err
				}
				if i != 3 && t.Rank() != 3 {
					return c.Errorf("input %d (%s) must be rank 3, got shape %v", i, names[i], t.Shape)
				}
				ts[i] = t
			}
		}
		q, k, v := ts[0], ts[1], ts[2]
		B, T := int(q.Shape[0]), int(q.Shape[1])
		if q.Shape[2]%int64(hq) != 0 || v.Shape[2]%int64(hkv) != 0 {
			return c.Errorf("query/value last dims %d/%d are not divisible by q_num_heads/kv_num_heads %d/%d", q.Shape[2], v.Shape[2], hq, hkv)
		}
		dk, dv := int(q.Shape[2])/hq, int(v.Shape[2])/hkv
		for i, want := range [][]int64{nil, {int64(B), int64(T), int64(hkv * dk)}, {int64(B), int64(T), int64(hkv * dv)}} {
			if want != nil && !sameShape(ts[i].Shape, want) {
				return c.Errorf("input %d (%s) must have shape %v, got %v", i, names[i], want, ts[i].Shape)
			}
		}
		qs, ks, vs := miscLoad(q), miscLoad(k), miscLoad(v)
		state := make([]float64, B*hkv*dk*dv)
		sdt := q.DType
		if p := ts[3]; p != nil {
			if !sameShape(p.Shape, []int64{int64(B), int64(hkv), int64(dk), int64(dv)}) {
				return c.Errorf("past_state must have shape [%d %d %d %d], got %v", B, hkv, dk, dv, p.Shape)
			}
			copy(state, miscLoad(p))
			sdt = p.DType
		}
		var decay, beta []float64
		decayW, betaW := 0, 0 // per-(b, t) widths
		if d := ts[4]; d != nil {
			decayW = int(d.Shape[2])
			if d.Shape[0] != int64(B) || d.Shape[1] != int64(T) || (decayW != hkv && decayW != hkv*dk) {
				return c.Errorf("decay must have shape [%d %d %d] or [%d %d %d], got %v", B, T, hkv, B, T, hkv*dk, d.Shape)
			}
			decay = miscLoad(d)
		}
		if bt := ts[5]; bt != nil {
			betaW = int(bt.Shape[2])
			if bt.Shape[0] != int64(B) || bt.Shape[1] != int64(T) || (betaW != hkv && betaW != 1) {
				return c.Errorf("beta must have shape [%d %d %d] or [%d %d 1], got %v", B, T, hkv, B, T, bt.Shape)
			}
			beta = miscLoad(bt)
		}
		scale := scaleAttr
		if scale == 0 {
			scale = 1 / math.Sqrt(float64(dk))
		}
		out := make([]float64, B*T*hq*dv)
		u := make([]float64, dv)
		for bi := 0; bi < B; bi++ {
			for t := 0; t < T; t++ {
				row := bi*T + t
				for h := 0; h < hkv; h++ {
					S := state[(bi*hkv+h)*dk*dv : (bi*hkv+h+1)*dk*dv]
					kt := ks[(row*hkv+h)*dk : (row*hkv+h+1)*dk]
					vt := vs[(row*hkv+h)*dv : (row*hkv+h+1)*dv]
					if gating {
						for i := 0; i < dk; i++ {
							g := decay[row*decayW+h]
							if decayW != hkv {
								g = decay[row*decayW+h*dk+i]
							}
							e := math.Exp(g)
							for j := 0; j < dv; j++ {
								S[i*dv+j] *= e
							}
						}
					}
					copy(u, vt)
					if delta {
						bv := beta[row*betaW]
						if betaW != 1 {
							bv = beta[row*betaW+h]
						}
						for j := 0; j < dv; j++ {
							r := 0.0
							for i := 0; i < dk; i++ {
								r += S[i*dv+j] * kt[i]
							}
							u[j] = bv * (vt[j] - r)
						}
					}
					for i := 0; i < dk; i++ {
						for j := 0; j < dv; j++ {
							S[i*dv+j] += kt[i] * u[j]
						}
					}
					for g := 0; g < group; g++ {
						hh := h*group + g
						qt := qs[(row*hq+hh)*dk : (row*hq+hh+1)*dk]
						o := out[(row*hq+hh)*dv : (row*hq+hh+1)*dv]
						for j := 0; j < dv; j++ {
							s := 0.0
							for i := 0; i < dk; i++ {
								s += qt[i] * S[i*dv+j]
							}
							o[j] = scale * s
						}
					}
				}
			}
		}
		y, err := c.OutputUninit(0, q.DType, []int64{int64(B), int64(T), int64(hq * dv)})
		if err != nil {
			return err
		}
		miscStore(y, out)
		if c.NumOutputs() > 1 {
			st, err := c.OutputUninit(1, sdt, []int64{int64(B), int64(hkv), int64(dk), int64(dv)})
			if err != nil {
				return err
			}
			miscStore(st, state)
		}
		return nil
	}, nil
}
