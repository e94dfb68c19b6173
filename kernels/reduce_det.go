package kernels

import (
	"math"

	"github.com/nncc/nncc/ir"
)

// Det: the determinant of each square matrix in the trailing two
// dimensions, reducing [*, M, M] to [*]. Computed by LU decomposition with
// partial pivoting in float64.

func init() {
	Register("", "Det", buildDet)
}

func buildDet(b *Build) (Func, error) {
	if dt := b.InDType(0); dt != ir.Undefined && !rnIsFloatDType(dt) {
		return nil, b.Errorf("input 0 has dtype %v, expected a float type", dt)
	}
	return func(c *Ctx, in []*ir.Tensor) error {
		x := in[0]
		if err := rnCheckFloat(c, "0 (X)", x); err != nil {
			return err
		}
		r := x.Rank()
		if r < 2 || x.Shape[r-1] != x.Shape[r-2] {
			return c.Errorf("input 0 (X) must be a batch of square matrices, got shape %v", x.Shape)
		}
		y, err := c.OutputUninit(0, x.DType, x.Shape[:r-2])
		if err != nil {
			return err
		}
		m := int(x.Shape[r-1])
		switch xs := x.Data.(type) {
		case []float32:
			detRun(xs, y.Data.([]float32), m)
		case []float64:
			detRun(xs, y.Data.([]float64), m)
		case []ir.F16:
			detRun(xs, y.Data.([]ir.F16), m)
		case []ir.BF16:
			detRun(xs, y.Data.([]ir.BF16), m)
		}
		return nil
	}, nil
}

func detRun[T rnFloat](x, y []T, m int) {
	a := make([]float64, m*m)
	for b := range y {
		for i := range a {
			a[i] = rnGet(x[b*m*m+i])
		}
		y[b] = rnPut[T](detLU(a, m))
	}
}

// detLU returns the determinant of the m×m row-major matrix a, destroying
// it.
func detLU(a []float64, m int) float64 {
	det := 1.0
	for k := 0; k < m; k++ {
		p, best := k, math.Abs(a[k*m+k])
		for i := k + 1; i < m; i++ {
			if v := math.Abs(a[i*m+k]); v > best {
				p, best = i, v
			}
		}
		if best == 0 {
			return 0
		}
		if p != k {
			for j := 0; j < m; j++ {
				a[k*m+j], a[p*m+j] = a[p*m+j], a[k*m+j]
			}
			det = -det
		}
		piv := a[k*m+k]
		det *= piv
		for i := k + 1; i < m; i++ {
			f := a[i*m+k] / piv
			if f == 0 {
				continue
			}
			for j := k + 1; j < m; j++ {
				a[i*m+j] -= f * a[k*m+j]
			}
		}
	}
	return det
}
