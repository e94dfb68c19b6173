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
		if lstmGatesFit(s) {
			s.lstmGates = rnnLSTMGates(b.Level)
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

// lstmBufs carves direction d's share of the scratch (lstmScratch); h is
// the pair of hidden-state buffers (rnnHPair).
func lstmBufs[T nnFloat](st *rnnRun[T], d int) (xw, gates, h, cell, bias []T) {
	ri := &st.ri
	H, B := ri.hid, ri.batch
	GH := 4 * H
	buf := st.dirBuf(d)
	xw, buf = buf[:ri.seq*B*GH], buf[ri.seq*B*GH:]
	gates, buf = buf[:B*GH], buf[B*GH:]
	h, buf = buf[:2*B*H], buf[2*B*H:]
	cell, bias = buf[:B*H], buf[B*H:B*H+GH]
	return
}

// lstmStep runs step q of tm's unit on hidden units [j0, j1)
// (rnn_team.go): their gates' share of the recurrent product, the gate
// math, and their part of Ht and Ct.
func lstmStep[T nnFloat](st *rnnRun[T], tm *rnnTeam, q, j0, j1 int) {
	ri, s := &st.ri, st.s
	d, b0, b1 := tm.d, tm.b0, tm.b1
	H := ri.hid
	GH, n := 4*H, b1-b0
	xw, gates, hs, cell, _ := lstmBufs(st, d)
	hPrev, hNext := rnnHPair(hs, ri.batch, H, b0, b1, q)
	cell = cell[b0*H : b1*H]
	f, g, hh := s.acts[d][0], s.acts[d][1], s.acts[d][2]
	st.fillRows(d, q, xw, gates, b0, b1, j0, j1)
	rows := st.stepRowsAt(d, q, xw, gates, b0, b1)
	if q > 0 || !tm.zero {
		st.recurCols(st.pk.rAt(d), 4, n, j0, j1, hPrev, ri.r[d*GH*H:(d+1)*GH*H], 1, rows, GH)
	}
	var pi, po, pf []T
	if ri.p != nil {
		p := ri.p[d*3*H:]
		pi, po, pf = p[j0:j1], p[H+j0:H+j1], p[2*H+j0:2*H+j1]
	}
	for i := range n {
		b := b0 + i
		hp, hn := hPrev[i*H:(i+1)*H], hNext[i*H:(i+1)*H]
		t := ri.timeOf(s, d, q, b)
		if t < 0 {
			copy(hn[j0:j1], hp[j0:j1]) // the sequence has ended: carry Ht-1
			continue
		}
		lstmCell(s, f, g, hh, rows[i*GH+j0:(i+1)*GH], H, hn[j0:j1], cell[i*H+j0:i*H+j1], pi, po, pf)
		st.storeStepCols(t, d, b, j0, j1, hn)
	}
}

// lstmScratch is the size of one direction's share of runLSTM's scratch:
// the projection (seq·batch rows of 4H), a step's gate rows, two h, c and
// the summed bias.
func lstmScratch(seq, batch, hid int) int {
	return seq*batch*4*hid + batch*4*hid + 3*batch*hid + 4*hid
}

// lstmGatesFit reports whether every direction of s has the cell the fused
// gate kernel computes: sigmoid, tanh, tanh, no clip, no input_forget
// (peepholes, an input, are checked per Run).
func lstmGatesFit(s *rnnSpec) bool {
	if s.inForget || s.clip > 0 {
		return false
	}
	for _, a := range s.acts {
		if a[0].kind != actSigmoid || a[1].kind != actTanh || a[2].kind != actTanh {
			return false
		}
	}
	return true
}

// lstmCell updates one batch entry's hidden state hb and cell cb (n
// hidden units) from its pre-activation gates i, o, f, c at gr[k·ld:]
// (k = 0..3, n each, overwritten), with peepholes pi, po, pf (n each, or
// nil). The usual case (lstmGatesFit, no peepholes) runs the fused kernel
// of the session's level when it has one (s.lstmGates), which gives the
// same bits as the separate routines.
func lstmCell[T nnFloat](s *rnnSpec, f, g, hh rnnAct, gr []T, ld int, hb, cb, pi, po, pf []T) {
	H := len(hb)
	if s.lstmGates != nil && pi == nil {
		if g32, ok := any(gr).([]float32); ok {
			s.lstmGates(g32, ld, any(cb).([]float32), any(hb).([]float32))
			return
		}
	}
	gi, gout, gf, gc := gr[:H], gr[ld:ld+H], gr[2*ld:2*ld+H], gr[3*ld:3*ld+H]
	cb = cb[:H]
	if pi != nil {
		pi, pf = pi[:H], pf[:H]
		for j, cp := range cb {
			gi[j] += pi[j] * cp
			gf[j] += pf[j] * cp
		}
	}
	if po == nil && !s.inForget && s.clip <= 0 {
		// i, o and f share f and need nothing else first.
		rnnApply(f, gi)
		rnnApply(f, gout)
		rnnApply(f, gf)
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
