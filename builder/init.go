package builder

import (
	"math"
	"math/rand/v2"

	"github.com/nncc/nncc/ir"
)

// Fans are the fan-in and fan-out the variance-scaling initialisers use.
type Fans struct{ In, Out int }

// DefaultFans computes fans from a weight's shape the way Keras does for
// its layouts, read in ONNX's: a vector is [n] (fans n, n), a matrix is
// [in, out], and a convolution kernel is [out, in, k...] (fans in·k and
// out·k, k the receptive field size).
func DefaultFans(shape []int64) Fans {
	switch len(shape) {
	case 0:
		return Fans{1, 1}
	case 1:
		return Fans{int(shape[0]), int(shape[0])}
	case 2:
		return Fans{int(shape[0]), int(shape[1])}
	}
	rf := ir.NumElements(shape[2:])
	return Fans{int(shape[1]) * rf, int(shape[0]) * rf}
}

// An Initializer makes the initial values of a float32 weight of the given
// shape, drawing from r.
type Initializer func(r *rand.Rand, shape []int64, f Fans) []float32

// Zeros fills with 0 (Keras "zeros").
func Zeros(_ *rand.Rand, shape []int64, _ Fans) []float32 {
	return make([]float32, ir.NumElements(shape))
}

// Ones fills with 1 (Keras "ones").
func Ones(r *rand.Rand, shape []int64, f Fans) []float32 { return Fill(1)(r, shape, f) }

// Fill returns an initializer that fills with v (Keras Constant).
func Fill(v float32) Initializer {
	return func(_ *rand.Rand, shape []int64, _ Fans) []float32 {
		out := make([]float32, ir.NumElements(shape))
		for i := range out {
			out[i] = v
		}
		return out
	}
}

// Uniform returns an initializer drawing uniformly from [lo, hi) (Keras
// RandomUniform; Embedding uses Uniform(-0.05, 0.05)).
func Uniform(lo, hi float64) Initializer {
	return func(r *rand.Rand, shape []int64, _ Fans) []float32 {
		out := make([]float32, ir.NumElements(shape))
		for i := range out {
			out[i] = float32(lo + (hi-lo)*r.Float64())
		}
		return out
	}
}

// Normal returns an initializer drawing from N(mean, std²).
func Normal(mean, std float64) Initializer {
	return func(r *rand.Rand, shape []int64, _ Fans) []float32 {
		out := make([]float32, ir.NumElements(shape))
		for i := range out {
			out[i] = float32(mean + std*r.NormFloat64())
		}
		return out
	}
}

// TruncatedNormal returns an initializer drawing from N(mean, std²)
// redrawing values more than two standard deviations away (Keras
// TruncatedNormal).
func TruncatedNormal(mean, std float64) Initializer {
	return func(r *rand.Rand, shape []int64, _ Fans) []float32 {
		out := make([]float32, ir.NumElements(shape))
		for i := range out {
			z := r.NormFloat64()
			for math.Abs(z) > 2 {
				z = r.NormFloat64()
			}
			out[i] = float32(mean + std*z)
		}
		return out
	}
}

// truncStd corrects the standard deviation of a normal truncated at ±2σ
// (Keras' VarianceScaling constant).
const truncStd = 0.87962566103423978

// GlorotUniform draws from U(-l, l), l = √(6 / (fan_in + fan_out)) (Keras
// default for Dense and Conv kernels).
func GlorotUniform(r *rand.Rand, shape []int64, f Fans) []float32 {
	l := math.Sqrt(6 / float64(max(f.In+f.Out, 1)))
	return Uniform(-l, l)(r, shape, f)
}

// GlorotNormal draws from a normal truncated at ±2σ with σ = √(2 /
// (fan_in + fan_out)) (Keras glorot_normal).
func GlorotNormal(r *rand.Rand, shape []int64, f Fans) []float32 {
	return TruncatedNormal(0, math.Sqrt(2/float64(max(f.In+f.Out, 1)))/truncStd)(r, shape, f)
}

// HeUniform draws from U(-l, l), l = √(6 / fan_in) (Keras he_uniform).
func HeUniform(r *rand.Rand, shape []int64, f Fans) []float32 {
	l := math.Sqrt(6 / float64(max(f.In, 1)))
	return Uniform(-l, l)(r, shape, f)
}

// HeNormal draws from a normal truncated at ±2σ with σ = √(2 / fan_in)
// (Keras he_normal).
func HeNormal(r *rand.Rand, shape []int64, f Fans) []float32 {
	return TruncatedNormal(0, math.Sqrt(2/float64(max(f.In, 1)))/truncStd)(r, shape, f)
}

// Orthogonal returns an initializer making the weight, seen as a matrix of
// prod(shape[:-1]) rows and shape[-1] columns, have orthonormal rows or
// columns (whichever there are fewer of), times gain (Keras Orthogonal,
// the default for recurrent kernels).
func Orthogonal(gain float64) Initializer {
	return func(r *rand.Rand, shape []int64, _ Fans) []float32 {
		n := ir.NumElements(shape)
		if len(shape) < 2 || n == 0 {
			return Normal(0, 1)(r, shape, Fans{})
		}
		rows, cols := n/int(shape[len(shape)-1]), int(shape[len(shape)-1])
		tall, short := max(rows, cols), min(rows, cols)
		// q holds short orthonormal vectors of length tall.
		q := make([][]float64, short)
		for j := range q {
			v := make([]float64, tall)
			for {
				for i := range v {
					v[i] = r.NormFloat64()
				}
				for _, u := range q[:j] { // modified Gram-Schmidt
					d := dot(u, v)
					for i := range v {
						v[i] -= d * u[i]
					}
				}
				if nrm := math.Sqrt(dot(v, v)); nrm > 1e-6 {
					for i := range v {
						v[i] /= nrm
					}
					break
				}
			}
			q[j] = v
		}
		out := make([]float32, n)
		for i := 0; i < rows; i++ {
			for j := 0; j < cols; j++ {
				var x float64
				if rows >= cols {
					x = q[j][i] // columns are orthonormal
				} else {
					x = q[i][j] // rows are orthonormal
				}
				out[i*cols+j] = float32(gain * x)
			}
		}
		return out
	}
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}
