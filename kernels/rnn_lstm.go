package kernels

import (
	"github.com/nncc/nncc/ir"
)

// LSTM (gate order i, o, f, c in W, R and B; peepholes i, o, f in P):
//
//	it = f(Xt·Wiᵀ + Ht-1·Riᵀ + Pi⊙Ct-1 + Wbi + Rbi)
//	ft = f(Xt·Wfᵀ + Ht-1·Rfᵀ + Pf⊙Ct-1 + Wbf + Rbf)   (1 - it with input_forget)
//	ct = g(Xt·Wcᵀ + Ht-1·Rcᵀ + Wbc + Rbc)
//	Ct = ft⊙Ct-1 + it⊙ct
//	ot = f(Xt·Woᵀ + Ht-1·Roᵀ + Po⊙Ct + Wbo + Rbo)
//	Ht = ot⊙h(Ct)

func init() {
	Register("", "LSTM", func(b *Build) (Func, error) {
		s, err := parseRNNSpec(b, 4, []string{"Sigmoid", "Tanh", "Tanh"})
		if err != nil {
			return nil, err
		}
		f32 := func(c *Ctx, in []*ir.Tensor) error { return runLSTM[float32](c, s, in) }
		f64 := func(c *Ctx, in []*ir.Tensor) error { return runLSTM[float64](c, s, in) }
		return nnFloatKernel(f32, f64), nil
	})
}

func runLSTM[T nnFloat](c *Ctx, s *rnnSpec, in []*ir.Tensor) error {
	ri, err := rnnLoad[T](c, s, in, 6, 7)
	if err != nil {
		return err
	}
	H, B, D := ri.hid, ri.batch, s.dirs
	GH := 4 * H
	gates := make([]T, B*GH)
	h := make([]T, B*H)
	cell := make([]T, B*H)
	for d := range D {
		f, g, hh := s.acts[d][0], s.acts[d][1], s.acts[d][2]
		xw := ri.inputProjection(c.Pool, s, d, 4)
		r := ri.r[d*GH*H:]
		clear(h)
		clear(cell)
		if ri.h0 != nil {
			copy(h, ri.h0[d*B*H:])
		}
		if ri.c0 != nil {
			copy(cell, ri.c0[d*B*H:])
		}
		var pi, po, pf []T
		if ri.p != nil {
			p := ri.p[d*3*H:]
			pi, po, pf = p[:H], p[H:2*H], p[2*H:3*H]
		}
		for q := range ri.seq {
			active := false
			for b := range B {
				t := ri.timeOf(s, d, q, b)
				if t < 0 {
					continue
				}
				active = true
				copy(gates[b*GH:(b+1)*GH], xw[(t*B+b)*GH:])
			}
			if !active {
				break
			}
			rnnGemm(c.Pool, B, GH, H, h, H, r, H, 1, gates, GH)
			for b := range B {
				t := ri.timeOf(s, d, q, b)
				if t < 0 {
					continue
				}
				gr := gates[b*GH : (b+1)*GH]
				hb, cb := h[b*H:(b+1)*H], cell[b*H:(b+1)*H]
				for j := range H {
					cp := float64(cb[j])
					gi, go_, gf, gc := float64(gr[j]), float64(gr[H+j]), float64(gr[2*H+j]), float64(gr[3*H+j])
					if pi != nil {
						gi += float64(pi[j]) * cp
						gf += float64(pf[j]) * cp
					}
					it := f.apply(s.clipped(gi))
					var ft float64
					if s.inForget {
						ft = 1 - it
					} else {
						ft = f.apply(s.clipped(gf))
					}
					ct := g.apply(s.clipped(gc))
					cn := T(ft*cp + it*ct)
					if po != nil {
						go_ += float64(po[j]) * float64(cn)
					}
					ot := f.apply(s.clipped(go_))
					cb[j] = cn
					hb[j] = T(ot * hh.apply(float64(cn)))
				}
				if y := ri.outs[0]; y != nil {
					copy(y[((t*D+d)*B+b)*H:][:H], hb)
				}
			}
		}
		if y := ri.outs[1]; y != nil {
			copy(y[d*B*H:(d+1)*B*H], h)
		}
		if y := ri.outs[2]; y != nil {
			copy(y[d*B*H:(d+1)*B*H], cell)
		}
	}
	ri.finish(s)
	return nil
}
