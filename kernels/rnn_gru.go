package kernels

import (
	"github.com/nncc/nncc/ir"
)

// GRU (gate order z, r, h) and the simple RNN.
//
//	zt = f(Xt·Wzᵀ + Ht-1·Rzᵀ + Wbz + Rbz)
//	rt = f(Xt·Wrᵀ + Ht-1·Rrᵀ + Wbr + Rbr)
//	ht = g(Xt·Whᵀ + (rt⊙Ht-1)·Rhᵀ + Rbh + Wbh)      linear_before_reset = 0
//	ht = g(Xt·Whᵀ + rt⊙(Ht-1·Rhᵀ + Rbh) + Wbh)      linear_before_reset ≠ 0
//	Ht = (1 - zt)⊙ht + zt⊙Ht-1
//
// RNN: Ht = f(Xt·Wiᵀ + Ht-1·Riᵀ + Wbi + Rbi).

func init() {
	Register("", "GRU", func(b *Build) (Func, error) {
		s, err := parseRNNSpec(b, 3, []string{"Sigmoid", "Tanh"})
		if err != nil {
			return nil, err
		}
		f32 := func(c *Ctx, in []*ir.Tensor) error { return runGRU[float32](c, s, in) }
		f64 := func(c *Ctx, in []*ir.Tensor) error { return runGRU[float64](c, s, in) }
		return nnFloatKernel(f32, f64), nil
	})
	Register("", "RNN", func(b *Build) (Func, error) {
		s, err := parseRNNSpec(b, 1, []string{"Tanh"})
		if err != nil {
			return nil, err
		}
		f32 := func(c *Ctx, in []*ir.Tensor) error { return runSimpleRNN[float32](c, s, in) }
		f64 := func(c *Ctx, in []*ir.Tensor) error { return runSimpleRNN[float64](c, s, in) }
		return nnFloatKernel(f32, f64), nil
	})
}

func runGRU[T nnFloat](c *Ctx, s *rnnSpec, in []*ir.Tensor) error {
	ri, err := rnnLoad[T](c, s, in, -1, -1)
	if err != nil {
		return err
	}
	H, B, D := ri.hid, ri.batch, s.dirs
	GH := 3 * H
	gates := make([]T, B*GH) // z, r, h input parts (+ recurrent z, r)
	rec := make([]T, B*H)    // recurrent part of the h gate
	rh := make([]T, B*H)     // rt⊙Ht-1
	h := make([]T, B*H)
	for d := range D {
		f, g := s.acts[d][0], s.acts[d][1]
		xw := ri.inputProjection(c.Pool, s, d, 2)
		r := ri.r[d*GH*H:]
		var rbh []T
		if ri.bias != nil {
			rbh = ri.bias[d*2*GH+GH+2*H : d*2*GH+2*GH]
		}
		clear(h)
		if ri.h0 != nil {
			copy(h, ri.h0[d*B*H:])
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
			// z and r: add Ht-1·[Rz;Rr]ᵀ.
			rnnGemm(c.Pool, B, 2*H, H, h, H, r, H, 1, gates, GH)
			for b := range B {
				gr := gates[b*GH : (b+1)*GH]
				for j := range 2 * H {
					gr[j] = T(f.apply(s.clipped(float64(gr[j]))))
				}
			}
			rhOff := r[2*H*H:]
			if s.lbr {
				rnnGemm(c.Pool, B, H, H, h, H, rhOff, H, 0, rec, H)
			} else {
				for b := range B {
					for j := range H {
						rh[b*H+j] = gates[b*GH+H+j] * h[b*H+j]
					}
				}
				rnnGemm(c.Pool, B, H, H, rh, H, rhOff, H, 0, rec, H)
			}
			for b := range B {
				t := ri.timeOf(s, d, q, b)
				if t < 0 {
					continue
				}
				gr := gates[b*GH : (b+1)*GH]
				hb := h[b*H : (b+1)*H]
				for j := range H {
					rv := float64(rec[b*H+j])
					if rbh != nil {
						rv += float64(rbh[j])
					}
					if s.lbr {
						rv *= float64(gr[H+j])
					}
					ht := g.apply(s.clipped(float64(gr[2*H+j]) + rv))
					z := float64(gr[j])
					hb[j] = T((1-z)*ht + z*float64(hb[j]))
				}
				if y := ri.outs[0]; y != nil {
					copy(y[((t*D+d)*B+b)*H:][:H], hb)
				}
			}
		}
		if y := ri.outs[1]; y != nil {
			copy(y[d*B*H:(d+1)*B*H], h)
		}
	}
	ri.finish(s)
	return nil
}

func runSimpleRNN[T nnFloat](c *Ctx, s *rnnSpec, in []*ir.Tensor) error {
	ri, err := rnnLoad[T](c, s, in, -1, -1)
	if err != nil {
		return err
	}
	H, B, D := ri.hid, ri.batch, s.dirs
	gates := make([]T, B*H)
	h := make([]T, B*H)
	for d := range D {
		f := s.acts[d][0]
		xw := ri.inputProjection(c.Pool, s, d, 1)
		r := ri.r[d*H*H:]
		clear(h)
		if ri.h0 != nil {
			copy(h, ri.h0[d*B*H:])
		}
		for q := range ri.seq {
			active := false
			for b := range B {
				t := ri.timeOf(s, d, q, b)
				if t < 0 {
					continue
				}
				active = true
				copy(gates[b*H:(b+1)*H], xw[(t*B+b)*H:])
			}
			if !active {
				break
			}
			rnnGemm(c.Pool, B, H, H, h, H, r, H, 1, gates, H)
			for b := range B {
				t := ri.timeOf(s, d, q, b)
				if t < 0 {
					continue
				}
				hb := h[b*H : (b+1)*H]
				for j := range H {
					hb[j] = T(f.apply(s.clipped(float64(gates[b*H+j]))))
				}
				if y := ri.outs[0]; y != nil {
					copy(y[((t*D+d)*B+b)*H:][:H], hb)
				}
			}
		}
		if y := ri.outs[1]; y != nil {
			copy(y[d*B*H:(d+1)*B*H], h)
		}
	}
	ri.finish(s)
	return nil
}
