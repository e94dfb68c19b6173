package kernels

import (
	"github.com/nncc/nncc/kernels/vecmath"
	"math"

	"github.com/nncc/nncc/ir"
)

// LayerNormalization (opset 17) and RMSNormalization (opset 23): each row
// of the [d0*...*d(axis-1), d(axis)*...*d(last)] view of X is standardised
// (LayerNorm: (x - mean) / sqrt(var + eps); RMSNorm: x / sqrt(mean(x²) +
// eps)) and then scaled (and shifted). Statistics are computed in float64,
// at least as precise as any stash_type asks for. Scale and B broadcast
// unidirectionally to X.

func init() {
	Register("", "LayerNormalization", buildLayerNorm(false))
	Register("", "RMSNormalization", buildLayerNorm(true))
}

func buildLayerNorm(rms bool) Builder {
	return func(b *Build) (Func, error) {
		a := b.Attrs()
		axis := a.Int("axis", -1)
		eps := float64(a.Float("epsilon", 1e-5))
		stashV := a.Int("stash_type", 1)
		vec := b.Vec()
		row := lnRowKernel(b.Level)
		stash, ok := ir.StashDType(stashV)
		if !ok {
			return nil, b.Errorf("unsupported stash_type %d", stashV)
		}
		for i := 0; i < 3; i++ {
			if dt := b.InDType(i); dt != ir.Undefined && !rnIsFloatDType(dt) {
				return nil, b.Errorf("input %d has dtype %v, expected a float type", i, dt)
			}
		}
		return func(c *Ctx, in []*ir.Tensor) error {
			x := in[0]
			if err := rnCheckFloat(c, "0 (X)", x); err != nil {
				return err
			}
			if err := rnCheckFloat(c, "1 (Scale)", in[1]); err != nil {
				return err
			}
			if !rms && in[1].DType != x.DType {
				return c.Errorf("input 1 (Scale) has dtype %v, expected %v", in[1].DType, x.DType)
			}
			var bias *ir.Tensor
			if len(in) > 2 && in[2] != nil {
				bias = in[2]
				if bias.DType != x.DType {
					return c.Errorf("input 2 (B) has dtype %v, expected %v", bias.DType, x.DType)
				}
			}
			r := x.Rank()
			ax, err := ir.NormAxis(axis, max(r, 1))
			if err != nil {
				return c.Errorf("attribute axis: %v", err)
			}
			rows, n := rnSplit(x.Shape, ax)
			if x.DType == ir.Float32 && in[1].DType == ir.Float32 && in[1].Len() == n && (bias == nil || bias.Len() == n) &&
				((!rms && c.NumOutputs() == 1) || (stash == ir.Float32 && n > 0)) {
				return lnFloat32(c, vec, row, x, in[1], bias, rows, n, float32(eps), rms, ax)
			}
			sc, scStride, err := lnParam(x.Shape, ax, in[1])
			if err != nil {
				return c.Errorf("input 1 (Scale): %v", err)
			}
			var bs []float64
			bsStride := 0
			if bias != nil {
				if bs, bsStride, err = lnParam(x.Shape, ax, bias); err != nil {
					return c.Errorf("input 2 (B): %v", err)
				}
			}
			ydt := x.DType
			if rms {
				ydt = in[1].DType
			}
			y, err := c.OutputUninit(0, ydt, x.Shape)
			if err != nil {
				return err
			}
			statShape := make([]int64, r)
			for i := range statShape {
				statShape[i] = 1
				if i < ax {
					statShape[i] = x.Shape[i]
				}
			}
			var mean, inv *ir.Tensor
			if c.NumOutputs() > 1 && !rms {
				if mean, err = c.OutputUninit(1, stash, statShape); err != nil {
					return err
				}
			}
			if c.NumOutputs() > 2 && !rms {
				if inv, err = c.OutputUninit(2, stash, statShape); err != nil {
					return err
				}
			}
			pool := c.Pool
			if pool == nil {
				pool = Serial{}
			}
			pool.For(rows, rnGrain(n*4), func(lo, hi int) {
				row := make([]float64, n)
				var one [1]float64
				for i := lo; i < hi; i++ {
					rnLoad(x, i*n, 1, row)
					m := 0.0
					if !rms {
						for _, v := range row {
							m += v
						}
						m /= float64(n)
					}
					vr := 0.0
					for _, v := range row {
						d := v - m
						vr += d * d
					}
					vr /= float64(n)
					is := 1 / math.Sqrt(vr+eps)
					s := sc[i*scStride : i*scStride+n]
					for k, v := range row {
						row[k] = (v - m) * is * s[k]
					}
					if bs != nil {
						bb := bs[i*bsStride : i*bsStride+n]
						for k := range row {
							row[k] += bb[k]
						}
					}
					rnStore(y, i*n, 1, row)
					if mean != nil {
						one[0] = m
						rnStore(mean, i, 1, one[:])
					}
					if inv != nil {
						one[0] = is
						rnStore(inv, i, 1, one[:])
					}
				}
			})
			return nil
		}, nil
	}
}

// lnRowFunc normalises one row with a bias: amd64.VecLayerNormAVX512's
// contract (two-pass float32 statistics, rounded like vecmath.LayerNorm
// up to the order of the sums' additions).
type lnRowFunc func(dst, x, scale, bias []float32, eps float32)

// lnFloat32 is the float32 path of LayerNormalization and
// RMSNormalization — Scale and B of the normalised length — on the level's
// one-call row kernel when only Y is wanted and B is given, else
// kernels/vecmath's row routines at the build's level (two-pass float32
// statistics, stash_type 1 semantics), which also return LayerNorm's Mean
// and InvStdDev. The row loop is a job kept in the step's state, so that
// a Run that splits the rows over the pool allocates nothing.
func lnFloat32(c *Ctx, vec *vecmath.Routines, row lnRowFunc, x, scale, bias *ir.Tensor, rows, n int, eps float32, rms bool, ax int) error {
	y, err := c.OutputUninit(0, ir.Float32, x.Shape)
	if err != nil {
		return err
	}
	j, _ := c.state.(*lnF32Job)
	if j == nil {
		j = &lnF32Job{}
		j.fn = j.run
		c.state = j
	}
	j.vec, j.row, j.n, j.eps, j.rms = vec, row, n, eps, rms
	j.y, j.x, j.scale, j.bias, j.mean, j.inv = y.F32(), x.F32(), scale.F32(), nil, nil, nil
	if bias != nil {
		j.bias = bias.F32()
	}
	if !rms && c.NumOutputs() > 1 {
		// Mean and InvStdDev: X's shape with the normalised dims 1.
		stat := append(c.ScratchI64(x.Rank())[:0], x.Shape[:ax]...)
		for range x.Rank() - ax {
			stat = append(stat, 1)
		}
		for o := 1; o < min(c.NumOutputs(), 3); o++ {
			if !advWants(c, o) {
				continue
			}
			t, err := c.OutputUninit(o, ir.Float32, stat)
			if err != nil {
				return err
			}
			if o == 1 {
				j.mean = t.F32()
			} else {
				j.inv = t.F32()
			}
		}
	}
	if j.bias == nil || n == 0 || j.mean != nil || j.inv != nil {
		j.row = nil
	}
	grain := max(rnGrain(n*4), (lnParallelElems+n-1)/max(n, 1))
	if c.Pool == nil || c.Pool.Threads() <= 1 || rows < 2*grain {
		j.run(0, rows)
	} else {
		c.Pool.For(rows, grain, j.fn)
	}
	j.y, j.x, j.scale, j.bias, j.mean, j.inv = nil, nil, nil, nil, nil, nil // hold no tensor between Runs
	return nil
}

// lnParallelElems is the fewest elements a parallel chunk of the float32
// LayerNorm gets (~10 µs of work): below it, waking a worker costs more
// than it saves (a Transformer's [128, 128] LayerNorm split in two ran
// slower on two vCPUs than whole on one).
const lnParallelElems = 1 << 15

// lnF32Job is the float32 row loop of one normalisation step (lnFloat32);
// fn is its run method bound once.
type lnF32Job struct {
	vec               *vecmath.Routines
	row               lnRowFunc
	y, x, scale, bias []float32
	mean, inv         []float32 // per row, when wanted
	n                 int
	eps               float32
	rms               bool
	fn                func(lo, hi int)
}

func (j *lnF32Job) run(lo, hi int) {
	n := j.n
	for r := lo; r < hi; r++ {
		y, x := j.y[r*n:(r+1)*n], j.x[r*n:(r+1)*n]
		switch {
		case j.rms:
			j.vec.RMSNorm(y, x, j.scale[:n], j.eps)
		case j.row != nil:
			j.row(y, x, j.scale[:n], j.bias[:n], j.eps)
		default:
			var bias []float32
			if j.bias != nil {
				bias = j.bias[:n]
			}
			m, is := j.vec.LayerNorm(y, x, j.scale[:n], bias, j.eps)
			if j.mean != nil {
				j.mean[r] = m
			}
			if j.inv != nil {
				j.inv[r] = is
			}
		}
	}
}

// lnParam expands a Scale or B tensor, which broadcasts to X, to float64.
// When it only spans the normalised dims it is one row of n values (stride
// 0); otherwise it is expanded to X's full shape (stride n per row).
func lnParam(shape []int64, axis int, t *ir.Tensor) ([]float64, int, error) {
	if t.Rank() <= len(shape)-axis {
		v, err := rnBroadcastF64(t, shape[axis:])
		return v, 0, err
	}
	_, n := rnSplit(shape, axis)
	v, err := rnBroadcastF64(t, shape)
	return v, n, err
}
