package kernels

import (
	"fmt"
	"math"
	"sync/atomic"

	"github.com/nncc/nncc/internal/recycle"
	"github.com/nncc/nncc/kernels/isa"
	"github.com/nncc/nncc/kernels/sgemm"
	"github.com/nncc/nncc/kernels/vecmath"
)

// The float32 scaled-dot-product attention core shared by nncc.FusedAttention
// and the float32 path of ONNX Attention. Operands are strided windows on
// flat float32 data, so the transposes and reshapes around an exported
// attention block are folded into the strides instead of being copied:
//
//	for every batch index n (a mixed-radix index over the batch atoms),
//	query i < sq, key j < sk:
//	    s[i,j] = scale · Σ_t Q[n,i,t]·K[n,j,t]                 (t < dk)
//	    s[i,j] = softcap·tanh(s[i,j]/softcap)                   (softcap > 0)
//	    s[i,j] = C[n,i,j] == keep ? s[i,j] : fill               (condition)
//	    s[i,j] += M[n,i,j]                                      (additive mask)
//	    s[i,j] += -inf  when j > i + causalOff                  (causal)
//	    p[i,:] = softmax(s[i,:])
//	    Y[n,i,t] = Σ_j p[i,j]·V[n,j,t]                          (t < dv)
//
// where X[n,i,t] is x[off + Σ_a n_a·batch[a] + i·seq + t·dim] for the
// operand's attnStrides. softmax is vecmath.Softmax, so a row of -inf gives
// NaN exactly as the unfused Softmax does; with zeroMasked (ONNX Attention's
// rule) a row whose mask and causal frontier hide every key, or whose
// maximum is -inf, gives zeros instead.

// attnStrides places one operand: element (n, i, t) is at off + Σ batch[a]·n_a
// + i·seq + t·dim.
type attnStrides struct {
	off      int
	batch    []int
	seq, dim int
}

// attnGeom is one attention problem, fixed at build time (or per run for
// ONNX Attention, whose shapes are only known then).
type attnGeom struct {
	batch             []int // batch atom sizes, outermost first
	sq, sk, dk, dv    int
	scale             float32
	softcap           float32
	q, k, v, y        attnStrides
	hasMask, hasCond  bool
	m, c              attnStrides // index (n, i, j): query stride in seq, key stride in dim
	fill              float32
	keep              bool // a score survives where the condition equals keep
	maskFirst         bool // the additive mask is applied before the condition
	condAddsInf       bool // elsewhere -inf is added (ONNX boolean mask) instead of fill replacing it (Where)
	causal            bool
	causalOff         int
	zeroMasked        bool
	maskLen, condLen  int // element counts the mask and condition must have
	qLen, kLen, vLen  int
	yLen              int
	batchCount        int
	flops             int
	scratchPerWorkerF int
	directQ, directK  bool
	directV, directY  bool
	transQ, transK    bool
	transV            bool
	level             isa.Level              // the micro-kernel level of Q·Kᵀ
	pvLevel           isa.Level              // and of P·V (see finish)
	vec               *vecmath.Routines      // vector routines of the build's level
	tiles             *attnTilePlan          // the register-tile path, when it applies (fused_attention_tiles.go)
	softmax           func(dst, x []float32) // softmax of one score row at the build's level
	// softmaxAdd is the softmax of a score row plus its additive mask row
	// in one call, set when the mask is the last step before the softmax
	// and its rows are contiguous (see finish); nil otherwise.
	softmaxAdd func(dst, x, add []float32)
	// softmaxRows is the softmax of a strip of score rows with their mask
	// rows in one call, set when the softmax (and the mask) is all
	// scoreRow has to do (see finish); nil otherwise.
	softmaxRows func(dst []float32, ldd int, x []float32, ldx int, add []float32, ldadd int, n, rows int)
}

// extent returns one past the largest offset s reaches for the given
// sizes of its seq and dim axes.
func (g *attnGeom) extent(s *attnStrides, seq, dim int) (int, error) {
	if len(s.batch) != len(g.batch) {
		return 0, fmt.Errorf("%d batch strides for %d batch sizes", len(s.batch), len(g.batch))
	}
	if s.off < 0 {
		return 0, fmt.Errorf("negative offset %d", s.off)
	}
	sizes := append(append(make([]int, 0, len(g.batch)+2), g.batch...), seq, dim)
	strides := append(append(make([]int, 0, len(g.batch)+2), s.batch...), s.seq, s.dim)
	hi := s.off
	for a, n := range sizes {
		if n <= 0 {
			return 0, nil // nothing is read or written
		}
		if strides[a] < 0 {
			return 0, fmt.Errorf("negative stride %d", strides[a])
		}
		if strides[a] != 0 && n-1 > (math.MaxInt-1-hi)/strides[a] {
			return 0, fmt.Errorf("layout overflows: stride %d for %d entries", strides[a], n)
		}
		hi += (n - 1) * strides[a]
	}
	return hi + 1, nil
}

// finish validates the sizes and strides and precomputes the run plan:
// which operands sgemm reads in place and the minimum operand lengths,
// and the SGEMM and vector routines of level (the build's) it runs on.
func (g *attnGeom) finish(level isa.Level) error {
	if g.sq < 0 || g.sk < 0 || g.dk < 0 || g.dv < 0 {
		return fmt.Errorf("negative attention sizes %d, %d, %d, %d", g.sq, g.sk, g.dk, g.dv)
	}
	g.batchCount = 1
	for _, n := range g.batch {
		if n < 0 {
			return fmt.Errorf("negative batch size %d", n)
		}
		g.batchCount *= n
	}
	var err error
	for _, o := range []struct {
		name     string
		s        *attnStrides
		seq, dim int
		dst      *int
		use      bool
	}{
		{"Q", &g.q, g.sq, g.dk, &g.qLen, true},
		{"K", &g.k, g.sk, g.dk, &g.kLen, true},
		{"V", &g.v, g.sk, g.dv, &g.vLen, true},
		{"Y", &g.y, g.sq, g.dv, &g.yLen, true},
		{"mask", &g.m, g.sq, g.sk, &g.maskLen, g.hasMask},
		{"condition", &g.c, g.sq, g.sk, &g.condLen, g.hasCond},
	} {
		if !o.use {
			continue
		}
		if *o.dst, err = g.extent(o.s, o.seq, o.dim); err != nil {
			return fmt.Errorf("%s layout: %v", o.name, err)
		}
	}
	if g.batchCount == 0 || g.sq == 0 || g.dv == 0 {
		g.yLen = 0
	}
	// sgemm reads a matrix in place when one of its axes is unit-stride
	// and the other's stride is at least the row length.
	g.directQ, g.transQ = attnDirect(g.q.seq, g.q.dim, g.sq, g.dk)
	dk, tk := attnDirect(g.k.seq, g.k.dim, g.sk, g.dk)
	g.directK, g.transK = dk, !tk // sgemm's B is Kᵀ: transB when K's rows are contiguous
	g.directV, g.transV = attnDirect(g.v.seq, g.v.dim, g.sk, g.dv)
	g.directY = g.y.dim == 1 && (g.y.seq >= g.dv || g.sq <= 1)
	// On the SGEMM path P·V is sq×dv. Head sizes below the AVX-512 tile
	// width (dv = 32 on its 6×64 tile) leave half of every tile empty and
	// go through sgemm's edge path; the AVX2 6×16 tile fits them exactly.
	// The tile path (planTiles) has a 6×32 AVX-512 tile of its own.
	g.level, g.pvLevel, g.vec = level, level, vecmath.For(level)
	if _, nr := sgemm.PanelShape(g.level); g.level == isa.AVX512 && g.dv%nr != 0 && g.dv%16 == 0 && isa.Has(isa.AVX2) {
		g.pvLevel = isa.AVX2
	}
	g.softmax = softmaxRowFor(level, g.vec)
	// The mask row folds into the softmax when nothing comes between
	// them (the causal -inf and ONNX Attention's all-hidden test do).
	g.softmaxAdd = nil
	if g.hasMask && g.m.dim == 1 && !(g.hasCond && g.maskFirst) && !g.causal && !g.zeroMasked {
		g.softmaxAdd = softmaxAddRowFor(level)
	}
	g.softmaxRows = nil
	if !g.hasCond && g.softcap == 0 && !g.causal && !g.zeroMasked && (!g.hasMask || g.m.dim == 1) {
		g.softmaxRows = softmaxRowsFor(level)
	}
	g.finishScratchSGEMM()
	g.tiles = nil
	if tper, ok := g.planTiles(level); ok {
		g.scratchPerWorkerF = tper
	}
	g.flops = 2 * g.batchCount * g.sq * g.sk * (g.dk + g.dv)
	return nil
}

// finishScratchSGEMM sets the scratch one worker needs on the SGEMM path:
// S and the operands sgemm cannot read in place.
func (g *attnGeom) finishScratchSGEMM() {
	per := g.sq * g.sk
	if !g.directQ {
		per += g.sq * g.dk
	}
	if !g.directK {
		per += g.sk * g.dk
	}
	if !g.directV {
		per += g.sk * g.dv
	}
	if !g.directY {
		per += g.sq * g.dv
	}
	g.scratchPerWorkerF = per
}

// attnDirect reports whether a rows×cols matrix with the given row and
// column strides can be handed to sgemm as it is, and whether it must be
// read transposed (columns contiguous).
func attnDirect(rowStride, colStride, rows, cols int) (direct, trans bool) {
	switch {
	case colStride == 1 && (rowStride >= cols || rows <= 1):
		return true, false
	case rowStride == 1 && (colStride >= rows || cols <= 1) && cols > 1:
		return true, true
	}
	return false, false
}

// ld returns a leading dimension sgemm accepts for a matrix whose other
// axis has size n: the stride, or n when the axis has one entry (its stride
// is then never used).
func attnLD(stride, other, count int) int {
	if count <= 1 {
		return max(stride, other, 1)
	}
	return stride
}

// attnParallelFlops is the work below which an attention node runs on
// one thread. The seed Transformer's blocks (8 heads of 64×64×32 per batch
// entry, 8.4 MFLOP at batch 2) stay below it: split by head on a nearly
// quiet two-vCPU machine (session 7, workers awake, heads taken one at a
// time) they ran 52.9 µs against 51.7 µs on one thread with both threads
// busy throughout, each reading Q, K and V rows the other core had just
// written; with a fixed share of heads per worker, 212 µs against 66 µs
// on a loaded VM (2026-11-29). Session 11 (Zen 4 VM, quiet, alone): split
// from 2^20, with the products around it split too (sgemm's serialWork),
// the seed Transformer's two-thread Runs went 0.87 → 0.67 ms: the workers
// stay awake through the layer. A variable so that tests and timing tools
// can move it.
var attnParallelFlops = 1 << 20

// attnOperands are the flat data of one run.
type attnOperands struct {
	q, k, v, y, m []float32
	c             []bool
}

// check verifies the operand lengths against the geometry.
func (g *attnGeom) check(o *attnOperands) error {
	if len(o.q) < g.qLen || len(o.k) < g.kLen || len(o.v) < g.vLen || len(o.y) < g.yLen {
		return fmt.Errorf("operands too short for the attention layout: Q %d < %d, K %d < %d, V %d < %d or Y %d < %d",
			len(o.q), g.qLen, len(o.k), g.kLen, len(o.v), g.vLen, len(o.y), g.yLen)
	}
	if g.hasMask && len(o.m) < g.maskLen {
		return fmt.Errorf("mask has %d elements, the layout reads %d", len(o.m), g.maskLen)
	}
	if g.hasCond && len(o.c) < g.condLen {
		return fmt.Errorf("condition has %d elements, the layout reads %d", len(o.c), g.condLen)
	}
	return nil
}

// attnJob is one run spread over workers; fn is its run method bound once
// so that Pool.For allocates no closure.
//
// The batch entries are not dealt out to the workers in fixed shares: each
// worker (a chunk of the pool loop, with its own scratch) takes the next
// entry from the counter next until none is left. A worker that starts
// late (woken from parking, or waiting for a core on a busy machine)
// takes fewer, and one that never starts takes none, so the caller waits
// at most for the entry a descheduled worker is computing, never for a
// fixed share it has not begun.
type attnJob struct {
	g       *attnGeom
	o       attnOperands
	scratch []float32
	workers int
	next    atomic.Int64
	fn      func(lo, hi int)
}

var attnJobs = recycle.Pool{New: func() any {
	j := &attnJob{}
	j.fn = j.run
	return j
}}

// runAttnF32 computes the attention g describes; scratchFn returns a
// reusable float32 buffer of n elements.
func runAttnF32(g *attnGeom, o attnOperands, pool Pool, scratchFn func(n int) []float32) error {
	if err := g.check(&o); err != nil {
		return err
	}
	if g.batchCount == 0 || g.sq == 0 || g.dv == 0 {
		return nil
	}
	workers := 1
	if pool != nil && pool.Threads() > 1 && g.flops >= attnParallelFlops {
		workers = min(pool.Threads(), g.batchCount)
	}
	j := attnJobs.Get().(*attnJob)
	j.g, j.o, j.workers = g, o, workers
	j.next.Store(0)
	j.scratch = scratchFn(workers * g.scratchPerWorkerF)
	if workers == 1 {
		j.run(0, 1)
	} else {
		pool.For(workers, 1, j.fn)
	}
	j.g, j.o, j.scratch = nil, attnOperands{}, nil
	attnJobs.Put(j)
	return nil
}

// run is the body of workers [lo, hi): each takes batch entries from the
// shared counter until none is left. The result does not depend on which
// worker computes an entry.
func (j *attnJob) run(lo, hi int) {
	g := j.g
	var arr [8]int
	idx := arr[:0]
	for w := lo; w < hi; w++ {
		buf := j.scratch[w*g.scratchPerWorkerF:][:g.scratchPerWorkerF]
		for {
			n := int(j.next.Add(1) - 1)
			if n >= g.batchCount {
				break
			}
			idx = attnIndex(idx[:0], g.batch, n)
			if g.tiles != nil {
				j.oneTiles(idx, buf)
			} else {
				j.one(idx, buf)
			}
		}
	}
}

// attnIndex splits n into the mixed-radix index over sizes.
func attnIndex(idx, sizes []int, n int) []int {
	for range sizes {
		idx = append(idx, 0)
	}
	for a := len(sizes) - 1; a >= 0; a-- {
		idx[a] = n % sizes[a]
		n /= sizes[a]
	}
	return idx
}

func (s *attnStrides) base(idx []int) int {
	o := s.off
	for a, i := range idx {
		o += i * s.batch[a]
	}
	return o
}

// attnGather copies the rows×cols matrix at src (strides rs, cs) into
// dst: attnGatherPad with rows of cols elements.
func attnGather(dst, src []float32, base, rows, cols, rs, cs int) {
	attnGatherPad(dst, cols, src, base, rows, cols, rs, cs)
}

// one computes batch entry idx with buf as scratch.
func (j *attnJob) one(idx []int, buf []float32) {
	g, o := j.g, &j.o
	sq, sk, dk, dv := g.sq, g.sk, g.dk, g.dv
	s := buf[:sq*sk]
	buf = buf[sq*sk:]

	// S = scale · Q·Kᵀ.
	qa, qoff, lda, transA := o.q, g.q.base(idx), 0, false
	if g.directQ {
		transA = g.transQ
		if transA {
			lda = attnLD(g.q.dim, sq, dk)
		} else {
			lda = attnLD(g.q.seq, dk, sq)
		}
	} else {
		tmp := buf[:sq*dk]
		buf = buf[sq*dk:]
		attnGather(tmp, o.q, qoff, sq, dk, g.q.seq, g.q.dim)
		qa, qoff, lda = tmp, 0, dk
	}
	kb, koff, ldb, transB := o.k, g.k.base(idx), 0, false
	if g.directK {
		transB = g.transK
		if transB {
			ldb = attnLD(g.k.seq, dk, sk)
		} else {
			ldb = attnLD(g.k.dim, sk, dk)
		}
	} else {
		tmp := buf[:sk*dk]
		buf = buf[sk*dk:]
		attnGather(tmp, o.k, koff, sk, dk, g.k.seq, g.k.dim)
		kb, koff, ldb, transB = tmp, 0, dk, true
	}
	if dk == 0 {
		clear(s)
	} else {
		sgemm.SgemmLevel(g.level, transA, transB, sq, sk, dk, g.scale, qa[qoff:], lda, kb[koff:], ldb, 0, s, sk, nil, nil)
	}

	// Masks and softmax, a row at a time.
	mb, cb := 0, 0
	if g.hasMask {
		mb = g.m.base(idx)
	}
	if g.hasCond {
		cb = g.c.base(idx)
	}
	g.scoreRows(o, s, sk, 0, sq, cb, mb)

	// Y = P·V.
	vb, voff, ldv, transV := o.v, g.v.base(idx), 0, false
	if g.directV {
		transV = g.transV
		if transV {
			ldv = attnLD(g.v.dim, sk, dv)
		} else {
			ldv = attnLD(g.v.seq, dv, sk)
		}
	} else {
		tmp := buf[:sk*dv]
		buf = buf[sk*dv:]
		attnGather(tmp, o.v, voff, sk, dv, g.v.seq, g.v.dim)
		vb, voff, ldv = tmp, 0, dv
	}
	yoff := g.y.base(idx)
	if sk == 0 {
		for i := range sq {
			for t := range dv {
				o.y[yoff+i*g.y.seq+t*g.y.dim] = 0
			}
		}
		return
	}
	if g.directY {
		ldy := attnLD(g.y.seq, dv, sq)
		sgemm.SgemmLevel(g.pvLevel, false, transV, sq, dv, sk, 1, s, sk, vb[voff:], ldv, 0, o.y[yoff:], ldy, nil, nil)
		return
	}
	tmp := buf[:sq*dv]
	sgemm.SgemmLevel(g.pvLevel, false, transV, sq, dv, sk, 1, s, sk, vb[voff:], ldv, 0, tmp, dv, nil, nil)
	for i := range sq {
		p := yoff + i*g.y.seq
		for t, x := range tmp[i*dv : (i+1)*dv] {
			o.y[p+t*g.y.dim] = x
		}
	}
}

// scoreRow turns row i of scale·Q·Kᵀ (query i of the batch entry whose
// condition and mask start at cb and mb) into its attention weights: soft
// cap, condition, additive mask, causal frontier, then softmax.
func (g *attnGeom) scoreRow(o *attnOperands, row []float32, i, cb, mb int) {
	ninf := float32(math.Inf(-1))
	sk := len(row)
	if g.softcap > 0 {
		g.vec.BinaryScalar(vecmath.Mul, row, row, 1/g.softcap)
		g.vec.Tanh(row, row)
		g.vec.BinaryScalar(vecmath.Mul, row, row, g.softcap)
	}
	if g.softmaxAdd != nil {
		g.applyCond(o, row, i, cb)
		p := mb + i*g.m.seq
		g.softmaxAdd(row, row, o.m[p:p+sk])
		return
	}
	if g.maskFirst {
		g.addMask(o, row, i, mb)
		g.applyCond(o, row, i, cb)
	} else {
		g.applyCond(o, row, i, cb)
		g.addMask(o, row, i, mb)
	}
	if g.causal {
		for t := max(i+g.causalOff+1, 0); t < sk; t++ {
			row[t] += ninf
		}
	}
	if g.zeroMasked && (g.allHidden(o, cb, mb, i) || attnRowMaxIsNegInf(row)) {
		clear(row)
		return
	}
	g.softmax(row, row)
}

// scoreRows turns rows i0..i0+rows-1 of scale·Q·Kᵀ, at s[i·ld] for the
// i-th of them, into their attention weights: in one softmaxRows call
// when finish set it, else scoreRow by scoreRow.
func (g *attnGeom) scoreRows(o *attnOperands, s []float32, ld, i0, rows, cb, mb int) {
	if g.softmaxRows != nil {
		var add []float32
		lda := 0
		if g.hasMask {
			add, lda = o.m[mb+i0*g.m.seq:], g.m.seq
		}
		g.softmaxRows(s, ld, s, ld, add, lda, g.sk, rows)
		return
	}
	for i := range rows {
		g.scoreRow(o, s[i*ld:i*ld+g.sk], i0+i, cb, mb)
	}
}

// applyCond replaces (Where) or hides (a boolean mask adds -inf) the
// scores of row i whose condition differs from keep.
func (g *attnGeom) applyCond(o *attnOperands, row []float32, i, cb int) {
	ninf := float32(math.Inf(-1))
	if g.hasCond {
		p := cb + i*g.c.seq
		for t := range row {
			if o.c[p+t*g.c.dim] != g.keep {
				if g.condAddsInf {
					row[t] += ninf
				} else {
					row[t] = g.fill
				}
			}
		}
	}
}

// addMask adds row i of the additive mask to the scores.
func (g *attnGeom) addMask(o *attnOperands, row []float32, i, mb int) {
	sk := len(row)
	if g.hasMask {
		p := mb + i*g.m.seq
		if g.m.dim == 1 {
			g.vec.Binary(vecmath.Add, row, row, o.m[p:p+sk])
		} else {
			for t := range row {
				row[t] += o.m[p+t*g.m.dim]
			}
		}
	}
}

// allHidden reports whether the masks and the causal frontier hide every
// key of query i (each adds -inf), which ONNX Attention answers with zeros.
func (g *attnGeom) allHidden(o *attnOperands, cb, mb, i int) bool {
	ninf := float32(math.Inf(-1))
	for t := range g.sk {
		switch {
		case g.causal && t > i+g.causalOff:
		case g.hasCond && o.c[cb+i*g.c.seq+t*g.c.dim] != g.keep && (g.condAddsInf || g.fill == ninf):
		case g.hasMask && o.m[mb+i*g.m.seq+t*g.m.dim] == ninf:
		default:
			return false
		}
	}
	return true
}

// attnRowMaxIsNegInf reports whether the row's maximum is -inf (every
// entry -inf and none NaN): ONNX Attention then gives zeros.
func attnRowMaxIsNegInf(row []float32) bool {
	for _, x := range row {
		if !math.IsInf(float64(x), -1) {
			return false
		}
	}
	return true
}
