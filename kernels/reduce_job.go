package kernels

import (
	"math"

	"github.com/nncc/nncc/ir"
)

// redJob is one reduction over a redPlan's runs: the input storage slice
// x, and either float64 accumulators acc (float kinds; mx holds
// LogSumExp's maxima) or the integer output y, both indexed by output
// element. x and y are the tensors' Data values, so building a job boxes
// nothing; visit switches on the element type once per run.
type redJob struct {
	p        *redPlan
	kind     redKind
	x, y     any
	acc, mx  []float64
	n        int  // run length
	innerRed bool // the run folds into one output element
}

// redJobs recycles the parallel loops of redPlan.each.
var redJobs = newJobPool((*redJob).outer)

// each calls j.visit for every run of the plan. When pool has several
// threads and the outermost dim is kept, slices of that dim (which write
// disjoint outputs) run in parallel.
func (p *redPlan) each(pool Pool, j *redJob) {
	if p.total == 0 {
		return
	}
	j.p = p
	if len(p.dims) == 1 {
		j.visit(0, 0)
		return
	}
	if pool != nil && pool.Threads() > 1 && !p.reduced[0] && p.total >= 1<<15 {
		redJobs.For(pool, p.dims[0], rnGrain(p.total/p.dims[0]), *j)
		return
	}
	j.outer(0, p.dims[0])
}

// outer visits the runs of slices [lo, hi) of the outermost dim.
func (j *redJob) outer(lo, hi int) {
	p := j.p
	block := p.total / p.dims[0]
	for i := lo; i < hi; i++ {
		p.walkIn(i*block, i*p.outStride[0], j.visit)
	}
}

// visit reduces the run of n input elements at in into the output at out.
func (j *redJob) visit(in, out int) {
	switch x := j.x.(type) {
	case []float32:
		redVisitF32(j, x, in, out)
	case []float64:
		redVisitF(j, x, in, out)
	case []ir.F16:
		redVisitF(j, x, in, out)
	case []ir.BF16:
		redVisitF(j, x, in, out)
	case []int8:
		redVisitI(j, x, j.y.([]int8), in, out)
	case []int16:
		redVisitI(j, x, j.y.([]int16), in, out)
	case []int32:
		redVisitI(j, x, j.y.([]int32), in, out)
	case []int64:
		redVisitI(j, x, j.y.([]int64), in, out)
	case []uint8:
		redVisitI(j, x, j.y.([]uint8), in, out)
	case []uint16:
		redVisitI(j, x, j.y.([]uint16), in, out)
	case []uint32:
		redVisitI(j, x, j.y.([]uint32), in, out)
	case []uint64:
		redVisitI(j, x, j.y.([]uint64), in, out)
	default:
		panic("BUG: redJob over a non-numeric slice")
	}
}

// redVisitF32 is redVisitF for float32, whose sums skip rnGet's
// per-element type switch (same order, same result).
func redVisitF32(j *redJob, x []float32, in, out int) {
	if j.kind != redSum && j.kind != redMean && j.kind != redLogSum {
		redVisitF(j, x, in, out)
		return
	}
	xs := x[in : in+j.n]
	if j.innerRed {
		a := j.acc[out]
		for _, v := range xs {
			a += float64(v)
		}
		j.acc[out] = a
		return
	}
	as := j.acc[out : out+j.n]
	for i, v := range xs {
		as[i] += float64(v)
	}
}

// redVisitF accumulates one run of float input into j.acc.
func redVisitF[T rnFloat](j *redJob, x []T, in, out int) {
	n := j.n
	xs := x[in : in+n]
	if j.innerRed {
		a := j.acc[out]
		switch j.kind {
		case redSum, redMean, redLogSum:
			for _, v := range xs {
				a += rnGet(v)
			}
		case redMax:
			for _, v := range xs {
				a = rnMaxF(a, rnGet(v))
			}
		case redMin:
			for _, v := range xs {
				a = rnMinF(a, rnGet(v))
			}
		case redProd:
			for _, v := range xs {
				a *= rnGet(v)
			}
		case redL1:
			for _, v := range xs {
				a += math.Abs(rnGet(v))
			}
		case redL2, redSumSquare:
			for _, v := range xs {
				f := rnGet(v)
				a += f * f
			}
		case redLogSumExp:
			m := j.mx[out]
			if !math.IsInf(m, 0) {
				for _, v := range xs {
					a += math.Exp(rnGet(v) - m)
				}
			}
		}
		j.acc[out] = a
		return
	}
	as := j.acc[out : out+n]
	switch j.kind {
	case redSum, redMean, redLogSum:
		for i, v := range xs {
			as[i] += rnGet(v)
		}
	case redMax:
		for i, v := range xs {
			as[i] = rnMaxF(as[i], rnGet(v))
		}
	case redMin:
		for i, v := range xs {
			as[i] = rnMinF(as[i], rnGet(v))
		}
	case redProd:
		for i, v := range xs {
			as[i] *= rnGet(v)
		}
	case redL1:
		for i, v := range xs {
			as[i] += math.Abs(rnGet(v))
		}
	case redL2, redSumSquare:
		for i, v := range xs {
			f := rnGet(v)
			as[i] += f * f
		}
	case redLogSumExp:
		ms := j.mx[out : out+n]
		for i, v := range xs {
			if !math.IsInf(ms[i], 0) {
				as[i] += math.Exp(rnGet(v) - ms[i])
			}
		}
	}
}

// redVisitI reduces one run of integer input into y natively.
func redVisitI[T rnInt](j *redJob, x, y []T, in, out int) {
	n := j.n
	xs := x[in : in+n]
	if j.innerRed {
		a := y[out]
		switch j.kind {
		case redSum:
			for _, v := range xs {
				a += v
			}
		case redMax:
			for _, v := range xs {
				a = max(a, v)
			}
		case redMin:
			for _, v := range xs {
				a = min(a, v)
			}
		case redProd:
			for _, v := range xs {
				a *= v
			}
		case redL1:
			for _, v := range xs {
				if v < 0 {
					v = -v
				}
				a += v
			}
		case redSumSquare:
			for _, v := range xs {
				a += v * v
			}
		}
		y[out] = a
		return
	}
	as := y[out : out+n]
	switch j.kind {
	case redSum:
		for i, v := range xs {
			as[i] += v
		}
	case redMax:
		for i, v := range xs {
			as[i] = max(as[i], v)
		}
	case redMin:
		for i, v := range xs {
			as[i] = min(as[i], v)
		}
	case redProd:
		for i, v := range xs {
			as[i] *= v
		}
	case redL1:
		for i, v := range xs {
			if v < 0 {
				v = -v
			}
			as[i] += v
		}
	case redSumSquare:
		for i, v := range xs {
			as[i] += v * v
		}
	}
}
