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
// two h and the summed bias.
func gruScratch(seq, batch, hid int) int {
	return seq*batch*3*hid + batch*3*hid + 4*batch*hid + 3*hid
}

// simpleRNNScratch is the size of one direction's share of runSimpleRNN's scratch: the projection,
// a step's rows, two h and the summed bias.
func simpleRNNScratch(seq, batch, hid int) int {
	return seq*batch*hid + 3*batch*hid + hid
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
// the h gate's recurrent part, rt⊙Ht-1, the pair of hidden-state buffers
// (rnnHPair) and the summed bias.
func gruBufs[T nnFloat](st *rnnRun[T], d int) (xw, gates, rec, rh, h, bias []T) {
	ri := &st.ri
	H, B := ri.hid, ri.batch
	GH := 3 * H
	buf := st.dirBuf(d)
	xw, buf = buf[:ri.seq*B*GH], buf[ri.seq*B*GH:]
	gates, buf = buf[:B*GH], buf[B*GH:]
	rec, buf = buf[:B*H], buf[B*H:]
	rh, buf = buf[:B*H], buf[B*H:]
	h, bias = buf[:2*B*H], buf[2*B*H:2*B*H+GH]
	return
}

// gruStep runs phase ph of step q of tm's unit on hidden units [j0, j1)
// (rnn_team.go). Phase 0 computes the z and r gates (and rt⊙Ht-1); the
// last phase the h gate and Ht. Without linear_before_reset a team cut
// into slices runs them as two phases, since the h gate's product reads
// every slice's rt⊙Ht-1; otherwise one phase does both.
func gruStep[T nnFloat](st *rnnRun[T], tm *rnnTeam, q, ph, j0, j1 int) {
	ri, s := &st.ri, st.s
	d, b0, b1 := tm.d, tm.b0, tm.b1
	H := ri.hid
	GH, n := 3*H, b1-b0
	xw, gates, rec, rh, hs, _ := gruBufs(st, d)
	hPrev, hNext := rnnHPair(hs, ri.batch, H, b0, b1, q)
	rec, rh = rec[b0*H:b1*H], rh[b0*H:b1*H]
	f, g := s.acts[d][0], s.acts[d][1]
	r := ri.r[d*GH*H : (d+1)*GH*H]
	zero := q == 0 && tm.zero // Ht-1 is all zeros: skip its products
	rows := st.stepRowsAt(d, q, xw, gates, b0, b1)
	if ph == 0 {
		st.fillRows(d, q, xw, gates, b0, b1, j0, j1)
		// z and r: add Ht-1·[Rz;Rr]ᵀ, then f.
		if !zero {
			st.recurCols(st.pk.rAt(d), 2, n, j0, j1, hPrev, r[:2*H*H], 1, rows, GH)
		}
		for i := range n {
			if j0 == 0 && j1 == H {
				zr := rows[i*GH : i*GH+2*H] // both gates in one call
				rnnClip(s, zr)
				rnnApply(f, zr)
			} else {
				for _, v := range [2][]T{rows[i*GH+j0 : i*GH+j1], rows[i*GH+H+j0 : i*GH+H+j1]} {
					rnnClip(s, v)
					rnnApply(f, v)
				}
			}
			if !s.lbr && !zero {
				rg, hb, rb := rows[i*GH+H:i*GH+2*H], hPrev[i*H:(i+1)*H], rh[i*H:(i+1)*H]
				for j := j0; j < j1; j++ {
					rb[j] = rg[j] * hb[j]
				}
			}
		}
	}
	if ph != tm.phases-1 {
		return
	}
	// The h gate's recurrent part.
	switch {
	case zero:
		for i := range n {
			clear(rec[i*H+j0 : i*H+j1])
		}
	case s.lbr:
		st.recurCols(st.pk.rhAt(d), 1, n, j0, j1, hPrev, r[2*H*H:], 0, rec, H)
	default:
		st.recurCols(st.pk.rhAt(d), 1, n, j0, j1, rh, r[2*H*H:], 0, rec, H)
	}
	var rbh []T
	if ri.bias != nil {
		rbh = ri.bias[d*2*GH+GH+2*H : d*2*GH+2*GH]
	}
	for i := range n {
		b := b0 + i
		hp, hn := hPrev[i*H:(i+1)*H], hNext[i*H:(i+1)*H]
		t := ri.timeOf(s, d, q, b)
		if t < 0 {
			copy(hn[j0:j1], hp[j0:j1]) // the sequence has ended: carry Ht-1
			continue
		}
		gr := rows[i*GH : (i+1)*GH]
		z, rg, gh := gr[j0:j1], gr[H+j0:H+j1], gr[2*H+j0:2*H+j1]
		gruAddRecurrent(gh, rec[i*H+j0:i*H+j1], rbh, j0, rg, s.lbr)
		rnnClip(s, gh)
		rnnApply(g, gh)
		gruBlend(hn[j0:j1], gh, z, hp[j0:j1])
		st.storeStepCols(t, d, b, j0, j1, hn)
	}
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
// (simpleRNNScratch); h is the pair of hidden-state buffers (rnnHPair).
func simpleRNNBufs[T nnFloat](st *rnnRun[T], d int) (xw, gates, h, bias []T) {
	ri := &st.ri
	H, B := ri.hid, ri.batch
	buf := st.dirBuf(d)
	xw, buf = buf[:ri.seq*B*H], buf[ri.seq*B*H:]
	gates, buf = buf[:B*H], buf[B*H:]
	h, bias = buf[:2*B*H], buf[2*B*H:2*B*H+H]
	return
}

// simpleRNNStep runs step q of tm's unit on hidden units [j0, j1)
// (rnn_team.go).
func simpleRNNStep[T nnFloat](st *rnnRun[T], tm *rnnTeam, q, j0, j1 int) {
	ri, s := &st.ri, st.s
	d, b0, b1 := tm.d, tm.b0, tm.b1
	H := ri.hid
	n := b1 - b0
	xw, gates, hs, _ := simpleRNNBufs(st, d)
	hPrev, hNext := rnnHPair(hs, ri.batch, H, b0, b1, q)
	f := s.acts[d][0]
	st.fillRows(d, q, xw, gates, b0, b1, j0, j1)
	rows := st.stepRowsAt(d, q, xw, gates, b0, b1)
	if q > 0 || !tm.zero {
		st.recurCols(st.pk.rAt(d), 1, n, j0, j1, hPrev, ri.r[d*H*H:(d+1)*H*H], 1, rows, H)
	}
	for i := range n {
		b := b0 + i
		hp, hn := hPrev[i*H:(i+1)*H], hNext[i*H:(i+1)*H]
		t := ri.timeOf(s, d, q, b)
		if t < 0 {
			copy(hn[j0:j1], hp[j0:j1]) // the sequence has ended: carry Ht-1
			continue
		}
		hb := hn[j0:j1]
		copy(hb, rows[i*H+j0:i*H+j1])
		rnnClip(s, hb)
		rnnApply(f, hb)
		st.storeStepCols(t, d, b, j0, j1, hn)
	}
}

// gruAddRecurrent adds the h gate's recurrent part to gh: each rb[j],
// plus the recurrent bias rbh[j0+j] when there is one, times rg[j] when
// the reset gate applies after the product (linear_before_reset). One
// loop per form, so that none branches per element; the arithmetic is
// the same in every form.
func gruAddRecurrent[T nnFloat](gh, rb, rbh []T, j0 int, rg []T, lbr bool) {
	gh, rg = gh[:len(rb)], rg[:len(rb)]
	switch {
	case rbh != nil && lbr:
		rbh = rbh[j0 : j0+len(rb)]
		for j, v := range rb {
			v += rbh[j]
			v *= rg[j]
			gh[j] += v
		}
	case rbh != nil:
		rbh = rbh[j0 : j0+len(rb)]
		for j, v := range rb {
			gh[j] += v + rbh[j]
		}
	case lbr:
		for j, v := range rb {
			v *= rg[j]
			gh[j] += v
		}
	default:
		for j, v := range rb {
			gh[j] += v
		}
	}
}

// gruBlend writes Ht = (1 − z)·h̃ + z·Ht-1.
func gruBlend[T nnFloat](hn, ht, z, hp []T) {
	ht, z, hp = ht[:len(hn)], z[:len(hn)], hp[:len(hn)]
	for j := range hn {
		hn[j] = (1-z[j])*ht[j] + z[j]*hp[j]
	}
}
