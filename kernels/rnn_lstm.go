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
//
// clip bounds the inputs of f and g. See rnn_exec.go for the GEMM
// structure and the prepacked weights.

func init() {
	Register("", "LSTM", func(b *Build) (Func, error) {
		s, err := parseRNNSpec(b, 4, []string{"Sigmoid", "Tanh", "Tanh"})
		if err != nil {
			return nil, err
		}
		pk := newRNNPacked(b, 4, 4)
		f32 := func(c *Ctx, in []*ir.Tensor) error { return runLSTM[float32](c, s, in, pk) }
		f64 := func(c *Ctx, in []*ir.Tensor) error { return runLSTM[float64](c, s, in, nil) }
		return nnFloatKernel(f32, f64), nil
	})
}

func runLSTM[T nnFloat](c *Ctx, s *rnnSpec, in []*ir.Tensor, pk *rnnPacked) error {
	st := getRNNRun[T]()
	defer putRNNRun(st)
	if err := st.start(c, s, in, 6, 7, lstmScratch, pk); err != nil {
		return err
	}
	units := st.plan(poolThreads(st.pool))
	for d := range s.dirs {
		xw, _, _, _, bias := lstmBufs(st, d)
		st.project(d, 4, xw, bias, units)
	}
	st.runUnits(units, cellLSTM)
	st.ri.finish(s)
	return nil
}

// lstmBufs carves direction d's share of the scratch (lstmScratch).
func lstmBufs[T nnFloat](st *rnnRun[T], d int) (xw, gates, h, cell, bias []T) {
	ri := &st.ri
	H, B := ri.hid, ri.batch
	GH := 4 * H
	buf := st.dirBuf(d)
	xw, buf = buf[:ri.seq*B*GH], buf[ri.seq*B*GH:]
	gates, buf = buf[:B*GH], buf[B*GH:]
	h, buf = buf[:B*H], buf[B*H:]
	cell, bias = buf[:B*H], buf[B*H:B*H+GH]
	return
}

// lstmRecur runs the time loop of direction d for batch entries [b0, b1)
// (rnn_units.go).
func lstmRecur[T nnFloat](st *rnnRun[T], d, b0, b1 int) {
	ri, s := &st.ri, st.s
	H := ri.hid
	GH, n := 4*H, b1-b0
	xw, gates, h, cell, _ := lstmBufs(st, d)
	h, cell = h[b0*H:b1*H], cell[b0*H:b1*H]
	f, g, hh := s.acts[d][0], s.acts[d][1], s.acts[d][2]
	r := ri.r[d*GH*H : (d+1)*GH*H]
	pr := st.pk.rAt(d)
	zeroH := st.loadState(h, ri.h0, d, b0, b1) // Ht-1 is all zeros: skip its product
	st.loadState(cell, ri.c0, d, b0, b1)
	var pi, po, pf []T
	if ri.p != nil {
		p := ri.p[d*3*H:]
		pi, po, pf = p[:H], p[H:2*H], p[2*H:3*H]
	}
	for q := range ri.seq {
		rows, ok := st.stepRows(d, q, xw, gates, b0, b1)
		if !ok {
			break
		}
		if !zeroH {
			st.recur(pr, n, GH, H, h, H, r, 1, rows, GH)
		}
		zeroH = false
		for i := range n {
			b := b0 + i
			t := ri.timeOf(s, d, q, b)
			if t < 0 {
				continue
			}
			gr := rows[i*GH : (i+1)*GH]
			hb, cb := h[i*H:(i+1)*H], cell[i*H:(i+1)*H]
			lstmCell(s, f, g, hh, gr, hb, cb, pi, po, pf)
			st.storeStep(t, d, b, hb)
		}
	}
	st.storeState(1, d, b0, b1, h)
	st.storeState(2, d, b0, b1, cell)
}

// lstmScratch is the size of one direction's share of runLSTM's scratch:
// the projection (seq·batch rows of 4H), a step's gate rows, h, c and the
// summed bias.
func lstmScratch(seq, batch, hid int) int {
	return seq*batch*4*hid + batch*4*hid + 2*batch*hid + 4*hid
}

// lstmCell updates one batch entry's hidden state hb and cell cb from its
// pre-activation gates gr = [i, o, f, c] (overwritten), whole gate blocks
// at a time.
func lstmCell[T nnFloat](s *rnnSpec, f, g, hh rnnAct, gr, hb, cb, pi, po, pf []T) {
	H := len(hb)
	gi, gout, gf, gc := gr[:H], gr[H:2*H], gr[2*H:3*H], gr[3*H:4*H]
	cb = cb[:H]
	if pi != nil {
		pi, pf = pi[:H], pf[:H]
		for j, cp := range cb {
			gi[j] += pi[j] * cp
			gf[j] += pf[j] * cp
		}
	}
	if po == nil && !s.inForget && s.clip <= 0 {
		// i, o and f share f and need nothing else first: one call.
		rnnApply(f, gr[:3*H])
	} else {
		rnnClip(s, gi)
		rnnApply(f, gi)
		if s.inForget {
			for j, v := range gi {
				gf[j] = 1 - v
			}
		} else {
			rnnClip(s, gf)
			rnnApply(f, gf)
		}
	}
	rnnClip(s, gc)
	rnnApply(g, gc)
	rnnMul(s.vec, cb, gf, cb)
	rnnMul(s.vec, gc, gi, gc)
	rnnAdd(s.vec, cb, cb, gc)
	if po != nil || s.inForget || s.clip > 0 {
		if po != nil {
			po = po[:H]
			for j, cn := range cb {
				gout[j] += po[j] * cn
			}
		}
		rnnClip(s, gout)
		rnnApply(f, gout)
	}
	// h(Ct) into the c block, which is no longer needed.
	rnnApplyTo(hh, gc, cb)
	rnnMul(s.vec, hb, gout, gc)
}
