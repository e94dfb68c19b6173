package kernels

import (
	"sync/atomic"
	"time"
)

// One recurrence on several threads, step by step.
//
// A unit (rnn_units.go) whose batch is small enough for the GEMV kernel
// (inference at batch 1-4) is better not cut by batch entries, since the
// kernel streams R once for all its rows. Its steps are sequential,
// but within a step the hidden units are independent: hidden unit j's
// gates read all of Ht-1 and only the rows j of each gate block of R, and
// write only Ht[j] (and Ct[j]). A team therefore cuts the hidden units
// into slices of whole GEMV panels; a step's slice computes its gates'
// share of H·Rᵀ (each thread streams only its rows of R, which stay in
// its own core's cache from step to step), runs the gate math on them and
// writes its part of Ht. Ht-1 and Ht live in two buffers that swap every
// step, so a slice never overwrites what another still reads; the only
// synchronisation is one count of finished slices per step (two for GRU
// without linear_before_reset, whose h-gate product reads the whole
// rt⊙Ht-1).
//
// The slices of a step are claimed, not assigned: each participant (a
// chunk of the pool's loop) tries its own slice first and then the
// others, so that in steady state every thread takes the same rows of R
// at every step, but a participant that is late or never starts costs
// nothing: the others claim its slices, as the caller of Pool.For runs
// the chunks no worker took. A participant only waits for slices that
// another has claimed and is running; when that takes far longer than a
// slice should (the thread running it was descheduled: the machine is
// shared), the waiter still waits for that slice, but then dismisses the
// others and runs the rest of the Run's steps alone, so that a busy
// machine costs one such wait per Run, not one per step. Results do not
// depend on who runs a slice or on the cut: each output of the GEMV
// panels is computed from its own panel lane, the same with the whole
// matrix as with a slice, and the gate math is elementwise.

// rnnMaxSlices bounds the slices of one step.
const rnnMaxSlices = 16

// rnnSplitStepWork is the smallest unit step (entries × gates·hidden ×
// hidden multiply-adds) that a team cuts into slices; below it the
// per-step hand-off between cores (the count, and each thread reading the
// other's part of Ht) costs more than half the step saves. Measured
// (session 12, Zen 4 VM, nncc bench -threads 2 -always-parallel, three
// interleaved runs each): seed_rnn_lstm at batch 2 (131072) 0.338–0.339
// ms cut in two against 0.406–0.408 cut by batch entries and 0.461 on one
// thread; at batch 1 (65536) 0.386–0.397 cut against 0.343–0.354 kept
// whole; seed_embed_lstm at AVX2 (32768) 0.090 cut against 0.080 whole.
// A variable so that tests can cut small steps.
var rnnSplitStepWork = 1 << 17

// rnnSpinYield is how many polls a participant waiting for a slice makes
// between yields of its thread (Yield): the participant it waits for may
// be queued behind it on its core.
const rnnSpinYield = 1 << 10

// rnnTeamPatience is how long a participant waits for slices another
// has claimed, per rnnPatienceWork multiply-adds of a slice, before it
// dismisses the others (a slice of seed_rnn_lstm's step, 65536
// multiply-adds, takes about 1 µs).
const (
	rnnTeamPatience = 50 * time.Microsecond
	rnnPatienceWork = 1 << 16
)

// rnnTeam is the state of one unit's time loop: which unit it is, how
// its steps are cut, and the claim and completion counters its
// participants share (each on its own cache line).
type rnnTeam struct {
	d, b0, b1 int                   // direction and batch entries of the unit
	steps     int                   // time steps (the longest sequence of the unit)
	phases    int                   // synchronised phases per step (1 or 2)
	zero      bool                  // Ht-1 of the first step is all zeros
	slices    int                   // slices per phase
	cuts      [rnnMaxSlices + 1]int // slice s covers hidden units [cuts[s], cuts[s+1])
	patience  time.Duration         // how long to wait for another's slice
	_         [64]byte
	done      atomic.Int64 // slices finished, over all phases so far
	solo      atomic.Int32 // the participant left alone (-1: none)
	_         [52]byte
	slots     [rnnMaxSlices]rnnSlot
}

// rnnSlot is one slice's claim: the next phase (steps × phases + phase)
// in which it is still to be claimed.
type rnnSlot struct {
	next atomic.Int64
	_    [56]byte
}

// reset prepares tm for a unit with hidden size H cut into slices slices
// of whole blocks of w hidden units; work is the multiply-adds of a
// step's product.
func (tm *rnnTeam) reset(d, b0, b1, steps, phases, slices, H, w, work int) {
	tm.d, tm.b0, tm.b1, tm.steps, tm.phases, tm.slices = d, b0, b1, steps, phases, slices
	blocks := H / w
	for s := range slices + 1 {
		tm.cuts[s] = s * blocks / slices * w
	}
	tm.cuts[slices] = H
	tm.patience = rnnTeamPatience * time.Duration(max(1, work/slices/rnnPatienceWork))
	tm.done.Store(0)
	tm.solo.Store(-1)
	for s := range slices {
		tm.slots[s].next.Store(0)
	}
}

// claim takes a slice of phase k, trying slice pref first, and returns
// it, or -1 when every slice of k is taken.
func (tm *rnnTeam) claim(k int64, pref int) int {
	S := tm.slices
	for i := range S {
		s := (pref + i) % S
		if sl := &tm.slots[s].next; sl.Load() == k && sl.CompareAndSwap(k, k+1) {
			return s
		}
	}
	return -1
}

// teamRun is participant me of team tm: it claims slices (preferring
// slice me) of the phase in progress and runs them, until every phase of
// every step has finished or another participant has been left alone.
func (st *rnnRun[T]) teamRun(tm *rnnTeam, me int) {
	S := int64(tm.slices)
	total := int64(tm.steps * tm.phases)
	if S == 1 {
		// Not cut: the unit's only participant runs every step.
		for k := range int(total) {
			st.cellStep(tm, k/tm.phases, k%tm.phases, 0, tm.cuts[1])
		}
		return
	}
	me %= tm.slices
	for {
		if o := tm.solo.Load(); o >= 0 && int(o) != me {
			return // dismissed: the other runs the rest
		}
		d := tm.done.Load()
		k := d / S // every slice of the phases before k has finished
		if k >= total {
			return
		}
		if s := tm.claim(k, me); s >= 0 {
			st.cellStep(tm, int(k)/tm.phases, int(k)%tm.phases, tm.cuts[s], tm.cuts[s+1])
			tm.done.Add(1)
			continue
		}
		st.teamWait(tm, d, me)
	}
}

// teamWait waits until the count of finished slices of tm moves past d
// (every slice of the phase in progress is taken), yielding the thread
// now and then; after tm.patience it leaves participant me alone.
func (st *rnnRun[T]) teamWait(tm *rnnTeam, d int64, me int) {
	var t0 time.Time
	for spins := 1; tm.done.Load() == d; spins++ {
		if spins%64 == 0 {
			switch {
			case t0.IsZero():
				t0 = time.Now()
			case time.Since(t0) > tm.patience:
				tm.solo.CompareAndSwap(-1, int32(me))
			}
		}
		if spins%rnnSpinYield == 0 {
			Yield(st.teamPool)
		}
	}
}

// cellStep runs phase ph of step q of tm's unit on hidden units [j0, j1).
// (A switch rather than a function value: a generic function's value
// would be allocated on every Run.)
func (st *rnnRun[T]) cellStep(tm *rnnTeam, q, ph, j0, j1 int) {
	switch st.cell {
	case cellLSTM:
		lstmStep(st, tm, q, j0, j1)
	case cellGRU:
		gruStep(st, tm, q, ph, j0, j1)
	default:
		simpleRNNStep(st, tm, q, j0, j1)
	}
}

// splitWidth returns the width (in hidden units) of the blocks a step of
// st can be cut at, or 0 when its steps are not cut: only the GEMV
// kernels compute part of a product's outputs as the whole product does
// (gemv.Packed.MulCols), and a slice's rows of every gate block must be
// whole panels, so the hidden size must be a multiple of the panel width.
func (st *rnnRun[T]) splitWidth() int {
	H := st.ri.hid
	if st.pk == nil || st.ri.batch > rnnGemvRows || H == 0 {
		return 0
	}
	w := 0
	for _, m := range []rnnMat{st.pk.rAt(0), st.pk.rhAt(0)} {
		if m.gv == nil {
			if m.sg != nil {
				return 0 // packed for SGEMM only
			}
			continue
		}
		w = max(w, m.gv.Width())
	}
	if w == 0 || H%w != 0 || H/w < 2 {
		return 0
	}
	return w
}

// stepLimit returns how many time steps unit entries [b0, b1) run: the
// longest of their sequences (none for no entries).
func (ri *rnnInputs[T]) stepLimit(b0, b1 int) int {
	if b0 >= b1 {
		return 0
	}
	if ri.uniform {
		return ri.seq
	}
	n := 0
	for b := b0; b < b1; b++ {
		n = max(n, int(ri.lens[b]))
	}
	return n
}

// rnnHPair returns the unit's two hidden-state buffers (entries [b0, b1) of
// hs, which holds two batch × H buffers), Ht-1 and Ht for step q.
func rnnHPair[T nnFloat](hs []T, B, H, b0, b1, q int) (prev, next []T) {
	a, b := hs[b0*H:b1*H], hs[(B+b0)*H:(B+b1)*H]
	if q%2 == 1 {
		a, b = b, a
	}
	return a, b
}

// stepRowsAt returns the gate rows of step q of direction d for entries
// [b0, b1) (stride G·H): the projection's own rows when every sequence is
// full, else the copies in gates that fillRows makes.
func (st *rnnRun[T]) stepRowsAt(d, q int, xw, gates []T, b0, b1 int) []T {
	ri, GH := &st.ri, st.s.gates*st.ri.hid
	B := ri.batch
	if ri.uniform {
		t := ri.timeOf(st.s, d, q, 0)
		return xw[(t*B+b0)*GH : (t*B+b1)*GH]
	}
	return gates[b0*GH : b1*GH]
}

// fillRows copies, when the sequences are ragged, hidden units [j0, j1)
// of every gate of each active entry's projection row of step q into
// gates (stepRowsAt).
func (st *rnnRun[T]) fillRows(d, q int, xw, gates []T, b0, b1, j0, j1 int) {
	ri, s := &st.ri, st.s
	if ri.uniform {
		return
	}
	B, H := ri.batch, ri.hid
	GH := s.gates * H
	for b := b0; b < b1; b++ {
		t := ri.timeOf(s, d, q, b)
		if t < 0 {
			continue
		}
		src, dst := xw[(t*B+b)*GH:(t*B+b+1)*GH], gates[b*GH:(b+1)*GH]
		for g := range s.gates {
			copy(dst[g*H+j0:g*H+j1], src[g*H+j0:g*H+j1])
		}
	}
}

// recurCols adds (beta = 1) or writes (beta = 0) hidden units [j0, j1) of
// each of gates gate blocks of a·Rᵀ (m rows of a, stride H) into c
// (stride ldc): the whole product when the slice is all of H, else one
// GEMV call per gate block on its panels (splitWidth).
func (st *rnnRun[T]) recurCols(pm rnnMat, gates, m, j0, j1 int, a, r []T, beta T, c []T, ldc int) {
	H := st.ri.hid
	if j0 == 0 && j1 == H {
		st.recur(pm, m, gates*H, H, a, H, r, beta, c, ldc)
		return
	}
	a32, c32 := any(a).([]float32), any(c).([]float32)
	for g := range gates {
		pm.gv.MulCols(g*H+j0, g*H+j1, m, 1, a32, H, float32(beta), c32, ldc)
	}
}

// storeStepCols copies hidden units [j0, j1) of entry b's state hb at
// time t of direction d into Y, when the node produces it.
func (st *rnnRun[T]) storeStepCols(t, d, b, j0, j1 int, hb []T) {
	ri := &st.ri
	if y := ri.outs[0]; y != nil {
		row := y[((t*st.s.dirs+d)*ri.batch+b)*ri.hid:][:ri.hid]
		copy(row[j0:j1], hb[j0:j1])
	}
}
