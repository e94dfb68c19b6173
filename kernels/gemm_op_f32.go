package kernels

import (
	"github.com/nncc/nncc/internal/recycle"
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/gemv"
	"github.com/nncc/nncc/kernels/isa"
	"github.com/nncc/nncc/kernels/sgemm"
	"github.com/nncc/nncc/kernels/vecmath"
)

// The float32 path of Gemm on the SIMD SGEMM. A constant B (a layer's
// weights) is packed once, at build time (or comes prepacked from an
// artifact, see Build.PackB), in the strip layout of the micro-kernel of
// the session's level, so Runs skip packing it. C enters as the
// epilogue's per-column bias whenever it is a row vector (shape [], [1],
// [N], [1, N], [1, 1]): for a constant C that bias (beta·C) is computed at
// build time, otherwise per Run into the step's scratch. Any other C is
// broadcast into Y first and accumulated with beta.

// gemmF32 is the float32 state of one Gemm node, fixed at build time and
// shared read-only by concurrent Runs.
type gemmF32 struct {
	level isa.Level       // the session's ISA level (the SGEMM kernel)
	pb    *sgemm.PackedB  // constant B packed (nil: B is not a constant)
	gv    *gemv.Packed    // op(B)ᵀ packed for gemv at small m (nil: none)
	bs    []int64         // B's shape when pb is set
	ep    *sgemm.Epilogue // bias beta·C for a constant row-vector C (nil: none)
	cs    []int64         // C's shape when ep is set
}

func newGemmF32(b *Build, transB bool, beta float32) *gemmF32 {
	f := &gemmF32{level: b.Level}
	w := b.Node.In(1)
	if w == nil || w.Const == nil || w.Const.DType != ir.Float32 || len(w.Const.Shape) != 2 {
		return f
	}
	t := w.Const
	k, n := int(t.Shape[0]), int(t.Shape[1])
	if transB {
		k, n = n, k
	}
	if len(t.F32()) != k*n {
		return f
	}
	f.pb = b.PackB(transB, k, n, t.F32(), int(t.Shape[1]))
	f.gv = packGemv(b, transB, k, n, t.F32(), int(t.Shape[1]))
	f.bs = append([]int64{}, t.Shape...)
	if cv := b.Node.In(2); beta != 0 && cv != nil && cv.Const != nil && cv.Const.DType == ir.Float32 && gemmRowVector(cv.Const.Shape, n) {
		bias := make([]float32, n)
		gemmScaleRow(bias, cv.Const.F32(), beta)
		f.ep = &sgemm.Epilogue{Bias: bias}
		f.cs = append([]int64{}, cv.Const.Shape...)
	}
	return f
}

// gemmRowVector reports whether C of shape s broadcasts to an m×n result
// as one value per column (or one value for all).
func gemmRowVector(s []int64, n int) bool {
	switch len(s) {
	case 0:
		return true
	case 1:
		return s[0] == 1 || int(s[0]) == n
	case 2:
		return s[0] == 1 && (s[1] == 1 || int(s[1]) == n)
	}
	return false
}

// gemmScaleRow sets dst[j] = beta·src[j] (src of length 1 is broadcast).
func gemmScaleRow(dst, src []float32, beta float32) {
	if len(src) == 1 {
		v := beta * src[0]
		for j := range dst {
			dst[j] = v
		}
		return
	}
	for j := range dst {
		dst[j] = beta * src[j]
	}
}

// gemmEpis recycles the epilogues of Runs whose C is a row vector but not
// a constant, so that Runs allocate nothing.
var gemmEpis = recycle.Pool{New: func() any { return &sgemm.Epilogue{} }}

func runGemmF32(c *Ctx, in []*ir.Tensor, g *gemmAttrs) error {
	m, n, k, err := gemmDims(c, in[0], in[1], g.transA, g.transB)
	if err != nil {
		return err
	}
	out, err := c.OutputUninit(0, ir.Float32, g.shape.get(m, n))
	if err != nil {
		return err
	}
	y := out.F32()
	f := g.f32
	packed := f.pb != nil && sameShape(in[1].Shape, f.bs)
	beta := float32(0)
	var ep, pooled *sgemm.Epilogue
	if len(in) > 2 && in[2] != nil && g.beta != 0 {
		ct := in[2]
		switch {
		case packed && f.ep != nil && sameShape(ct.Shape, f.cs):
			ep = f.ep
		case gemmRowVector(ct.Shape, n):
			bias := c.ScratchF32(n)
			gemmScaleRow(bias, ct.F32(), g.beta)
			pooled = gemmEpis.Get().(*sgemm.Epilogue)
			pooled.Bias = bias
			ep = pooled
		default:
			if err := nnBroadcastRows(c, ct.F32(), ct.Shape, m, n, y); err != nil {
				return err
			}
			beta = g.beta
		}
	}
	a := in[0].F32()
	lda := int(in[0].Shape[1])
	pool := sgemmPool(c.Pool)
	switch {
	case packed && f.gv != nil && !g.transA && m <= gemvMaxRows:
		var bias []float32
		if ep != nil {
			bias = ep.Bias
		}
		gemvRows(f.gv, m, g.alpha, a, lda, beta, y, bias, vecmath.For(f.level), nil, c.Pool)
	case packed:
		sgemm.SgemmPacked(g.transA, m, g.alpha, a, lda, f.pb, beta, y, n, ep, pool)
	default:
		sgemm.SgemmLevel(f.level, g.transA, g.transB, m, n, k, g.alpha, a, lda, in[1].F32(), int(in[1].Shape[1]), beta, y, n, ep, pool)
	}
	if pooled != nil {
		pooled.Bias = nil
		gemmEpis.Put(pooled)
	}
	return nil
}
