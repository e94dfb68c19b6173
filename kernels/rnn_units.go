package kernels

import (
	"github.com/nncc/nncc/internal/recycle"
	"github.com/nncc/nncc/kernels/sgemm"
)

// Recurrences on several threads.
//
// A recurrent node's time loop is sequential, but its directions are
// independent of each other, and so are its batch entries: entry b's
// state at step t depends only on entry b's state at step t-1. A Run on
// a pool of several threads therefore cuts the recurrence into units, one
// per direction and group of batch entries, and each unit runs the whole
// time loop of its entries on one thread: no synchronisation between
// steps, only one hand-off per node. The input projections of every
// direction are computed first (one GEMM each, split over the pool when
// large), each into its direction's own share of the scratch, so the
// units share nothing they write.
//
// The units are claimed one at a time from the pool (Pool.For with one
// unit per chunk): a worker that does not start in time takes none and
// the caller runs them all, as the serial loop would. Results do not
// depend on the split: each batch entry's arithmetic is the same whether
// its rows are computed alone or beside others (the GEMV and SGEMM
// kernels compute each row of C from that row of A alone).
//
// A batch small enough for the GEMV kernel (inference at batch 1-4) is
// not cut: the kernel streams R once for all its rows, so groups would
// each stream the whole of R for fewer rows. Each direction's steps are
// cut instead, over the threads it has, by slices of hidden units
// (rnn_team.go): each thread streams its part of R. Every unit runs as a
// team of participants (one chunk of the pool's loop each; a single
// participant with one slice when nothing is cut), and the caller loads
// the initial states before the loop and stores the final ones after it.

// rnnUnitWork is the smallest recurrence (steps × batch × gates·hidden ×
// hidden multiply-adds over all directions) that is cut into units; below
// it the hand-off costs more than the units save. A variable so that tests
// can cut small recurrences.
var rnnUnitWork = 1 << 16

// rnnGroupStepWork is the smallest step of a batch group (entries ×
// gates·hidden × hidden multiply-adds) for which the batch is cut: a
// group's product streams R for fewer rows, and below this the streams of
// two cores gain less than the hand-off and the lost reuse cost. Measured
// (session 11, Zen 4 VM, nncc bench -threads 2 -always-parallel, three
// runs each): seed_rnn_lstm (batch 2, hidden 128, a group step of 65536)
// 0.481–0.576 → 0.407–0.441 ms cut in two (its steps are cut instead
// now, rnn_team.go); seed_embed_lstm (hidden 64, 16384) 0.074 →
// 0.069–0.083, so it is not cut.
var rnnGroupStepWork = 1 << 15 // a variable so that tests can cut small batches

// rnnCell names the cell whose time loop a unit runs.
type rnnCell uint8

const (
	cellLSTM rnnCell = iota
	cellGRU
	cellRNN
)

// rnnUnits is how a Run's recurrence is cut: units = dirs × groups, unit u
// being direction u / groups and batch group u % groups, each run by a
// team of parts participants (rnn_team.go; 1: the unit's steps are not
// cut).
type rnnUnits struct {
	dirs, groups, parts int
	width               int // the block width a step is cut at (splitWidth; 0: not cut)
}

// plan returns how the recurrence of st is cut for threads threads:
// directions first, then either the steps of each direction (when a step
// runs the GEMV kernel and is large enough, rnn_team.go) or batch groups.
func (st *rnnRun[T]) plan(threads int) rnnUnits {
	ri, D := &st.ri, st.s.dirs
	u := rnnUnits{dirs: D, groups: 1, parts: 1}
	if threads <= 1 || ri.batch == 0 {
		return u
	}
	work := ri.seq * ri.batch * st.s.gates * ri.hid * ri.hid * D
	if work < rnnUnitWork {
		return u
	}
	GH := st.s.gates * ri.hid
	if w := st.splitWidth(); D < threads && w > 0 && ri.batch*GH*ri.hid >= rnnSplitStepWork {
		u.width = w
		// The GEMV streams R once for the whole (small) batch: cutting
		// the batch would stream it once per group, cutting the step
		// streams a part of it per thread.
		u.parts = min(threads/D, ri.hid/w, rnnMaxSlices)
		return u
	}
	if D < threads {
		g := min(ri.batch, (threads+D-1)/D)
		for g > 1 && (!st.cutsExact(g) || ri.batch/g*GH*ri.hid < rnnGroupStepWork) {
			g--
		}
		u.groups = g
	}
	return u
}

// cutsExact reports whether cutting the batch into g groups (at b·B/g)
// computes every entry's recurrent product bit for bit as the whole batch
// does, so that a Run's results do not depend on its thread count. SGEMM
// and the float64 loop compute each row of C from its row of A alone; the
// GEMV kernels group rows (gemv.Packed.CanCut).
func (st *rnnRun[T]) cutsExact(g int) bool {
	B := st.ri.batch
	if st.pk == nil || B > rnnGemvRows {
		return true
	}
	for _, m := range []rnnMat{st.pk.rAt(0), st.pk.rhAt(0)} {
		if m.gv == nil {
			continue
		}
		lo := 0
		for k := 1; k < g; k++ {
			i := k * B / g
			if !m.gv.CanCut(B-lo, i-lo) {
				return false
			}
			lo = i
		}
	}
	return true
}

// count is the number of the pool's chunks: a participant of a unit each.
func (u rnnUnits) count() int { return u.dirs * u.groups * u.parts }

// runUnits runs cell over every unit of u: on the pool when there are
// several participants, else on the calling thread (the products inside
// a unit split over the pool as before). The caller loads every unit's
// initial state first and stores its final state last.
func (st *rnnRun[T]) runUnits(u rnnUnits, cell rnnCell) {
	ri := &st.ri
	B, G := ri.batch, u.groups
	st.cell, st.units = cell, u
	n := u.dirs * G
	if cap(st.teams) < n {
		st.teams = make([]rnnTeam, n)
	}
	st.teams = st.teams[:n]
	for i := range st.teams {
		tm := &st.teams[i]
		d, g := i/G, i%G
		b0, b1 := g*B/G, (g+1)*B/G
		slices, phases := 1, 1
		if u.parts > 1 {
			slices = u.parts
			if cell == cellGRU && !st.s.lbr {
				phases = 2 // the h gate's product reads the whole rt⊙Ht-1
			}
		}
		tm.reset(d, b0, b1, ri.stepLimit(b0, b1), phases, slices, ri.hid, max(u.width, 1), (b1-b0)*st.s.gates*ri.hid*ri.hid)
		tm.zero = st.unitBegin(tm)
	}
	if u.count() <= 1 || st.pool == nil || st.pool.Threads() <= 1 {
		for i := range st.teams {
			st.teamRun(&st.teams[i], 0)
		}
	} else {
		pool := st.pool
		st.pool, st.teamPool = nil, pool // a unit's products stay on its threads
		pool.For(u.count(), 1, st.unitFn)
		st.pool, st.teamPool = pool, nil
	}
	for i := range st.teams {
		st.unitEnd(&st.teams[i])
	}
}

// runUnit is the pool's loop body over participants [lo, hi): i is
// participant i % parts of unit i / parts.
func (st *rnnRun[T]) runUnit(lo, hi int) {
	P := st.units.parts
	for i := lo; i < hi; i++ {
		st.teamRun(&st.teams[i/P], i%P)
	}
}

// stateBufs returns the cell's hidden-state pair (two batch × H buffers,
// rnnHPair) and, for LSTM, its cell state of direction d.
func (st *rnnRun[T]) stateBufs(d int) (hs, cell []T) {
	switch st.cell {
	case cellLSTM:
		_, _, hs, cell, _ = lstmBufs(st, d)
	case cellGRU:
		_, _, _, _, hs, _ = gruBufs(st, d)
	default:
		_, _, hs, _ = simpleRNNBufs(st, d)
	}
	return hs, cell
}

// unitBegin loads tm's initial states into its first hidden buffer and
// its cell state, and reports whether the initial hidden state is all
// zeros (the first step then skips its product).
func (st *rnnRun[T]) unitBegin(tm *rnnTeam) bool {
	ri := &st.ri
	B, H := ri.batch, ri.hid
	hs, cell := st.stateBufs(tm.d)
	h, _ := rnnHPair(hs, B, H, tm.b0, tm.b1, 0)
	zero := st.loadState(h, ri.h0, tm.d, tm.b0, tm.b1)
	if cell != nil {
		st.loadState(cell[tm.b0*H:tm.b1*H], ri.c0, tm.d, tm.b0, tm.b1)
	}
	return zero
}

// unitEnd stores tm's final states into Y_h (and Y_c).
func (st *rnnRun[T]) unitEnd(tm *rnnTeam) {
	ri := &st.ri
	B, H := ri.batch, ri.hid
	hs, cell := st.stateBufs(tm.d)
	h, _ := rnnHPair(hs, B, H, tm.b0, tm.b1, tm.steps)
	st.storeState(1, tm.d, tm.b0, tm.b1, h)
	if cell != nil {
		st.storeState(2, tm.d, tm.b0, tm.b1, cell[tm.b0*H:tm.b1*H])
	}
}

// A Run's state is handed to the pool's threads, so it lives on the heap;
// it is recycled so that a steady-state Run does not allocate.
var (
	rnnRuns32 = recycle.Pool{New: func() any { return newRNNRun[float32]() }}
	rnnRuns64 = recycle.Pool{New: func() any { return newRNNRun[float64]() }}
)

func newRNNRun[T nnFloat]() *rnnRun[T] {
	st := &rnnRun[T]{}
	st.unitFn = st.runUnit
	return st
}

// getRNNRun returns a cleared Run state.
func getRNNRun[T nnFloat]() *rnnRun[T] {
	var z T
	if _, ok := any(z).(float32); ok {
		return rnnRuns32.Get().(*rnnRun[T])
	}
	return rnnRuns64.Get().(*rnnRun[T])
}

// putRNNRun drops st's references to the Run's data and recycles it.
func putRNNRun[T nnFloat](st *rnnRun[T]) {
	fn, teams := st.unitFn, st.teams
	*st = rnnRun[T]{unitFn: fn, teams: teams}
	var z T
	if _, ok := any(z).(float32); ok {
		rnnRuns32.Put(st)
		return
	}
	rnnRuns64.Put(st)
}

// loadState sets a unit's state dst (entries b0..b1-1 of direction d) to
// the initial state init ([dirs, batch, hidden]; zeros when nil) and
// reports whether it is all zeros (the first step then skips its
// product).
func (st *rnnRun[T]) loadState(dst, init []T, d, b0, b1 int) bool {
	B, H := st.ri.batch, st.ri.hid
	if init == nil {
		clear(dst)
		return true
	}
	copy(dst, init[(d*B+b0)*H:(d*B+b1)*H])
	return rnnAllZero(dst)
}

// storeState copies a unit's final state v into output k (Y_h or Y_c),
// when the node produces it.
func (st *rnnRun[T]) storeState(k, d, b0, b1 int, v []T) {
	B, H := st.ri.batch, st.ri.hid
	if y := st.ri.outs[k]; y != nil {
		copy(y[(d*B+b0)*H:(d*B+b1)*H], v)
	}
}

// dirBuf returns direction d's share of the cell scratch (rnnLoad sizes it
// as dirs shares of the cell's per-direction need).
func (st *rnnRun[T]) dirBuf(d int) []T {
	per := len(st.ri.buf) / st.s.dirs
	return st.ri.buf[d*per : (d+1)*per]
}

// poolThreads is the thread count of a Run's sgemm pool (nil: one).
func poolThreads(p sgemm.Pool) int {
	if p == nil {
		return 1
	}
	return p.Threads()
}
