package kernels

import (
	"math"

	"github.com/nncc/nncc/ir"
)

// HannWindow, HammingWindow and BlackmanWindow (ai.onnx opset 17): window
// functions of length size, periodic (N = size, the default) or symmetric
// (N = size - 1), in the dtype output_datatype (default float; integer
// outputs truncate like a cast):
//
//	Hann:     sin²(πn/N)
//	Hamming:  α - β cos(2πn/N), α = 25/46, β = 21/46 (as the ONNX reference)
//	Blackman: 0.42 - 0.5 cos(2πn/N) + 0.08 cos(4πn/N)

func init() {
	Register("", "HannWindow", buildWindow(func(n, N float64) float64 {
		s := math.Sin(math.Pi * n / N)
		return s * s
	}))
	Register("", "HammingWindow", buildWindow(func(n, N float64) float64 {
		const alpha = 25.0 / 46.0
		return alpha - math.Cos(2*math.Pi*n/N)*(1-alpha)
	}))
	Register("", "BlackmanWindow", buildWindow(func(n, N float64) float64 {
		return 0.42 - 0.5*math.Cos(2*math.Pi*n/N) + 0.08*math.Cos(4*math.Pi*n/N)
	}))
}

// signalOutputType validates an output_datatype attribute (numeric types).
func signalOutputType(b *Build) (ir.DType, error) {
	dt := ir.DType(b.Attrs().Int("output_datatype", int64(ir.Float32)))
	if !advIsFloat(dt) && !(dt.IsInt() && dt.Info().Bits >= 8) {
		return 0, b.Errorf("output_datatype %d is not a supported numeric type", int64(dt))
	}
	return dt, nil
}

func buildWindow(fn func(n, N float64) float64) Builder {
	return func(b *Build) (Func, error) {
		dt, err := signalOutputType(b)
		if err != nil {
			return nil, err
		}
		periodic := b.Attrs().Int("periodic", 1) != 0
		return func(c *Ctx, in []*ir.Tensor) error {
			size, err := stftScalar(in[0], "size")
			if err != nil {
				return c.Errorf("%v", err)
			}
			if size < 0 {
				return c.Errorf("size must not be negative, got %d", size)
			}
			y, err := c.OutputUninit(0, dt, []int64{int64(size)})
			if err != nil {
				return err
			}
			N := float64(size)
			if !periodic {
				N--
			}
			out := make([]float64, size)
			for i := range out {
				out[i] = fn(float64(i), N)
			}
			return signalStoreCast(y, out)
		}, nil
	}
}

// signalStoreCast stores v into t, truncating toward zero for integer
// dtypes as a numpy astype does.
func signalStoreCast(t *ir.Tensor, v []float64) error {
	if !advIsFloat(t.DType) {
		for i, x := range v {
			v[i] = math.Trunc(x)
		}
	}
	return advStore(t, v)
}
