package kernels

import (
	"fmt"
	"sync"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/gemv"
	"github.com/nncc/nncc/kernels/isa"
	"github.com/nncc/nncc/kernels/sgemm"
	"github.com/nncc/nncc/kernels/vecmath"
)

// Execution machinery of LSTM, GRU and RNN shared by the three cells.
//
// Per direction the input projection of every time step is one GEMM,
// X (seq·batch × in) · Wᵀ, with the constant part of the bias added by the
// SGEMM epilogue; each step then adds H·Rᵀ (batch × hidden times hidden ×
// gates·hidden) onto that step's rows and runs the gate math over whole
// gate blocks (vecmath's sigmoid, tanh and elementwise ops for float32).
// For float32 with constant W and R (the usual case: a model's weights)
// both are packed at build time, for the ISA level the session compiles
// for (Build.Level): W in the SGEMM's strip layout, R in GEMV panels
// (package gemv). A step with batch ≤ rnnGemvRows (inference: 1 or 2)
// runs the GEMV kernel, which streams R once per pair of batch rows at
// the cache's bandwidth; larger batches use SGEMM's taller tiles, with R
// packed for them on first use. A
// constant B becomes the projection's epilogue bias (Wb + Rb summed). An
// all-zero initial state (PyTorch exports make one with ConstantOfShape)
// skips the first step's product. Buffers (layout-1 copies included) come
// from one scratch request of the step (a share per direction), so
// steady-state Runs do not allocate. A projection of at least
// rnnProjParWork multiply-adds is split over the pool; the time loops run
// as units, one per direction and batch group, on the pool's threads
// (rnn_units.go), and a unit's steps may be split over several threads by
// slices of hidden units (rnn_team.go). Every step reads Ht-1 from one
// buffer and writes Ht to another (rnnHPair). LSTM's gate math runs as one
// fused kernel where the level has one (amd64.LSTMGates*).

// rnnPacked is the build-time float32 state of a recurrent node
// (read-only at Run).
type rnnPacked struct {
	ws, rs, bs []int64           // shapes of the constants packed below
	w          []*sgemm.PackedB  // per direction: Wᵀ (in × G·H)
	r          []rnnMat          // per direction: R, or (GRU) R of the z and r gates (2H × H)
	rh         []rnnMat          // GRU, per direction: R of the h gate (H × H)
	ep         []*sgemm.Epilogue // per direction: projection bias, when B is constant
}

// rnnMat is one recurrent weight matrix (n × H, row-major) packed for the
// GEMV kernel (batches up to rnnGemvRows, the usual inference case, where
// a step's product streams R once per pair of rows) and for SGEMM (larger
// batches, whose taller register tiles reuse R better). When GEMV has
// assembly for the level, the SGEMM form is packed only when a Run first
// needs it, so a model run at batch 1-2 holds R once.
type rnnMat struct {
	gv *gemv.Packed // R in GEMV panels; nil when GEMV has no assembly for the level
	sg *rnnLazyPack // Rᵀ (H × n) in SGEMM strips
}

// rnnLazyPack packs a constant matrix for SGEMM on first use.
type rnnLazyPack struct {
	once sync.Once
	l    isa.Level
	n, h int
	r    []float32 // the constant's data (immutable)
	pb   *sgemm.PackedB
}

// get returns the packed operand, packing it on the first call.
func (z *rnnLazyPack) get() *sgemm.PackedB {
	z.once.Do(func() {
		z.pb = sgemm.PackBLevel(z.l, true, z.h, z.n, z.r, z.h)
	})
	return z.pb
}

// rnnGemvRows is the largest batch whose recurrent products use the GEMV
// kernel; beyond it SGEMM's taller register tiles reuse R better.
const rnnGemvRows = 4

// packRNNMat packs the n×H row-major matrix r for GEMV (when it has
// assembly for b.Level) and, now or lazily, for SGEMM; what it packs now
// goes through b's prepack hook, so an artifact stores it.
func packRNNMat(b *Build, n, H int, r []float32) rnnMat {
	l := b.Level
	m := rnnMat{sg: &rnnLazyPack{l: l, n: n, h: H, r: r}}
	if gemv.Native(l) {
		m.gv = packRNNGemv(b, n, H, r)
	} else {
		m.sg.once.Do(func() { m.sg.pb = b.PackB(true, H, n, r, H) })
	}
	return m
}

// packRNNGemv packs the n×k row-major constant a for the GEMV kernel of
// b.Level through b's prepack hook.
func packRNNGemv(b *Build, n, k int, a []float32) *gemv.Packed {
	key := fmt.Sprintf("gemv/%s/n%d/k%d", gemv.Layout(b.Level), n, k)
	var pk *gemv.Packed
	data := b.Prepacked(a, key, func() []float32 {
		pk = gemv.Pack(b.Level, n, k, a, k)
		return pk.Data()
	})
	if pk != nil {
		return pk
	}
	pk, err := gemv.FromData(b.Level, n, k, data)
	if err != nil {
		// A stored panel whose size does not fit its own key: repack.
		return gemv.Pack(b.Level, n, k, a, k)
	}
	return pk
}

// newRNNPacked packs constant float32 W and R (and folds a constant B) for
// a cell with gates gates; rbGates is how many leading gates also take
// R's bias in the projection (GRU keeps its h gate's recurrent bias apart).
func newRNNPacked(b *Build, gates, rbGates int) *rnnPacked {
	wv, rv := b.Node.In(1), b.Node.In(2)
	if wv == nil || rv == nil || wv.Const == nil || rv.Const == nil {
		return nil
	}
	w, r := wv.Const, rv.Const
	if w.DType != ir.Float32 || r.DType != ir.Float32 || len(w.Shape) != 3 || len(r.Shape) != 3 {
		return nil
	}
	D, H, in := int(w.Shape[0]), int(r.Shape[2]), int(w.Shape[2])
	GH := gates * H
	if int(w.Shape[1]) != GH || int(r.Shape[0]) != D || int(r.Shape[1]) != GH || len(w.F32()) != D*GH*in || len(r.F32()) != D*GH*H {
		return nil
	}
	p := &rnnPacked{ws: append([]int64{}, w.Shape...), rs: append([]int64{}, r.Shape...)}
	wd, rd := w.F32(), r.F32()
	for d := range D {
		p.w = append(p.w, b.PackB(true, in, GH, wd[d*GH*in:(d+1)*GH*in], in))
		rr := rd[d*GH*H : (d+1)*GH*H]
		if gates == 3 {
			p.r = append(p.r, packRNNMat(b, 2*H, H, rr[:2*H*H]))
			p.rh = append(p.rh, packRNNMat(b, H, H, rr[2*H*H:]))
		} else {
			p.r = append(p.r, packRNNMat(b, GH, H, rr))
		}
	}
	if bv := b.Node.In(3); bv != nil && bv.Const != nil && bv.Const.DType == ir.Float32 &&
		sameShape(bv.Const.Shape, []int64{int64(D), int64(2 * GH)}) {
		bd := bv.Const.F32()
		for d := range D {
			bias := make([]float32, GH)
			rnnCombineBias(bias, bd[d*2*GH:(d+1)*2*GH], rbGates*H)
			p.ep = append(p.ep, &sgemm.Epilogue{Bias: bias})
		}
		p.bs = append([]int64{}, bv.Const.Shape...)
	}
	return p
}

// rAt returns the packed recurrent weights of direction d (the z and r
// gates for GRU), or none when p is nil.
func (p *rnnPacked) rAt(d int) rnnMat {
	if p == nil {
		return rnnMat{}
	}
	return p.r[d]
}

// rhAt returns GRU's packed h-gate recurrent weights of direction d, or none.
func (p *rnnPacked) rhAt(d int) rnnMat {
	if p == nil || p.rh == nil {
		return rnnMat{}
	}
	return p.rh[d]
}

// rnnCombineBias sets dst[j] = Wb[j] (+ Rb[j] for j < rb) from one
// direction's B = [Wb, Rb].
func rnnCombineBias[T nnFloat](dst, b []T, rb int) {
	GH := len(dst)
	for j := range dst {
		dst[j] = b[j]
		if j < rb {
			dst[j] += b[GH+j]
		}
	}
}

// rnnRun is the per-Run state shared by the cells.
type rnnRun[T nnFloat] struct {
	ri   rnnInputs[T]
	s    *rnnSpec
	pool sgemm.Pool
	pk   *rnnPacked // nil unless T is float32 and the constants match
	epOK bool       // pk.ep holds this Run's bias

	// The recurrence on several threads (rnn_units.go).
	units    rnnUnits
	cell     rnnCell
	teams    []rnnTeam        // one per unit (kept across Runs)
	teamPool sgemm.Pool       // the pool while units run on it (waits yield through it)
	unitFn   func(lo, hi int) // runUnit, bound once
}

// start loads the inputs and decides whether the packed state applies.
func (st *rnnRun[T]) start(c *Ctx, s *rnnSpec, in []*ir.Tensor, idxC0, idxP int, cellN func(seq, batch, hid int) int, pk *rnnPacked) error {
	if err := rnnLoad(c, s, in, idxC0, idxP, cellN, &st.ri); err != nil {
		return err
	}
	st.s, st.pool = s, sgemmPool(c.Pool)
	var z T
	if _, f32 := any(z).(float32); f32 && pk != nil && in[1].DType == ir.Float32 &&
		sameShape(in[1].Shape, pk.ws) && sameShape(in[2].Shape, pk.rs) {
		st.pk = pk
		st.epOK = pk.ep != nil && len(in) > 3 && in[3] != nil && sameShape(in[3].Shape, pk.bs)
	}
	return nil
}

// rnnScratch returns n values of the step's scratch of type T.
func rnnScratch[T nnFloat](c *Ctx, n int) []T {
	var z T
	if _, ok := any(z).(float32); ok {
		return any(c.ScratchF32(n)).([]T)
	}
	return any(c.ScratchF64(n)).([]T)
}

// project sets xw (seq·batch × G·H) = X·W[d]ᵀ + Wb (+ Rb for the first
// rbGates gates); bias is G·H values of scratch.
func (st *rnnRun[T]) project(d, rbGates int, xw, bias []T, units rnnUnits) {
	ri, s := &st.ri, st.s
	GH := s.gates * ri.hid
	rows := ri.seq * ri.batch
	pool := st.pool
	if rows*GH*ri.in < rnnProjParWork {
		pool = nil
	}
	serialRecur := ri.batch*GH*ri.hid < rnnParWork && units.count() <= 1
	if pool != nil && serialRecur && ri.seq*ri.batch*GH*ri.hid >= rnnRestWork {
		// The recurrence that follows runs on this thread alone and for
		// long: workers still polling after the projection would take its
		// core on a machine with more runnable threads than cores. A
		// short one is left to the workers' own spin window, so that they
		// are still polling when the next Run's projection comes.
		defer Rest(pool)
	}
	if st.pk != nil {
		var ep *sgemm.Epilogue
		if st.epOK {
			ep = st.pk.ep[d]
		}
		sgemm.SgemmPacked(false, rows, 1, any(ri.x).([]float32), ri.in, st.pk.w[d], 0, any(xw).([]float32), GH, ep, pool)
		if st.epOK || ri.bias == nil {
			return
		}
	} else {
		rnnMulT(s.level, pool, rows, GH, ri.in, ri.x, ri.in, ri.w[d*GH*ri.in:], ri.in, 0, xw, GH)
		if ri.bias == nil {
			return
		}
	}
	rnnCombineBias(bias, ri.bias[d*2*GH:(d+1)*2*GH], rbGates*ri.hid)
	for r := range rows {
		row := xw[r*GH : (r+1)*GH]
		for j, v := range bias {
			row[j] += v
		}
	}
}

// recur computes c (m × n, stride ldc) = a·Bᵀ + beta·c where B (n × k) is
// the rows of R at r, or the packed pm when the Run uses packed weights
// (the GEMV kernel up to rnnGemvRows rows). Products smaller than
// rnnParWork multiply-adds stay on the calling thread: a step's product is
// latency-bound, and handing half of a few microseconds of work to another
// thread costs more than it saves.
func (st *rnnRun[T]) recur(pm rnnMat, m, n, k int, a []T, lda int, r []T, beta T, c []T, ldc int) {
	// The kernel is chosen by the whole batch, not by m: a unit computing
	// part of it (rnn_units.go) must run the same arithmetic.
	if st.pk != nil && pm.gv != nil && st.ri.batch <= rnnGemvRows {
		pm.gv.Mul(m, 1, any(a).([]float32), lda, float32(beta), any(c).([]float32), ldc)
		return
	}
	pool := st.pool
	if m*n*k < rnnParWork {
		pool = nil
	}
	if st.pk != nil {
		sgemm.SgemmPacked(false, m, 1, any(a).([]float32), lda, pm.sg.get(), float32(beta), any(c).([]float32), ldc, nil, pool)
		return
	}
	rnnMulT(st.s.level, pool, m, n, k, a, lda, r, k, beta, c, ldc)
}

// rnnParWork is the size (m·n·k) from which a recurrent product (a step's
// or the input projection) is split over the pool.
const rnnParWork = 1 << 21

// rnnProjParWork is the size (rows·G·H·input) from which the input
// projection is split over the pool, also when the recurrence after it
// runs on one thread. seed_embed_lstm's projection (80×256×64, 1.3 M
// multiply-adds, 26 µs on one core) split at two threads took that model
// from 0.069 to 0.061 ms (nncc bench, 2026-11-30). It was 16 M while a
// woken worker came through the Go scheduler, 100 µs late on the 2-core
// VM (pool_wake_linux.go).
const rnnProjParWork = 1 << 20

// rnnRestWork is the recurrence (steps × batch·G·H·H multiply-adds) from
// which a projection followed by a recurrence on one thread parks the
// workers: about 100 µs, the workers' own spin window.
const rnnRestWork = 1 << 22

// rnnMulT computes c = a·bᵀ + beta·c for row-major a (m×k) and b (n×k),
// with the SGEMM of level l for float32.
func rnnMulT[T nnFloat](l isa.Level, pool sgemm.Pool, m, n, k int, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	if a32, ok := any(a).([]float32); ok {
		if m > 0 && n > 0 {
			sgemm.SgemmLevel(l, false, true, m, n, k, 1, a32, lda, any(b).([]float32), ldb, float32(beta), any(c).([]float32), ldc, nil, pool)
		}
		return
	}
	gemmGeneric(false, true, m, n, k, 1, a, lda, b, ldb, float64(beta), c, ldc)
}

// rnnApply applies activation a to v in place (vecmath for the float32
// sigmoid and tanh).
func rnnApply[T nnFloat](a rnnAct, v []T) {
	if v32, ok := any(v).([]float32); ok {
		switch a.kind {
		case actSigmoid:
			a.vec.Sigmoid(v32, v32)
			return
		case actTanh:
			a.vec.Tanh(v32, v32)
			return
		case actRelu:
			for i, x := range v32 {
				if x < 0 {
					v32[i] = 0
				}
			}
			return
		}
	}
	for i, x := range v {
		v[i] = T(a.apply(float64(x)))
	}
}

// rnnAllZero reports whether every value of v is zero (an initial state
// made by ConstantOfShape, as exported PyTorch models do).
func rnnAllZero[T nnFloat](v []T) bool {
	for _, x := range v {
		if x != 0 {
			return false
		}
	}
	return true
}

// rnnApplyTo sets dst = a(src) (dst and src the same length; they may be
// the same slice).
func rnnApplyTo[T nnFloat](a rnnAct, dst, src []T) {
	if d32, ok := any(dst).([]float32); ok && (a.kind == actSigmoid || a.kind == actTanh) {
		s32 := any(src).([]float32)
		if a.kind == actSigmoid {
			a.vec.Sigmoid(d32, s32)
		} else {
			a.vec.Tanh(d32, s32)
		}
		return
	}
	copy(dst, src)
	rnnApply(a, dst)
}

// rnnMul sets dst = a ⊙ b (all the same length; dst may alias a or b)
// with vec's routines for float32.
func rnnMul[T nnFloat](vec *vecmath.Routines, dst, a, b []T) {
	if d32, ok := any(dst).([]float32); ok {
		vec.Binary(vecmath.Mul, d32, any(a).([]float32), any(b).([]float32))
		return
	}
	b = b[:len(a)]
	dst = dst[:len(a)]
	for j, v := range a {
		dst[j] = v * b[j]
	}
}

// rnnAdd sets dst = a + b (all the same length; dst may alias a or b)
// with vec's routines for float32.
func rnnAdd[T nnFloat](vec *vecmath.Routines, dst, a, b []T) {
	if d32, ok := any(dst).([]float32); ok {
		vec.Binary(vecmath.Add, d32, any(a).([]float32), any(b).([]float32))
		return
	}
	b = b[:len(a)]
	dst = dst[:len(a)]
	for j, v := range a {
		dst[j] = v + b[j]
	}
}

// rnnClip applies the clip attribute to v in place.
func rnnClip[T nnFloat](s *rnnSpec, v []T) {
	if s.clip <= 0 {
		return
	}
	lo, hi := T(-s.clip), T(s.clip)
	for i, x := range v {
		v[i] = max(lo, min(hi, x))
	}
}
