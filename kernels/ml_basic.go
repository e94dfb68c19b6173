package kernels

import (
	"math"

	"github.com/nncc/nncc/ir"
)

// ai.onnx.ml ArrayFeatureExtractor and Binarizer.

func init() {
	Register(ir.MLDomain, "ArrayFeatureExtractor", buildArrayFeatureExtractor)
	Register(ir.MLDomain, "Binarizer", buildBinarizer)
}

// mlTensor returns input i as a tensor of one of the allowed dtypes.
func mlTensor(c *Ctx, in []*ir.Tensor, i int, allowed ...ir.DType) (*ir.Tensor, error) {
	if i >= len(in) || in[i] == nil {
		return nil, c.Errorf("input %d is missing", i)
	}
	x := in[i]
	if x.Kind != ir.KindTensor {
		return nil, c.Errorf("input %d must be a tensor, got a %v", i, x.Kind)
	}
	for _, d := range allowed {
		if x.DType == d {
			return x, nil
		}
	}
	return nil, c.Errorf("input %d has dtype %v, expected one of %v", i, x.DType, allowed)
}

// mlCheckDType checks a statically known input dtype at build time.
func mlCheckDType(b *Build, i int, allowed ...ir.DType) error {
	dt := b.InDType(i)
	if dt == ir.Undefined {
		return nil
	}
	for _, d := range allowed {
		if dt == d {
			return nil
		}
	}
	return b.Errorf("input %d has dtype %v, expected one of %v", i, dt, allowed)
}

var mlAFETypes = []ir.DType{ir.Float32, ir.Float64, ir.Int64, ir.Int32, ir.String}

// buildArrayFeatureExtractor: Z[..., j] = X[..., Y[j]] over the flattened
// indices Y; a 1-D X is treated as one row, giving Z shape [1, len(Y)].
func buildArrayFeatureExtractor(b *Build) (Func, error) {
	if err := mlCheckDType(b, 0, mlAFETypes...); err != nil {
		return nil, err
	}
	if err := mlCheckDType(b, 1, ir.Int64); err != nil {
		return nil, err
	}
	return func(c *Ctx, in []*ir.Tensor) error {
		x, err := mlTensor(c, in, 0, mlAFETypes...)
		if err != nil {
			return err
		}
		y, err := mlTensor(c, in, 1, ir.Int64)
		if err != nil {
			return err
		}
		if x.Rank() == 0 {
			return c.Errorf("input 0 must have rank >= 1")
		}
		last := x.Shape[x.Rank()-1]
		idx := y.I64()
		for j, v := range idx {
			if v < 0 || v >= last {
				return c.Errorf("index %d (element %d of input 1) is out of range [0, %d)", v, j, last)
			}
		}
		shape := []int64{1, int64(len(idx))}
		if x.Rank() > 1 {
			shape = append(append([]int64{}, x.Shape[:x.Rank()-1]...), int64(len(idx)))
		}
		z, err := c.OutputUninit(0, x.DType, shape)
		if err != nil {
			return err
		}
		rows := 0
		if last > 0 {
			rows = x.Len() / int(last)
		}
		switch d := x.Data.(type) {
		case []float32:
			mlTake(z.F32(), d, rows, int(last), idx)
		case []float64:
			mlTake(ir.Data[float64](z), d, rows, int(last), idx)
		case []int64:
			mlTake(z.I64(), d, rows, int(last), idx)
		case []int32:
			mlTake(ir.Data[int32](z), d, rows, int(last), idx)
		case []string:
			mlTake(ir.Data[string](z), d, rows, int(last), idx)
		}
		return nil
	}, nil
}

func mlTake[T any](dst, src []T, rows, width int, idx []int64) {
	k := 0
	for r := 0; r < rows; r++ {
		row := src[r*width : (r+1)*width]
		for _, j := range idx {
			dst[k] = row[j]
			k++
		}
	}
}

// buildBinarizer: Y = X > threshold ? 1 : 0 (NaN gives 0).
func buildBinarizer(b *Build) (Func, error) {
	if err := mlCheckDType(b, 0, ir.MLNumericTypes...); err != nil {
		return nil, err
	}
	th := float64(b.Attrs().Float("threshold", 0))
	return func(c *Ctx, in []*ir.Tensor) error {
		x, err := mlTensor(c, in, 0, ir.MLNumericTypes...)
		if err != nil {
			return err
		}
		y, err := c.OutputUninit(0, x.DType, x.Shape)
		if err != nil {
			return err
		}
		switch d := x.Data.(type) {
		case []float32:
			mlBinarize(y.F32(), d, th)
		case []float64:
			mlBinarize(ir.Data[float64](y), d, th)
		case []int64:
			mlBinarize(y.I64(), d, th)
		case []int32:
			mlBinarize(ir.Data[int32](y), d, th)
		}
		return nil
	}, nil
}

func mlBinarize[T float32 | float64 | int64 | int32](dst, src []T, th float64) {
	for i, v := range src {
		dst[i] = 0
		if f := float64(v); f > th && !math.IsNaN(f) {
			dst[i] = 1
		}
	}
}
