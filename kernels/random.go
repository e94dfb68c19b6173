package kernels

import (
	"math"

	"github.com/nncc/nncc/ir"
)

// The random generators: RandomNormal, RandomUniform, RandomNormalLike,
// RandomUniformLike, Bernoulli and Multinomial.
//
// Every run draws from a fresh numpyRNG. With a seed attribute it is seeded
// with that seed, so a seeded op gives the same values on every run (and the
// values numpy's RandomState(seed) gives, as the ONNX reference does);
// without one it is seeded at random.

func init() {
	Register("", "RandomNormal", buildRandomDist(false, true))
	Register("", "RandomUniform", buildRandomDist(false, false))
	Register("", "RandomNormalLike", buildRandomDist(true, true))
	Register("", "RandomUniformLike", buildRandomDist(true, false))
	Register("", "Bernoulli", buildBernoulli)
	Register("", "Multinomial", buildMultinomial)
}

// buildRandomDist builds RandomNormal (normal: mean + scale·N(0,1)) and
// RandomUniform (U[low, high)); like selects the *Like forms, whose shape
// (and, without a dtype attribute, type) comes from the input.
func buildRandomDist(like, normal bool) Builder {
	return func(b *Build) (Func, error) {
		a := b.Attrs()
		var p1, p2 float64
		if normal {
			p1, p2 = float64(a.Float("mean", 0)), float64(a.Float("scale", 1))
		} else {
			p1, p2 = float64(a.Float("low", 0)), float64(a.Float("high", 1))
		}
		hasSeed, seed := a.Has("seed"), a.Float("seed", 0)
		var shape []int64
		dt := ir.Float32
		if like {
			dt = b.InDType(0)
		} else {
			shape = a.Ints("shape", nil)
			if _, err := ir.CheckedNumElements(shape, DefaultMaxElements); err != nil {
				return nil, b.Errorf("attribute shape: %v", err)
			}
		}
		staticDT := dt
		if a.Has("dtype") || dt != ir.Undefined {
			d, ok := ir.RandomOutDType(a, dt, ir.RandomFloatTypes)
			if !ok {
				return nil, b.Errorf("output dtype %v is not a float type", d)
			}
			staticDT = d
		}
		return func(c *Ctx, in []*ir.Tensor) error {
			odt, oshape := staticDT, shape
			if like {
				x := in[0]
				if x == nil || x.Kind != ir.KindTensor {
					return c.Errorf("input 0 must be a tensor")
				}
				oshape = x.Shape
				if odt == ir.Undefined {
					odt = x.DType
					if !rndIsFloat(odt) {
						return c.Errorf("input 0 has dtype %v; without a dtype attribute it must be a float type", odt)
					}
				}
			}
			y, err := c.OutputUninit(0, odt, oshape)
			if err != nil {
				return err
			}
			r := newNumpyRNG(rndSeed(hasSeed, seed))
			if normal {
				rndFill(y, func() float64 { return p1 + p2*r.Gauss() })
			} else {
				rndFill(y, func() float64 { return r.Uniform(p1, p2) })
			}
			return nil
		}, nil
	}
}

// buildBernoulli: output[i] = 1 with probability input[i], else 0, in the
// dtype attribute's type (default: the input's).
func buildBernoulli(b *Build) (Func, error) {
	a := b.Attrs()
	hasSeed, seed := a.Has("seed"), a.Float("seed", 0)
	staticDT := b.InDType(0)
	if in := staticDT; in != ir.Undefined && !rndIsFloat(in) {
		return nil, b.Errorf("input 0 has dtype %v, expected a float type", in)
	}
	if a.Has("dtype") || staticDT != ir.Undefined {
		d, ok := ir.RandomOutDType(a, staticDT, ir.RandomBernoulliTypes)
		if !ok {
			return nil, b.Errorf("output dtype %v is not allowed", d)
		}
		staticDT = d
	}
	return func(c *Ctx, in []*ir.Tensor) error {
		x := in[0]
		if x == nil || x.Kind != ir.KindTensor || !rndIsFloat(x.DType) {
			return c.Errorf("input 0 must be a float tensor")
		}
		odt := staticDT
		if odt == ir.Undefined {
			odt = x.DType
		}
		n := x.Len()
		for i := 0; i < n; i++ {
			if p := x.Float64At(i); !(p >= 0 && p <= 1) {
				return c.Errorf("input 0 element %d is %g, outside [0, 1]", i, p)
			}
		}
		y, err := c.OutputUninit(0, odt, x.Shape)
		if err != nil {
			return err
		}
		r := newNumpyRNG(rndSeed(hasSeed, seed))
		i := 0
		rndFill(y, func() float64 {
			v := 0.0
			if r.Bernoulli(x.Float64At(i)) {
				v = 1
			}
			i++
			return v
		})
		return nil
	}, nil
}

// buildMultinomial: input [batch, classes] holds unnormalised log
// probabilities; each of the sample_size outputs per row is a class index
// drawn with probability softmax(row).
func buildMultinomial(b *Build) (Func, error) {
	a := b.Attrs()
	hasSeed, seed := a.Has("seed"), a.Float("seed", 0)
	dt, ok := ir.RandomOutDType(a, ir.Int32, []ir.DType{ir.Int32, ir.Int64})
	if !ok {
		return nil, b.Errorf("dtype %v must be int32 or int64", dt)
	}
	samples := a.Int("sample_size", 1)
	if samples < 0 {
		return nil, b.Errorf("sample_size %d is negative", samples)
	}
	if in := b.InDType(0); in != ir.Undefined && !rndIsFloat(in) {
		return nil, b.Errorf("input 0 has dtype %v, expected a float type", in)
	}
	return func(c *Ctx, in []*ir.Tensor) error {
		x := in[0]
		if x == nil || x.Kind != ir.KindTensor || !rndIsFloat(x.DType) {
			return c.Errorf("input 0 must be a float tensor")
		}
		if x.Rank() != 2 {
			return c.Errorf("input 0 must be [batch_size, class_size], got shape %v", x.Shape)
		}
		batch, classes := int(x.Shape[0]), int(x.Shape[1])
		if classes == 0 && samples > 0 && batch > 0 {
			return c.Errorf("input 0 has no classes to sample from")
		}
		y, err := c.OutputUninit(0, dt, []int64{int64(batch), samples})
		if err != nil {
			return err
		}
		r := newNumpyRNG(rndSeed(hasSeed, seed))
		cdf := make([]float64, classes)
		k, row := 0, 0
		var fillErr error
		rndFill(y, func() float64 {
			if k == 0 {
				fillErr = rndSoftmaxCDF(x, row, cdf)
				row++
			}
			k = (k + 1) % int(samples)
			if fillErr != nil {
				return 0
			}
			u := r.Float64() * cdf[classes-1]
			for j, v := range cdf {
				if u < v {
					return float64(j)
				}
			}
			return float64(classes - 1)
		})
		if fillErr != nil {
			return c.Errorf("input 0: %v", fillErr)
		}
		return nil
	}, nil
}

// rndSoftmaxCDF fills cdf with the running sums of exp(x[row, j] - max).
func rndSoftmaxCDF(x *ir.Tensor, row int, cdf []float64) error {
	n := len(cdf)
	m := math.Inf(-1)
	for j := 0; j < n; j++ {
		v := x.Float64At(row*n + j)
		if math.IsNaN(v) {
			return errRndNaN
		}
		m = max(m, v)
	}
	s := 0.0
	for j := 0; j < n; j++ {
		if !math.IsInf(m, -1) {
			s += math.Exp(x.Float64At(row*n+j) - m)
		}
		cdf[j] = s
	}
	if s == 0 || math.IsInf(s, 0) {
		return errRndNoMass
	}
	return nil
}

type rndError string

func (e rndError) Error() string { return string(e) }

const (
	errRndNaN    = rndError("log-probabilities contain NaN")
	errRndNoMass = rndError("a row has no probability mass (all -inf, or +inf)")
)

func rndIsFloat(d ir.DType) bool {
	return d == ir.Float32 || d == ir.Float64 || d == ir.Float16 || d == ir.BFloat16
}

// rndFill sets every element of t, in order, to gen() converted to t's
// dtype (floats rounded, integers truncated, bool v != 0).
func rndFill(t *ir.Tensor, gen func() float64) {
	switch d := t.Data.(type) {
	case []float32:
		for i := range d {
			d[i] = float32(gen())
		}
	case []float64:
		for i := range d {
			d[i] = gen()
		}
	case []ir.F16:
		for i := range d {
			d[i] = ir.NewFloat16(float32(gen()))
		}
	case []ir.BF16:
		for i := range d {
			d[i] = ir.NewBFloat16(float32(gen()))
		}
	case []int8:
		rndFillInt(d, gen)
	case []int16:
		rndFillInt(d, gen)
	case []int32:
		rndFillInt(d, gen)
	case []int64:
		rndFillInt(d, gen)
	case []uint8:
		rndFillInt(d, gen)
	case []uint16:
		rndFillInt(d, gen)
	case []uint32:
		rndFillInt(d, gen)
	case []uint64:
		rndFillInt(d, gen)
	case []bool:
		for i := range d {
			d[i] = gen() != 0
		}
	default:
		panic("BUG: rndFill of " + t.DType.String())
	}
}

func rndFillInt[T int8 | int16 | int32 | int64 | uint8 | uint16 | uint32 | uint64](d []T, gen func() float64) {
	for i := range d {
		d[i] = T(gen())
	}
}
