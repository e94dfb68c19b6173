package kernels

import (
	"github.com/nncc/nncc/ir"
)

// ai.onnx.ml LinearRegressor and LinearClassifier.

func init() {
	Register(ir.MLDomain, "LinearRegressor", buildLinearRegressor)
	Register(ir.MLDomain, "LinearClassifier", buildLinearClassifier)
}

// mlPostTransforms maps the string post_transform values to the codes
// tePostTransform applies.
var mlPostTransforms = map[string]int64{"NONE": 0, "SOFTMAX": 1, "LOGISTIC": 2, "SOFTMAX_ZERO": 3, "PROBIT": 4}

// mlLinear computes scores[r, e] = Σ_f x[r, f]·coef[e·F + f] + intercept[e]
// for X [N, F] (or [F] as one row) and returns them with N.
func mlLinear(c *Ctx, x *ir.Tensor, coef, icpt []float32, e int) ([]float64, int, error) {
	if x.Rank() != 1 && x.Rank() != 2 {
		return nil, 0, c.Errorf("input 0 must be [N, F] or [F], got shape %v", x.Shape)
	}
	f := int(x.Shape[x.Rank()-1])
	n := 1
	if x.Rank() == 2 {
		n = int(x.Shape[0])
	}
	if e*f != len(coef) {
		return nil, 0, c.Errorf("%d coefficients do not make %d rows of %d features", len(coef), e, f)
	}
	if len(icpt) != 0 && len(icpt) != e {
		return nil, 0, c.Errorf("%d intercepts for %d outputs", len(icpt), e)
	}
	s := make([]float64, n*e)
	for r := 0; r < n; r++ {
		for k := 0; k < e; k++ {
			v := 0.0
			if len(icpt) > 0 {
				v = float64(icpt[k])
			}
			for j := 0; j < f; j++ {
				v += x.Float64At(r*f+j) * float64(coef[k*f+j])
			}
			s[r*e+k] = v
		}
	}
	return s, n, nil
}

// buildLinearRegressor: Y [N, targets] = post_transform(X·Wᵀ + b), W the
// coefficients as targets rows.
func buildLinearRegressor(b *Build) (Func, error) {
	a := b.Attrs()
	coef, icpt := a.Floats("coefficients", nil), a.Floats("intercepts", nil)
	targets := int(a.Int("targets", 1))
	if targets < 1 {
		return nil, b.Errorf("targets must be positive, got %d", targets)
	}
	post, ok := mlPostTransforms[a.String("post_transform", "NONE")]
	if !ok {
		return nil, b.Errorf("post_transform %q is not one of NONE, SOFTMAX, LOGISTIC, SOFTMAX_ZERO, PROBIT", a.String("post_transform", ""))
	}
	if err := mlCheckDType(b, 0, ir.MLNumericTypes...); err != nil {
		return nil, err
	}
	return func(c *Ctx, in []*ir.Tensor) error {
		x, err := mlTensor(c, in, 0, ir.MLNumericTypes...)
		if err != nil {
			return err
		}
		s, n, err := mlLinear(c, x, coef, icpt, targets)
		if err != nil {
			return err
		}
		for r := 0; r < n; r++ {
			tePostTransform(post, s[r*targets:(r+1)*targets])
		}
		y, err := c.OutputUninit(0, ir.Float32, []int64{int64(n), int64(targets)})
		if err != nil {
			return err
		}
		miscStore(y, s)
		return nil
	}, nil
}

// buildLinearClassifier: scores = post_transform(X·Wᵀ + b) with one row of
// W per class (a single row for two classes scores the second class, the
// first getting its negation). The label is the class of the highest score;
// with a single score column it is the first class when the score reaches
// the threshold (0, or 0.5 after a transform) and 0 / "" otherwise.
// multi_class does not change the computation.
func buildLinearClassifier(b *Build) (Func, error) {
	a := b.Attrs()
	coef, icpt := a.Floats("coefficients", nil), a.Floats("intercepts", nil)
	ints, strs := a.Ints("classlabels_ints", nil), a.Strings("classlabels_strings", nil)
	if (ints == nil) == (strs == nil) {
		return nil, b.Errorf("exactly one of classlabels_ints and classlabels_strings must be set")
	}
	classes := len(ints) + len(strs)
	postName := a.String("post_transform", "NONE")
	post, ok := mlPostTransforms[postName]
	if !ok {
		return nil, b.Errorf("post_transform %q is not one of NONE, SOFTMAX, LOGISTIC, SOFTMAX_ZERO, PROBIT", postName)
	}
	if err := mlCheckDType(b, 0, ir.MLNumericTypes...); err != nil {
		return nil, err
	}
	return func(c *Ctx, in []*ir.Tensor) error {
		x, err := mlTensor(c, in, 0, ir.MLNumericTypes...)
		if err != nil {
			return err
		}
		if x.Rank() == 0 {
			return c.Errorf("input 0 must be [N, F] or [F], got a scalar")
		}
		f := int(x.Shape[x.Rank()-1])
		if f == 0 || len(coef)%f != 0 {
			return c.Errorf("%d coefficients do not fit %d features", len(coef), f)
		}
		e := len(coef) / f
		s, n, err := mlLinear(c, x, coef, icpt, e)
		if err != nil {
			return err
		}
		if e == 1 && classes == 2 {
			two := make([]float64, 2*n)
			for r := 0; r < n; r++ {
				two[2*r], two[2*r+1] = -s[r], s[r]
			}
			s, e = two, 2
		}
		if e > 1 && e != classes {
			return c.Errorf("%d score columns for %d class labels", e, classes)
		}
		label := make([]int, n) // class index, -1 for "none"
		for r := 0; r < n; r++ {
			row := s[r*e : (r+1)*e]
			tePostTransform(post, row)
			if e > 1 {
				best := 0
				for k, v := range row {
					if v > row[best] {
						best = k
					}
				}
				label[r] = best
				continue
			}
			threshold := 0.5
			if post == 0 {
				threshold = 0
			}
			label[r] = -1
			if row[0] >= threshold {
				label[r] = 0
			}
		}
		if strs != nil {
			y, err := c.OutputUninit(0, ir.String, []int64{int64(n)})
			if err != nil {
				return err
			}
			o := ir.Data[string](y)
			for r, l := range label {
				o[r] = ""
				if l >= 0 {
					o[r] = strs[l]
				}
			}
		} else {
			y, err := c.OutputUninit(0, ir.Int64, []int64{int64(n)})
			if err != nil {
				return err
			}
			o := y.I64()
			for r, l := range label {
				o[r] = 0
				if l >= 0 {
					o[r] = ints[l]
				}
			}
		}
		z, err := c.OutputUninit(1, ir.Float32, []int64{int64(n), int64(e)})
		if err != nil {
			return err
		}
		miscStore(z, s)
		return nil
	}, nil
}
