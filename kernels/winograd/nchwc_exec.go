package winograd

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/nncc/nncc/kernels/sgemm"
)

// nchwcJob is one ConvNCHWc.Run; its fn fields are its methods bound once
// (jobs are pooled), so that handing them to the pool allocates nothing.
type nchwcJob struct {
	cv                        *ConvNCHWc
	p                         nchwcPlan
	x, y, r, bias, scratch    []float32
	relu                      int
	next                      atomic.Int64 // the next block (block mode) or stage unit to claim
	doneIn, doneGemm, doneOut atomic.Int64 // stage mode: units finished, over all blocks
	waiters                   atomic.Int32 // stage mode: threads blocked in await
	mu                        sync.Mutex
	cond                      sync.Cond // on mu: a unit finished while threads were blocked
	fnBlocks, fnStages        func(lo, hi int)
}

func newNCHWcJob() *nchwcJob {
	j := &nchwcJob{}
	j.fnBlocks, j.fnStages = j.runBlocks, j.runStages
	j.cond.L = &j.mu
	return j
}

// buffers returns worker i's V and M for a block of ld rows.
func (j *nchwcJob) buffers(i, ld int) (v, m []float32) {
	p := &j.p
	s := j.scratch[i*p.blockLen() : (i+1)*p.blockLen()]
	return s[:36*ld*p.cip], s[36*roundRows(p.tb)*p.cip:][:36*ld*p.cop]
}

// aux returns task t's window and output-tile buffer.
func (j *nchwcJob) aux(t int) []float32 {
	p := &j.p
	off := p.workers*p.blockLen() + t*nchwcAuxLen
	return j.scratch[off : off+nchwcAuxLen]
}

func (j *nchwcJob) run(pool sgemm.Pool) {
	p := &j.p
	j.next.Store(0)
	switch {
	case p.stage:
		j.doneIn.Store(0)
		j.doneGemm.Store(0)
		j.doneOut.Store(0)
		pool.For(p.tasks, 1, j.fnStages)
	case p.tasks == 1:
		j.runBlocks(0, 1)
	default:
		pool.For(p.tasks, 1, j.fnBlocks)
	}
}

// runBlocks runs tasks [lo, hi): each claims blocks one at a time from a
// shared counter (so a descheduled thread delays only the block it holds)
// and runs them with its own V, M and aux.
func (j *nchwcJob) runBlocks(lo, hi int) {
	p := &j.p
	icb, ocb := p.cip/16, p.cop/16
	for t := lo; t < hi; t++ {
		aux := j.aux(t)
		for {
			b := int(j.next.Add(1)) - 1
			if b >= p.blocks {
				break
			}
			g0, nb, ld := p.block(b)
			v, m := j.buffers(t, ld)
			j.input(g0, nb, ld, 0, icb, v, aux)
			j.gemm(ld, 0, 36, v, m)
			j.output(g0, nb, ld, 0, ocb, m, aux)
		}
	}
}

// runStages runs tasks [lo, hi) of the stage mode in one pool loop (one
// hand-off per convolution instead of three per block). The units of
// every block — its input blocks (input transform), then its 36 ξ
// (products), then its output blocks (output transform) — are numbered
// in that order, block after block, and each task claims them one at a
// time from j.next, so that a thread the machine deschedules holds up
// one unit, not a fixed share of a stage. A unit that needs the results
// of earlier units waits until they are finished:
//
//	input of block b    block b-1's products done (they read V)
//	products of block b block b's input done; block b-1's output done (it reads M)
//	output of block b   block b's products done
//
// Claims are made in unit order and a claimed unit is run at once, so a
// unit waits only for units that running threads hold: when the other
// threads never start, the caller runs every unit in order and never
// waits. The counters are raised even when a unit panics, so that the
// other threads do not wait forever (the pool re-raises the panic).
func (j *nchwcJob) runStages(lo, hi int) {
	p := &j.p
	icb, ocb := p.cip/16, p.cop/16
	per := icb + 36 + ocb
	units := p.blocks * per
	for t := lo; t < hi; t++ {
		aux := j.aux(t)
		for {
			u := int(j.next.Add(1)) - 1
			if u >= units {
				break
			}
			j.stageUnit(u/per, u%per, icb, ocb, aux)
		}
	}
}

// stageUnit runs unit r of block b (see runStages) once its inputs are
// ready.
func (j *nchwcJob) stageUnit(b, r, icb, ocb int, aux []float32) {
	g0, nb, ld := j.p.block(b)
	v, m := j.buffers(0, ld)
	switch {
	case r < icb:
		defer j.finished(&j.doneIn)
		j.await(&j.doneGemm, b*36)
		j.input(g0, nb, ld, r, r+1, v, aux)
	case r < icb+36:
		defer j.finished(&j.doneGemm)
		j.await(&j.doneIn, (b+1)*icb)
		j.await(&j.doneOut, b*ocb)
		xi := r - icb
		j.gemm(ld, xi, xi+1, v, m)
	default:
		defer j.finished(&j.doneOut)
		j.await(&j.doneGemm, (b+1)*36)
		ob := r - icb - 36
		j.output(g0, nb, ld, ob, ob+1, m, aux)
	}
}

// await waits until c reaches n: units that running threads have claimed
// and are finishing (a unit takes microseconds). It polls for awaitSpin,
// then blocks until finished signals: polling on (even with
// runtime.Gosched, which yields the goroutine, not the OS thread) would
// keep the core from a unit holder the machine has descheduled when more
// threads are runnable than there are cores, and time.Sleep cannot wait
// less than about a millisecond on Linux.
func (j *nchwcJob) await(c *atomic.Int64, n int) {
	if c.Load() >= int64(n) {
		return
	}
	t0 := time.Now()
	for spins := 1; c.Load() < int64(n); spins++ {
		if spins%64 == 0 && time.Since(t0) >= awaitSpin {
			// The waiter count is raised before the look under mu, and
			// finished reads it after raising c: either this look sees
			// the new count or finished broadcasts after Wait released mu.
			j.waiters.Add(1)
			j.mu.Lock()
			for c.Load() < int64(n) {
				j.cond.Wait()
			}
			j.mu.Unlock()
			j.waiters.Add(-1)
			return
		}
	}
}

// finished counts a unit of a stage (deferred, so that a panicking unit
// does not leave the other threads waiting) and wakes blocked waiters.
func (j *nchwcJob) finished(c *atomic.Int64) {
	c.Add(1)
	if j.waiters.Load() > 0 {
		j.mu.Lock()
		j.cond.Broadcast()
		j.mu.Unlock()
	}
}

// awaitSpin is how long await polls before it blocks (a variable so that
// tests can make every wait block).
var awaitSpin = 30 * time.Microsecond

// gemm computes M[ξ] (ld×cop) = V[ξ] (ld×cip) · U[ξ] (cip×cop, prepacked)
// for ξ in [xi0, xi1).
func (j *nchwcJob) gemm(ld, xi0, xi1 int, v, m []float32) {
	cip, cop := j.p.cip, j.p.cop
	for xi := xi0; xi < xi1; xi++ {
		sgemm.SgemmPacked(false, ld, 1, v[xi*ld*cip:], cip, j.cv.u[xi], 0, m[xi*ld*cop:], cop, nil, nil)
	}
}

// input transforms input blocks [cb0, cb1) of tiles [g0, g0+nb) into V
// (element ξ of tile g0+i, channel c at v[(ξ·ld + i)·cip + c]; the ld-nb
// padding rows are zero). Runs of tiles whose 6×6 windows lie inside the
// plane are transformed straight from x, one call per run; the others
// from a zero-padded copy of their window.
func (j *nchwcJob) input(g0, nb, ld, cb0, cb1 int, v, aux []float32) {
	p := &j.p
	cv := j.cv
	cip := p.cip
	vs := ld * cip
	if ld > nb {
		for xi := range 36 {
			for i := nb; i < ld; i++ {
				clear(v[xi*vs+i*cip+cb0*16 : xi*vs+i*cip+cb1*16])
			}
		}
	}
	per := p.th * p.tw
	plane := p.h * p.w * 16
	icb := cip / 16
	win := aux[:576]
	for g := g0; g < g0+nb; {
		img, rr := g/per, g%per
		ty, tx := rr/p.tw, rr%p.tw
		cnt := min(p.tw-tx, g0+nb-g)
		y0 := ty*4 - cv.padT
		rowsIn := y0 >= 0 && y0+6 <= p.h
		vt := v[(g-g0)*cip:]
		for cb := cb0; cb < cb1; cb++ {
			xp := j.x[(img*icb+cb)*plane : (img*icb+cb+1)*plane]
			vb := vt[cb*16:]
			for i := 0; i < cnt; {
				x0 := (tx+i)*4 - cv.padL
				if rowsIn && x0 >= 0 && x0+6 <= p.w {
					k := i + 1
					for k < cnt && (tx+k)*4-cv.padL+6 <= p.w {
						k++
					}
					j.inCall(vb[i*cip:], vs, xp[(y0*p.w+x0)*16:], p.w*16, k-i)
					i = k
					continue
				}
				gatherWindow(win, xp, y0, x0, p.h, p.w)
				j.inCall(vb[i*cip:], vs, win, 96, 1)
				i++
			}
		}
		g += cnt
	}
}

// inCall runs the input transform of nt tiles after checking the bounds
// the assembly does not check.
func (j *nchwcJob) inCall(v []float32, vs int, x []float32, row, nt int) {
	_, _ = x[5*row+(4*nt+2)*16-1], v[35*vs+(nt-1)*j.p.cip+15]
	j.cv.in(v, vs, j.p.cip, x, row, nt)
}

// gatherWindow copies the 6×6 window at (y0, x0) of the h×w plane xp
// (16 lanes a pixel) into win, zero outside the plane: one copy per row
// of the part inside the plane.
func gatherWindow(win, xp []float32, y0, x0, h, w int) {
	lo, hi := min(max(-x0, 0), 6), min(max(w-x0, 0), 6)
	for i := range 6 {
		d := win[i*96 : i*96+96]
		yy := y0 + i
		if yy < 0 || yy >= h || lo >= hi {
			clear(d)
			continue
		}
		clear(d[:lo*16])
		copy(d[lo*16:hi*16], xp[(yy*w+x0+lo)*16:(yy*w+x0+hi)*16])
		clear(d[hi*16:])
	}
}

// output transforms output blocks [ob0, ob1) of tiles [g0, g0+nb) from M
// (element ξ of tile g0+i, channel co at m[(ξ·ld + i)·cop + co]) into y
// with the bias, residual and ReLU; whole tiles straight into y, edge
// tiles through aux, of which only the part inside the plane is copied.
func (j *nchwcJob) output(g0, nb, ld, ob0, ob1 int, m, aux []float32) {
	p := &j.p
	cop := p.cop
	ms := ld * cop
	ocb := cop / 16
	opl := p.oh * p.ow * 16
	row := p.ow * 16
	per := p.th * p.tw
	o, rt := aux[576:832], aux[832:1088]
	for g := g0; g < g0+nb; g++ {
		img, rr := g/per, g%per
		ty, tx := rr/p.tw, rr%p.tw
		oy, ox := ty*4, tx*4
		rows, cols := min(4, p.oh-oy), min(4, p.ow-ox)
		src := m[(g-g0)*cop:]
		for ob := ob0; ob < ob1; ob++ {
			yo := (img*ocb+ob)*opl + (oy*p.ow+ox)*16
			var b []float32
			if j.bias != nil {
				b = j.bias[ob*16 : ob*16+16]
			}
			s := src[ob*16:]
			if rows == 4 && cols == 4 {
				var r []float32
				if j.r != nil {
					r = j.r[yo : yo+3*row+64]
				}
				j.outCall(s, ms, j.y[yo:yo+3*row+64], row, b, r)
				continue
			}
			var r []float32
			if j.r != nil {
				r = rt
				clear(r)
				for k := range rows {
					copy(r[k*64:k*64+cols*16], j.r[yo+k*row:yo+k*row+cols*16])
				}
			}
			j.outCall(s, ms, o, 64, b, r)
			for k := range rows {
				copy(j.y[yo+k*row:yo+k*row+cols*16], o[k*64:k*64+cols*16])
			}
		}
	}
}

// outCall runs the output transform of one tile after checking the
// bounds the assembly does not check.
func (j *nchwcJob) outCall(m []float32, ms int, y []float32, row int, bias, r []float32) {
	_, _ = m[35*ms+15], y[3*row+63]
	if r != nil {
		_ = r[3*row+63]
	}
	if bias != nil {
		_ = bias[15]
	}
	j.cv.out(m, ms, y, row, bias, r, j.relu)
}
