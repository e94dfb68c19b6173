package kernels

import (
	"sync/atomic"

	"github.com/nncc/nncc/internal/recycle"
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/gemv"
	"github.com/nncc/nncc/kernels/isa"
	"github.com/nncc/nncc/kernels/sgemm"
	"github.com/nncc/nncc/kernels/vecmath"
)

// nncc.FusedGemm: Y = act(alpha·op(A)·op(B) + beta·C + R) on the SIMD
// SGEMM, float32 only. A constant B is packed once here, at build time,
// for the session's ISA level (or comes prepacked from an artifact); a constant per-column C is scaled by beta once and
// becomes the epilogue's bias. The activation runs in the micro-kernel's
// registers (Relu) or as the epilogue hook on rows still in L1.

func init() { Register(ir.FusedDomain, "FusedGemm", buildFusedGemm) }

type fusedGemm struct {
	level          isa.Level // the session's ISA level (the SGEMM kernel)
	alpha, beta    float32
	transA, transB bool
	act            fusedAct
	pb             *sgemm.PackedB // B prepacked, nil when B is not constant
	gv             *gemv.Packed   // op(B)ᵀ packed for gemv (small m), nil if none
	kb, nb         int            // op(B) dims when pb is set
	bias           []float32      // beta·C when C is a constant row
	ep             *sgemm.Epilogue
	shapes         atomic.Pointer[gemmShapes]
}

func buildFusedGemm(b *Build) (Func, error) {
	a := b.Attrs()
	f := &fusedGemm{
		level:  b.Level,
		alpha:  a.Float("alpha", 1),
		beta:   a.Float("beta", 1),
		transA: a.Int("transA", 0) != 0,
		transB: a.Int("transB", 0) != 0,
	}
	var err error
	if f.act, err = parseFusedAct(b); err != nil {
		return nil, err
	}
	if err := fusedF32Build(b, 4, "FusedGemm"); err != nil {
		return nil, err
	}
	if w := b.Node.In(1); w != nil && w.Const != nil {
		t := w.Const
		if t.DType != ir.Float32 || len(t.Shape) != 2 {
			return nil, b.Errorf("B must be a 2-D float32 tensor, got %v %v", t.DType, t.Shape)
		}
		k, n := int(t.Shape[0]), int(t.Shape[1])
		if f.transB {
			k, n = n, k
		}
		f.pb = b.PackB(f.transB, k, n, t.F32(), int(t.Shape[1]))
		f.kb, f.nb = k, n
		f.gv = packGemv(b, f.transB, k, n, t.F32(), int(t.Shape[1]))
	}
	// A constant bias is expanded to one value per column here only when
	// the weights hold that many values: with an empty K the column count
	// is a shape no data bounds.
	if cv := b.Node.In(2); cv != nil && cv.Const != nil && f.pb != nil && f.kb > 0 && isRowVector(cv.Const.Shape, f.nb) {
		src := cv.Const.F32()
		f.bias = make([]float32, f.nb)
		for j := range f.bias {
			if len(src) == 1 {
				f.bias[j] = f.beta * src[0]
			} else {
				f.bias[j] = f.beta * src[j]
			}
		}
	}
	if reg, ok := f.act.inRegisters(); ok {
		// A fixed epilogue, shared by every Run (read-only).
		f.ep = &sgemm.Epilogue{Bias: f.bias, Act: reg}
	} else {
		f.ep = &sgemm.Epilogue{Bias: f.bias, Hook: f.hook}
	}
	return f.run, nil
}

func (f *fusedGemm) hook(row []float32, _, _ int) { f.act.apply(row) }

// isRowVector reports whether a tensor of shape s holds one value per
// column of an n-column result (or a single value for all of them).
func isRowVector(s []int64, n int) bool {
	numel := 1
	for _, d := range s {
		numel *= int(d)
	}
	if numel == 1 && len(s) <= 2 {
		return true
	}
	return numel == n && len(s) >= 1 && int(s[len(s)-1]) == n && len(s) <= 2
}

// fusedEpis recycles per-Run epilogues (a non-constant C), so that Runs
// allocate nothing.
var fusedEpis = recycle.Pool{New: func() any { return &sgemm.Epilogue{} }}

func (f *fusedGemm) run(c *Ctx, in []*ir.Tensor) error {
	a, bt := in[0], in[1]
	if a == nil || bt == nil {
		return c.Errorf("inputs A and B are required")
	}
	if err := fusedF32Run(c, in, "FusedGemm"); err != nil {
		return err
	}
	var k, n int
	if f.pb != nil {
		k, n = f.kb, f.nb
	} else {
		if len(bt.Shape) != 2 {
			return c.Errorf("B must be 2-D, got shape %v", bt.Shape)
		}
		k, n = int(bt.Shape[0]), int(bt.Shape[1])
		if f.transB {
			k, n = n, k
		}
	}
	if len(a.Shape) < 2 || (f.transA && len(a.Shape) != 2) {
		return c.Errorf("A must be 2-D (or rank > 2 without transA), got shape %v", a.Shape)
	}
	oshape := f.outShape(a.Shape, n)
	var m, lda int
	if f.transA {
		m, lda = int(a.Shape[1]), int(a.Shape[1])
	} else {
		lda = int(a.Shape[len(a.Shape)-1])
		m = ir.NumElements(a.Shape[:len(a.Shape)-1])
	}
	if ka := lda; (f.transA && int(a.Shape[0]) != k) || (!f.transA && ka != k) {
		return c.Errorf("inner dimensions differ: A %v (transA=%v), B is %d×%d after transB=%v", a.Shape, f.transA, k, n, f.transB)
	}
	out, err := c.OutputUninit(0, ir.Float32, oshape)
	if err != nil {
		return err
	}
	y := out.F32()
	if len(y) == 0 {
		return nil // nothing to compute; n need not be bounded by data
	}
	cIn, res := tensorAt(in, 2), tensorAt(in, 3)
	beta := float32(0)
	if res != nil {
		if !sameShape(res.Shape, oshape) {
			return c.Errorf("residual R has shape %v, expected %v", res.Shape, oshape)
		}
		copy(y, res.F32())
		beta = 1
	}
	ep := f.ep
	if cIn != nil && f.bias == nil && f.beta != 0 {
		if isRowVector(cIn.Shape, n) {
			// Per-column bias, scaled into scratch (C is not constant).
			bias := c.ScratchF32(n)
			src := cIn.F32()
			for j := range bias {
				if len(src) == 1 {
					bias[j] = f.beta * src[0]
				} else {
					bias[j] = f.beta * src[j]
				}
			}
			e := fusedEpis.Get().(*sgemm.Epilogue)
			*e = *f.ep
			e.Bias = bias
			defer func() { *e = sgemm.Epilogue{}; fusedEpis.Put(e) }()
			ep = e
		} else {
			if len(a.Shape) != 2 {
				return c.Errorf("C has shape %v; with A of rank %d it must hold one value per column", cIn.Shape, len(a.Shape))
			}
			if err := fusedAddBroadcast(c, cIn, f.beta, m, n, y, beta != 0); err != nil {
				return err
			}
			beta = 1
		}
	}
	if f.gv != nil && !f.transA && m <= gemvMaxRows {
		var act *fusedAct
		if f.act.kind != faNone {
			act = &f.act
		}
		gemvRows(f.gv, m, f.alpha, a.F32(), lda, beta, y, ep.Bias, vecmath.For(f.level), act, c.Pool)
		return nil
	}
	if f.pb != nil {
		sgemm.SgemmPacked(f.transA, m, f.alpha, a.F32(), lda, f.pb, beta, y, n, ep, c.Pool)
		return nil
	}
	sgemm.SgemmLevel(f.level, f.transA, f.transB, m, n, k, f.alpha, a.F32(), lda, bt.F32(), int(bt.Shape[1]), beta, y, n, ep, c.Pool)
	return nil
}

// gemmShapes caches the output shape for the last shape of A, so that
// steady-state Runs do not allocate it.
type gemmShapes struct {
	a   []int64
	n   int
	out []int64
}

// outShape returns the output shape for A of shape as and n columns
// (shared; not to be modified).
func (f *fusedGemm) outShape(as []int64, n int) []int64 {
	if s := f.shapes.Load(); s != nil && s.n == n && sameShape(s.a, as) {
		return s.out
	}
	out := append([]int64{}, as[:len(as)-1]...)
	if f.transA {
		out = []int64{as[1]}
	}
	out = append(out, int64(n))
	f.shapes.Store(&gemmShapes{a: append([]int64{}, as...), n: n, out: out})
	return out
}

func tensorAt(in []*ir.Tensor, i int) *ir.Tensor {
	if i < len(in) {
		return in[i]
	}
	return nil
}

// fusedAddBroadcast writes (or adds, when accumulate) beta·C broadcast to
// the m×n matrix y; C has rank ≤ 2 and broadcasts to [m, n].
func fusedAddBroadcast(c *Ctx, ct *ir.Tensor, beta float32, m, n int, y []float32, accumulate bool) error {
	s := ct.Shape
	rows, cols := 1, 1
	switch len(s) {
	case 0:
	case 1:
		cols = int(s[0])
	case 2:
		rows, cols = int(s[0]), int(s[1])
	default:
		return c.Errorf("C has shape %v, which does not broadcast to [%d %d]", s, m, n)
	}
	if (rows != 1 && rows != m) || (cols != 1 && cols != n) {
		return c.Errorf("C has shape %v, which does not broadcast to [%d %d]", s, m, n)
	}
	src := ct.F32()
	for i := range m {
		r := 0
		if rows != 1 {
			r = i
		}
		d := y[i*n : i*n+n]
		for j := range d {
			cc := 0
			if cols != 1 {
				cc = j
			}
			v := beta * src[r*cols+cc]
			if accumulate {
				d[j] += v
			} else {
				d[j] = v
			}
		}
	}
	return nil
}
