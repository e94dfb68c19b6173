package kernels

import (
	"sync"

	"github.com/nncc/nncc/ir"
)

// Gemm: Y = alpha*op(A)*op(B) + beta*C, with C broadcast to [M, N].

func init() { Register("", "Gemm", buildGemm) }

type gemmAttrs struct {
	alpha, beta    float32
	transA, transB bool
	shape          *gemmShape
	f32            *gemmF32 // float32 state prepared at build time
}

// gemmShape remembers the last output shape so that steady-state calls
// need not build a new shape slice.
type gemmShape struct {
	mu sync.Mutex
	s  []int64
}

func (gs *gemmShape) get(m, n int) []int64 {
	gs.mu.Lock()
	defer gs.mu.Unlock()
	if gs.s == nil || gs.s[0] != int64(m) || gs.s[1] != int64(n) {
		gs.s = []int64{int64(m), int64(n)}
	}
	return gs.s
}

func buildGemm(b *Build) (Func, error) {
	a := b.Attrs()
	g := gemmAttrs{
		alpha:  a.Float("alpha", 1),
		beta:   a.Float("beta", 1),
		transA: a.Int("transA", 0) != 0,
		transB: a.Int("transB", 0) != 0,
	}
	g.shape = &gemmShape{}
	g.f32 = newGemmF32(b, g.transB, g.beta)
	f32 := func(c *Ctx, in []*ir.Tensor) error { return runGemmF32(c, in, &g) }
	return func(c *Ctx, in []*ir.Tensor) error {
		if in[0] == nil || in[1] == nil {
			return c.Errorf("inputs A and B are required")
		}
		if err := nnSameDType(c, in, 0, 1, 2); err != nil {
			return err
		}
		switch in[0].DType {
		case ir.Float32:
			return f32(c, in)
		case ir.Float64:
			return runGemm[float64](c, in, g)
		case ir.Float16, ir.BFloat16:
			return nnViaF32(f32)(c, in)
		case ir.Int32:
			return runGemm[int32](c, in, g)
		case ir.Int64:
			return runGemm[int64](c, in, g)
		case ir.Uint32:
			return runGemm[uint32](c, in, g)
		case ir.Uint64:
			return runGemm[uint64](c, in, g)
		}
		return c.Errorf("dtype %v is not supported", in[0].DType)
	}, nil
}

// gemmDims returns M, N, K from the shapes of A and B.
func gemmDims(c *Ctx, a, b *ir.Tensor, transA, transB bool) (m, n, k int, err error) {
	if len(a.Shape) != 2 || len(b.Shape) != 2 {
		return 0, 0, 0, c.Errorf("A and B must be 2-D, got %v and %v", a.Shape, b.Shape)
	}
	m, k = int(a.Shape[0]), int(a.Shape[1])
	if transA {
		m, k = k, m
	}
	kb, n := int(b.Shape[0]), int(b.Shape[1])
	if transB {
		kb, n = n, kb
	}
	if k != kb {
		return 0, 0, 0, c.Errorf("inner dimensions differ: A %v (transA=%v), B %v (transB=%v)", a.Shape, transA, b.Shape, transB)
	}
	return m, n, k, nil
}

// runGemm is Gemm for the element types without a tuned kernel (float32
// runs in runGemmF32).
func runGemm[T nnNumber](c *Ctx, in []*ir.Tensor, g gemmAttrs) error {
	m, n, k, err := gemmDims(c, in[0], in[1], g.transA, g.transB)
	if err != nil {
		return err
	}
	out, err := c.OutputUninit(0, in[0].DType, g.shape.get(m, n))
	if err != nil {
		return err
	}
	y := ir.Data[T](out)
	beta := g.beta
	if len(in) > 2 && in[2] != nil && beta != 0 {
		if err := nnBroadcastRows(c, ir.Data[T](in[2]), in[2].Shape, m, n, y); err != nil {
			return err
		}
	} else {
		beta = 0
	}
	a, b := ir.Data[T](in[0]), ir.Data[T](in[1])
	lda, ldb := int(in[0].Shape[1]), int(in[1].Shape[1])
	gemmGeneric(g.transA, g.transB, m, n, k, float64(g.alpha), a, lda, b, ldb, float64(beta), y, n)
	return nil
}

// gemmGeneric is the plain triple loop for the element types without a
// tuned kernel. When alpha and beta are 1 integers stay exact; otherwise
// the scaling runs in float64.
func gemmGeneric[T nnNumber](transA, transB bool, m, n, k int, alpha float64, a []T, lda int, b []T, ldb int, beta float64, c []T, ldc int) {
	for i := range m {
		for j := range n {
			var s T
			for p := range k {
				var av, bv T
				if transA {
					av = a[p*lda+i]
				} else {
					av = a[i*lda+p]
				}
				if transB {
					bv = b[j*ldb+p]
				} else {
					bv = b[p*ldb+j]
				}
				s += av * bv
			}
			idx := i*ldc + j
			switch {
			case alpha == 1 && beta == 1:
				c[idx] += s
			case alpha == 1 && beta == 0:
				c[idx] = s
			case beta == 0:
				c[idx] = T(alpha * float64(s))
			default:
				c[idx] = T(alpha*float64(s) + beta*float64(c[idx]))
			}
		}
	}
}

// nnBroadcastRows writes src (shape s, unidirectionally broadcastable to
// [m, n]) into the m×n matrix dst.
func nnBroadcastRows[T any](c *Ctx, src []T, s []int64, m, n int, dst []T) error {
	if len(s) > 2 {
		return c.Errorf("C has shape %v, which does not broadcast to [%d %d]", s, m, n)
	}
	rows, cols := 1, 1
	switch len(s) {
	case 1:
		cols = int(s[0])
	case 2:
		rows, cols = int(s[0]), int(s[1])
	}
	if (rows != 1 && rows != m) || (cols != 1 && cols != n) {
		return c.Errorf("C has shape %v, which does not broadcast to [%d %d]", s, m, n)
	}
	for i := range m {
		r := i
		if rows == 1 {
			r = 0
		}
		d := dst[i*n : i*n+n]
		if cols == 1 {
			v := src[r]
			for j := range d {
				d[j] = v
			}
		} else {
			copy(d, src[r*n:r*n+n])
		}
	}
	return nil
}
