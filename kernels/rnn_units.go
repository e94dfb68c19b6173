package kernels

import (
	"sync"

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
// 0.481–0.576 → 0.407–0.441 ms cut in two; seed_embed_lstm (hidden 64,
// 16384) 0.074 → 0.069–0.083, so it is not cut.
var rnnGroupStepWork = 1 << 15 // a variable so that tests can cut small batches

// rnnCell names the cell whose time loop a unit runs.
type rnnCell uint8

const (
	cellLSTM rnnCell = iota
	cellGRU
	cellRNN
)

// recurUnit runs the time loop of direction d for batch entries [b0, b1)
// on the calling thread. (A switch rather than a function value: a
// generic function's value would be allocated on every Run.)
func (st *rnnRun[T]) recurUnit(d, b0, b1 int) {
	switch st.cell {
	case cellLSTM:
		lstmRecur(st, d, b0, b1)
	case cellGRU:
		gruRecur(st, d, b0, b1)
	default:
		simpleRNNRecur(st, d, b0, b1)
	}
}

// rnnUnits is how a Run's recurrence is cut: units = dirs × groups, unit u
// being direction u / groups and batch group u % groups.
type rnnUnits struct {
	dirs, groups int
}

// plan returns how the recurrence of st is cut for threads threads.
func (st *rnnRun[T]) plan(threads int) rnnUnits {
	ri, D := &st.ri, st.s.dirs
	u := rnnUnits{dirs: D, groups: 1}
	if threads <= 1 || ri.batch == 0 {
		return u
	}
	work := ri.seq * ri.batch * st.s.gates * ri.hid * ri.hid * D
	if work < rnnUnitWork {
		return u
	}
	if D < threads {
		g := min(ri.batch, (threads+D-1)/D)
		GH := st.s.gates * ri.hid
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

// count is the number of units.
func (u rnnUnits) count() int { return u.dirs * u.groups }

// runUnits runs cell over every unit of u: on the pool when there are
// several, else on the calling thread (the products inside a unit split
// over the pool as before).
func (st *rnnRun[T]) runUnits(u rnnUnits, cell rnnCell) {
	B := st.ri.batch
	st.cell = cell
	if u.count() <= 1 || st.pool == nil || st.pool.Threads() <= 1 {
		for d := range u.dirs {
			st.recurUnit(d, 0, B)
		}
		return
	}
	st.units = u
	pool := st.pool
	st.pool = nil // a unit's products stay on its thread
	pool.For(u.count(), 1, st.unitFn)
	st.pool = pool
}

// runUnit is the pool's loop body over units [lo, hi).
func (st *rnnRun[T]) runUnit(lo, hi int) {
	B, G := st.ri.batch, st.units.groups
	for i := lo; i < hi; i++ {
		d, g := i/G, i%G
		st.recurUnit(d, g*B/G, (g+1)*B/G)
	}
}

// A Run's state is handed to the pool's threads, so it lives on the heap;
// it is recycled so that a steady-state Run does not allocate.
var (
	rnnRuns32 = sync.Pool{New: func() any { return newRNNRun[float32]() }}
	rnnRuns64 = sync.Pool{New: func() any { return newRNNRun[float64]() }}
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
	fn := st.unitFn
	*st = rnnRun[T]{unitFn: fn}
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

// storeStep copies entry b's hidden state hb at time t of direction d
// into Y, when the node produces it.
func (st *rnnRun[T]) storeStep(t, d, b int, hb []T) {
	ri := &st.ri
	if y := ri.outs[0]; y != nil {
		copy(y[((t*st.s.dirs+d)*ri.batch+b)*ri.hid:][:ri.hid], hb)
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
