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
//
// clip bounds the inputs of f and g. See rnn_exec.go for the GEMM
// structure and the prepacked weights (GRU packs Rz;Rr and Rh apart).

func init() {
	Register("", "GRU", func(b *Build) (Func, error) {
		s, err := parseRNNSpec(b, 3, []string{"Sigmoid", "Tanh"})
		if err != nil {
			return nil, err
		}
		pk := newRNNPacked(b, 3, 2)
		f32 := func(c *Ctx, in []*ir.Tensor) error { return runGRU[float32](c, s, in, pk) }
		f64 := func(c *Ctx, in []*ir.Tensor) error { return runGRU[float64](c, s, in, nil) }
		return nnFloatKernel(f32, f64), nil
	})
	Register("", "RNN", func(b *Build) (Func, error) {
		s, err := parseRNNSpec(b, 1, []string{"Tanh"})
		if err != nil {
			return nil, err
		}
		pk := newRNNPacked(b, 1, 1)
		f32 := func(c *Ctx, in []*ir.Tensor) error { return runSimpleRNN[float32](c, s, in, pk) }
		f64 := func(c *Ctx, in []*ir.Tensor) error { return runSimpleRNN[float64](c, s, in, nil) }
		return nnFloatKernel(f32, f64), nil
	})
}

// gruScratch is the size of one direction's share of runGRU's scratch: the projection (seq·batch
// rows of 3H), a step's gate rows, the h gate's recurrent part, rt⊙Ht-1,
// h and the summed bias.
func gruScratch(seq, batch, hid int) int {
	return seq*batch*3*hid + batch*3*hid + 3*batch*hid + 3*hid
}

// simpleRNNScratch is the size of one direction's share of runSimpleRNN's scratch: the projection,
// a step's rows, h and the summed bias.
func simpleRNNScratch(seq, batch, hid int) int {
	return seq*batch*hid + 2*batch*hid + hid
}

func runGRU[T nnFloat](c *Ctx, s *rnnSpec, in []*ir.Tensor, pk *rnnPacked) error {
	st := getRNNRun[T]()
	defer putRNNRun(st)
	if err := st.start(c, s, in, -1, -1, gruScratch, pk); err != nil {
		return err
	}
	units := st.plan(poolThreads(st.pool))
	for d := range s.dirs {
		xw, _, _, _, _, bias := gruBufs(st, d)
		st.project(d, 2, xw, bias, units)
	}
	st.runUnits(units, cellGRU)
	st.ri.finish(s)
	return nil
}

// gruBufs carves direction d's share of the scratch (gruScratch): the
// projection, the gate rows (z, r, h input parts plus the recurrent z, r),
// the h gate's recurrent part, rt⊙Ht-1, h and the summed bias.
func gruBufs[T nnFloat](st *rnnRun[T], d int) (xw, gates, rec, rh, h, bias []T) {
	ri := &st.ri
	H, B := ri.hid, ri.batch
	GH := 3 * H
	buf := st.dirBuf(d)
	xw, buf = buf[:ri.seq*B*GH], buf[ri.seq*B*GH:]
	gates, buf = buf[:B*GH], buf[B*GH:]
	rec, buf = buf[:B*H], buf[B*H:]
	rh, buf = buf[:B*H], buf[B*H:]
	h, bias = buf[:B*H], buf[B*H:B*H+GH]
	return
}

// gruRecur runs the time loop of direction d for batch entries [b0, b1)
// (rnn_units.go).
func gruRecur[T nnFloat](st *rnnRun[T], d, b0, b1 int) {
	ri, s := &st.ri, st.s
	H := ri.hid
	GH, n := 3*H, b1-b0
	xw, gates, rec, rh, h, _ := gruBufs(st, d)
	rec, rh, h = rec[b0*H:b1*H], rh[b0*H:b1*H], h[b0*H:b1*H]
	f, g := s.acts[d][0], s.acts[d][1]
	r := ri.r[d*GH*H : (d+1)*GH*H]
	pzr, ph := st.pk.rAt(d), st.pk.rhAt(d)
	var rbh []T
	if ri.bias != nil {
		rbh = ri.bias[d*2*GH+GH+2*H : d*2*GH+2*GH]
	}
	zeroH := st.loadState(h, ri.h0, d, b0, b1) // Ht-1 is all zeros: skip its product
	for q := range ri.seq {
		rows, ok := st.stepRows(d, q, xw, gates, b0, b1)
		if !ok {
			break
		}
		// z and r: add Ht-1·[Rz;Rr]ᵀ, then f.
		if !zeroH {
			st.recur(pzr, n, 2*H, H, h, H, r[:2*H*H], 1, rows, GH)
		}
		for i := range n {
			zr := rows[i*GH : i*GH+2*H]
			rnnClip(s, zr)
			rnnApply(f, zr)
		}
		// The h gate's recurrent part.
		switch {
		case zeroH:
			clear(rec)
		case s.lbr:
			st.recur(ph, n, H, H, h, H, r[2*H*H:], 0, rec, H)
		default:
			for i := range n {
				rg, hb, rb := rows[i*GH+H:i*GH+2*H], h[i*H:(i+1)*H], rh[i*H:(i+1)*H]
				for j, v := range hb {
					rb[j] = rg[j] * v
				}
			}
			st.recur(ph, n, H, H, rh, H, r[2*H*H:], 0, rec, H)
		}
		zeroH = false
		for i := range n {
			b := b0 + i
			t := ri.timeOf(s, d, q, b)
			if t < 0 {
				continue
			}
			gr := rows[i*GH : (i+1)*GH]
			z, rg, gh := gr[:H], gr[H:2*H], gr[2*H:3*H]
			rb := rec[i*H : (i+1)*H]
			for j, v := range rb {
				if rbh != nil {
					v += rbh[j]
				}
				if s.lbr {
					v *= rg[j]
				}
				gh[j] += v
			}
			rnnClip(s, gh)
			rnnApply(g, gh)
			hb := h[i*H : (i+1)*H]
			for j, ht := range gh {
				hb[j] = (1-z[j])*ht + z[j]*hb[j]
			}
			st.storeStep(t, d, b, hb)
		}
	}
	st.storeState(1, d, b0, b1, h)
}

func runSimpleRNN[T nnFloat](c *Ctx, s *rnnSpec, in []*ir.Tensor, pk *rnnPacked) error {
	st := getRNNRun[T]()
	defer putRNNRun(st)
	if err := st.start(c, s, in, -1, -1, simpleRNNScratch, pk); err != nil {
		return err
	}
	units := st.plan(poolThreads(st.pool))
	for d := range s.dirs {
		xw, _, _, bias := simpleRNNBufs(st, d)
		st.project(d, 1, xw, bias, units)
	}
	st.runUnits(units, cellRNN)
	st.ri.finish(s)
	return nil
}

// simpleRNNBufs carves direction d's share of the scratch
// (simpleRNNScratch).
func simpleRNNBufs[T nnFloat](st *rnnRun[T], d int) (xw, gates, h, bias []T) {
	ri := &st.ri
	H, B := ri.hid, ri.batch
	buf := st.dirBuf(d)
	xw, buf = buf[:ri.seq*B*H], buf[ri.seq*B*H:]
	gates, buf = buf[:B*H], buf[B*H:]
	h, bias = buf[:B*H], buf[B*H:B*H+H]
	return
}

// simpleRNNRecur runs the time loop of direction d for batch entries
// [b0, b1) (rnn_units.go).
func simpleRNNRecur[T nnFloat](st *rnnRun[T], d, b0, b1 int) {
	ri, s := &st.ri, st.s
	H := ri.hid
	n := b1 - b0
	xw, gates, h, _ := simpleRNNBufs(st, d)
	h = h[b0*H : b1*H]
	f := s.acts[d][0]
	r := ri.r[d*H*H : (d+1)*H*H]
	pr := st.pk.rAt(d)
	zeroH := st.loadState(h, ri.h0, d, b0, b1) // Ht-1 is all zeros: skip its product
	for q := range ri.seq {
		rows, ok := st.stepRows(d, q, xw, gates, b0, b1)
		if !ok {
			break
		}
		if !zeroH {
			st.recur(pr, n, H, H, h, H, r, 1, rows, H)
		}
		zeroH = false
		for i := range n {
			b := b0 + i
			t := ri.timeOf(s, d, q, b)
			if t < 0 {
				continue
			}
			hb := h[i*H : (i+1)*H]
			copy(hb, rows[i*H:(i+1)*H])
			rnnClip(s, hb)
			rnnApply(f, hb)
			st.storeStep(t, d, b, hb)
		}
	}
	st.storeState(1, d, b0, b1, h)
}
