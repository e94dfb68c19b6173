package kernels

import (
	"github.com/nncc/nncc/kernels/vecmath"
	"math"

	"github.com/nncc/nncc/ir"
)

// Softmax, LogSoftmax and Hardmax.
//
// Before opset 13 the input is coerced to 2-D at `axis` (default 1) and
// each row of the flattened trailing part [d_axis * ... * d_last] is
// normalised. From opset 13 the op normalises along `axis` alone (default
// -1). Both are a view [outer, n, inner] normalised along n; the old form
// simply has inner = 1. Softmax subtracts the row maximum before
// exponentiating, so large inputs do not overflow.

type smKind int

const (
	smSoftmax smKind = iota
	smLogSoftmax
	smHardmax
)

func init() {
	Register("", "Softmax", buildSoftmax(smSoftmax))
	Register("", "LogSoftmax", buildSoftmax(smLogSoftmax))
	Register("", "Hardmax", buildSoftmax(smHardmax))
}

// smOldForm reports whether a node of the given opset uses the pre-13
// "coerce to 2-D" semantics. Opset 0 (unknown) means the current form.
func smOldForm(opset int64) bool { return opset > 0 && opset < 13 }

func buildSoftmax(kind smKind) Builder {
	return func(b *Build) (Func, error) {
		old := smOldForm(b.Node.Opset)
		def := int64(-1)
		if old {
			def = 1
		}
		axis := b.Attrs().Int("axis", def)
		vec := b.Vec()
		// Contiguous float32 Softmax rows of any length take the level's
		// row softmax (AVX-512: one call per row, no exp for lanes that
		// round to 0).
		rowSoftmax := softmaxRowFor(b.Level, vec)
		if dt := b.InDType(0); dt != ir.Undefined && !rnIsFloatDType(dt) {
			return nil, b.Errorf("input 0 has dtype %v, expected a float type", dt)
		}
		return func(c *Ctx, in []*ir.Tensor) error {
			x := in[0]
			if err := rnCheckFloat(c, "0 (input)", x); err != nil {
				return err
			}
			outer, n, inner := 1, 1, 1
			if r := x.Rank(); r > 0 {
				ax, err := ir.NormAxis(axis, r)
				if err != nil {
					return c.Errorf("attribute axis: %v", err)
				}
				if old {
					outer, n = rnSplit(x.Shape, ax)
				} else {
					outer, n, inner = rnOuterInner(x.Shape, ax)
				}
			}
			y, err := c.OutputUninit(0, x.DType, x.Shape)
			if err != nil {
				return err
			}
			smRun(c, vec, rowSoftmax, kind, x, y, outer, n, inner)
			return nil
		}, nil
	}
}

// smParallelElems is the fewest elements a parallel chunk of the float32
// row kernels gets (~10 µs of exp work); smaller splits cost more in
// worker wake-ups than they save.
const smParallelElems = 1 << 15

// smRun normalises every row of the [outer, n, inner] view of x into y;
// rowSoftmax is the level's softmax of one contiguous float32 row.
func smRun(c *Ctx, vec *vecmath.Routines, rowSoftmax func(dst, x []float32), kind smKind, x, y *ir.Tensor, outer, n, inner int) {
	rows := outer * inner
	if rows == 0 || n == 0 {
		return
	}
	grain := rnGrain(n * 8)
	if xs, ok := x.Data.([]float32); ok && inner == 1 && kind != smHardmax {
		// The vectorised rows are fast: a chunk needs smParallelElems.
		grain = max(grain, (smParallelElems+n-1)/n)
		// Contiguous float32 rows: the vectorised row kernels.
		ys := y.F32()
		if c.Pool == nil || c.Pool.Threads() <= 1 || rows < 2*grain {
			smRowsF32(vec, rowSoftmax, kind, xs, ys, n, 0, rows)
			return
		}
		smF32Jobs.For(c.Pool, rows, grain, smF32Job{vec, rowSoftmax, kind, xs, ys, n})
		return
	}
	if c.Pool == nil || c.Pool.Threads() <= 1 || rows < 2*grain {
		// One chunk: run inline with a reused row buffer, allocating nothing.
		smRows(kind, x, y, n, inner, 0, rows, c.ScratchF64(n))
		return
	}
	c.Pool.For(rows, grain, func(lo, hi int) {
		smRows(kind, x, y, n, inner, lo, hi, make([]float64, n))
	})
}

// smF32Job is a parallel smRowsF32 call; smF32Jobs recycles them so that
// a split Softmax allocates nothing.
type smF32Job struct {
	vec        *vecmath.Routines
	rowSoftmax func(dst, x []float32)
	kind       smKind
	x, y       []float32
	n          int
}

var smF32Jobs = newJobPool(func(j *smF32Job, lo, hi int) {
	smRowsF32(j.vec, j.rowSoftmax, j.kind, j.x, j.y, j.n, lo, hi)
})

// smRowsF32 normalises contiguous float32 rows [lo, hi) of length n:
// Softmax with rowSoftmax, LogSoftmax with vec, the build's vecmath
// routines (max subtracted first; error bounds in vecmath).
func smRowsF32(vec *vecmath.Routines, rowSoftmax func(dst, x []float32), kind smKind, x, y []float32, n, lo, hi int) {
	for r := lo; r < hi; r++ {
		xr, yr := x[r*n:(r+1)*n], y[r*n:(r+1)*n]
		if kind == smLogSoftmax {
			vec.LogSoftmax(yr, xr)
		} else {
			rowSoftmax(yr, xr)
		}
	}
}

// smRows normalises rows [lo, hi) using row as scratch.
func smRows(kind smKind, x, y *ir.Tensor, n, inner, lo, hi int, row []float64) {
	for r := lo; r < hi; r++ {
		base := (r/inner)*n*inner + r%inner
		rnLoad(x, base, inner, row)
		smRow(kind, row)
		rnStore(y, base, inner, row)
	}
}

// smRow replaces row by its softmax, log-softmax or hardmax.
func smRow(kind smKind, row []float64) {
	m, arg := math.Inf(-1), 0
	for k, v := range row {
		if v > m || (v != v && m == m) {
			m, arg = v, k
		}
	}
	switch kind {
	case smHardmax:
		for k := range row {
			row[k] = 0
		}
		row[arg] = 1
	case smSoftmax:
		s := 0.0
		for k, v := range row {
			e := math.Exp(v - m)
			row[k] = e
			s += e
		}
		inv := 1 / s
		for k := range row {
			row[k] *= inv
		}
	case smLogSoftmax:
		s := 0.0
		for _, v := range row {
			s += math.Exp(v - m)
		}
		ls := m + math.Log(s)
		for k, v := range row {
			row[k] = v - ls
		}
	}
}
