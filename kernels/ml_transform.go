package kernels

import (
	"math"

	"github.com/nncc/nncc/ir"
)

// ai.onnx.ml Scaler, Normalizer, Imputer, FeatureVectorizer, OneHotEncoder
// and CategoryMapper.

func init() {
	Register(ir.MLDomain, "Scaler", buildScaler)
	Register(ir.MLDomain, "Normalizer", buildNormalizer)
	Register(ir.MLDomain, "Imputer", buildImputer)
	Register(ir.MLDomain, "FeatureVectorizer", buildFeatureVectorizer)
	Register(ir.MLDomain, "OneHotEncoder", buildOneHotEncoder)
	Register(ir.MLDomain, "CategoryMapper", buildCategoryMapper)
}

// mlPerFeature returns v[j] for feature j of a per-feature list of length
// F or 1.
func mlPerFeature[T any](v []T, j int) T {
	if len(v) == 1 {
		return v[0]
	}
	return v[j]
}

// buildScaler: Y = (X - offset) · scale, as floats; offset and scale hold
// one value per feature (the last dim) or one for all.
func buildScaler(b *Build) (Func, error) {
	a := b.Attrs()
	offset, scale := a.Floats("offset", []float32{0}), a.Floats("scale", []float32{1})
	if len(offset) == 0 || len(scale) == 0 {
		return nil, b.Errorf("offset and scale must not be empty")
	}
	if err := mlCheckDType(b, 0, ir.MLNumericTypes...); err != nil {
		return nil, err
	}
	return func(c *Ctx, in []*ir.Tensor) error {
		x, err := mlTensor(c, in, 0, ir.MLNumericTypes...)
		if err != nil {
			return err
		}
		f := 1
		if x.Rank() > 0 {
			f = int(x.Shape[x.Rank()-1])
		}
		for _, l := range []int{len(offset), len(scale)} {
			if l != 1 && l != f {
				return c.Errorf("offset/scale have %d values for %d features", l, f)
			}
		}
		y, err := c.OutputUninit(0, ir.Float32, x.Shape)
		if err != nil {
			return err
		}
		ys := y.F32()
		for i := range ys {
			j := 0
			if f > 0 {
				j = i % f
			}
			ys[i] = float32((x.Float64At(i) - float64(mlPerFeature(offset, j))) * float64(mlPerFeature(scale, j)))
		}
		return nil
	}, nil
}

// buildNormalizer scales each row of X ([N, C] or [C]) to floats:
// MAX divides by max|x|, L1 by Σ|x|, L2 by sqrt(Σx²) (the sign of x kept);
// a zero divisor leaves the row unchanged.
func buildNormalizer(b *Build) (Func, error) {
	norm := b.Attrs().String("norm", "MAX")
	if norm != "MAX" && norm != "L1" && norm != "L2" {
		return nil, b.Errorf("norm %q must be MAX, L1 or L2", norm)
	}
	if err := mlCheckDType(b, 0, ir.MLNumericTypes...); err != nil {
		return nil, err
	}
	return func(c *Ctx, in []*ir.Tensor) error {
		x, err := mlTensor(c, in, 0, ir.MLNumericTypes...)
		if err != nil {
			return err
		}
		if x.Rank() != 1 && x.Rank() != 2 {
			return c.Errorf("input 0 must be [N, C] or [C], got shape %v", x.Shape)
		}
		cols := int(x.Shape[x.Rank()-1])
		y, err := c.OutputUninit(0, ir.Float32, x.Shape)
		if err != nil {
			return err
		}
		ys := y.F32()
		for r := 0; cols > 0 && r < len(ys)/cols; r++ {
			d := 0.0
			for j := 0; j < cols; j++ {
				v := x.Float64At(r*cols + j)
				switch norm {
				case "MAX":
					d = max(d, math.Abs(v))
				case "L1":
					d += math.Abs(v)
				case "L2":
					d += v * v
				}
			}
			if norm == "L2" {
				d = math.Sqrt(d)
			}
			if d == 0 {
				d = 1
			}
			for j := 0; j < cols; j++ {
				ys[r*cols+j] = float32(x.Float64At(r*cols+j) / d)
			}
		}
		return nil
	}, nil
}

// buildImputer replaces elements equal to the replaced value (NaN matching
// NaN) by the imputed value of their feature (last dim) or the single one.
func buildImputer(b *Build) (Func, error) {
	a := b.Attrs()
	floats, ints := a.Floats("imputed_value_floats", nil), a.Ints("imputed_value_int64s", nil)
	if (len(floats) > 0) == (len(ints) > 0) {
		return nil, b.Errorf("exactly one of imputed_value_floats and imputed_value_int64s must be set")
	}
	repF := float64(a.Float("replaced_value_float", 0))
	repI := a.Int("replaced_value_int64", 0)
	if err := mlCheckDType(b, 0, ir.MLNumericTypes...); err != nil {
		return nil, err
	}
	return func(c *Ctx, in []*ir.Tensor) error {
		x, err := mlTensor(c, in, 0, ir.MLNumericTypes...)
		if err != nil {
			return err
		}
		isFloat := x.DType == ir.Float32 || x.DType == ir.Float64
		if isFloat != (len(floats) > 0) {
			return c.Errorf("input 0 has dtype %v but the imputed values are of the other kind", x.DType)
		}
		f := 1
		if x.Rank() > 0 {
			f = int(x.Shape[x.Rank()-1])
		}
		if n := max(len(floats), len(ints)); n != 1 && n != f {
			return c.Errorf("%d imputed values for %d features", n, f)
		}
		y, err := c.OutputUninit(0, x.DType, x.Shape)
		if err != nil {
			return err
		}
		feat := func(i int) int {
			if f == 0 {
				return 0
			}
			return i % f
		}
		switch d := x.Data.(type) {
		case []float32:
			o := y.F32()
			for i, v := range d {
				o[i] = v
				if float64(v) == repF || (math.IsNaN(repF) && v != v) {
					o[i] = mlPerFeature(floats, feat(i))
				}
			}
		case []float64:
			o := ir.Data[float64](y)
			for i, v := range d {
				o[i] = v
				if v == repF || (math.IsNaN(repF) && v != v) {
					o[i] = float64(mlPerFeature(floats, feat(i)))
				}
			}
		case []int64:
			o := y.I64()
			for i, v := range d {
				o[i] = v
				if v == repI {
					o[i] = mlPerFeature(ints, feat(i))
				}
			}
		case []int32:
			o := ir.Data[int32](y)
			for i, v := range d {
				o[i] = v
				if int64(v) == repI {
					o[i] = int32(mlPerFeature(ints, feat(i)))
				}
			}
		}
		return nil
	}, nil
}

// buildFeatureVectorizer concatenates the inputs ([N, C] or [C] as [1, C])
// along the feature axis as floats, input i cut or zero-padded to
// inputdimensions[i] columns.
func buildFeatureVectorizer(b *Build) (Func, error) {
	dims := b.Attrs().Ints("inputdimensions", nil)
	if len(dims) != len(b.Node.Inputs) {
		return nil, b.Errorf("inputdimensions has %d entries for %d inputs", len(dims), len(b.Node.Inputs))
	}
	total := 0
	for _, d := range dims {
		if d < 0 {
			return nil, b.Errorf("inputdimensions has a negative entry")
		}
		total += int(d)
	}
	return func(c *Ctx, in []*ir.Tensor) error {
		rows := -1
		for i := range in {
			x, err := mlTensor(c, in, i, ir.MLNumericTypes...)
			if err != nil {
				return err
			}
			r := 1
			switch x.Rank() {
			case 1:
			case 2:
				r = int(x.Shape[0])
			default:
				return c.Errorf("input %d must be [N, C] or [C], got shape %v", i, x.Shape)
			}
			if rows >= 0 && r != rows {
				return c.Errorf("input %d has %d rows, expected %d", i, r, rows)
			}
			rows = r
		}
		y, err := c.Output(0, ir.Float32, []int64{int64(rows), int64(total)})
		if err != nil {
			return err
		}
		ys := y.F32()
		off := 0
		for i, x := range in {
			cols := int(x.Shape[x.Rank()-1])
			w := int(dims[i])
			for r := 0; r < rows; r++ {
				for j := 0; j < min(w, cols); j++ {
					ys[r*total+off+j] = float32(x.Float64At(r*cols + j))
				}
			}
			off += w
		}
		return nil
	}, nil
}

// buildOneHotEncoder: Y[..., k] = 1 where X[...] is the k-th category
// (numbers truncated to integers for cats_int64s); an unknown value gives a
// zero row, or an error when zeros is 0.
func buildOneHotEncoder(b *Build) (Func, error) {
	a := b.Attrs()
	ints, strs := a.Ints("cats_int64s", nil), a.Strings("cats_strings", nil)
	if (len(ints) > 0) == (len(strs) > 0) {
		return nil, b.Errorf("exactly one of cats_int64s and cats_strings must be set")
	}
	zeros := a.Int("zeros", 1) != 0
	intIdx, strIdx := map[int64]int{}, map[string]int{}
	for i, v := range ints {
		if _, dup := intIdx[v]; !dup {
			intIdx[v] = i
		}
	}
	for i, v := range strs {
		if _, dup := strIdx[v]; !dup {
			strIdx[v] = i
		}
	}
	n := len(ints) + len(strs)
	allowed := []ir.DType{ir.Int64, ir.Int32, ir.Float32, ir.Float64}
	if len(strs) > 0 {
		allowed = []ir.DType{ir.String}
	}
	if err := mlCheckDType(b, 0, allowed...); err != nil {
		return nil, err
	}
	return func(c *Ctx, in []*ir.Tensor) error {
		x, err := mlTensor(c, in, 0, allowed...)
		if err != nil {
			return err
		}
		y, err := c.Output(0, ir.Float32, append(append([]int64{}, x.Shape...), int64(n)))
		if err != nil {
			return err
		}
		ys := y.F32()
		for i := 0; i < x.Len(); i++ {
			var k int
			var ok bool
			if s, isStr := x.Data.([]string); isStr {
				k, ok = strIdx[s[i]]
			} else if v := x.Float64At(i); !math.IsNaN(v) {
				k, ok = intIdx[int64(v)]
			}
			if !ok {
				if !zeros {
					return c.Errorf("element %d of input 0 is not a known category", i)
				}
				continue
			}
			ys[i*n+k] = 1
		}
		return nil
	}, nil
}

// buildCategoryMapper maps strings to the integer at the same position of
// cats_int64s (default_int64 when absent) and integers to strings
// (default_string); the first occurrence of a repeated key wins.
func buildCategoryMapper(b *Build) (Func, error) {
	a := b.Attrs()
	ints, strs := a.Ints("cats_int64s", nil), a.Strings("cats_strings", nil)
	if len(ints) != len(strs) {
		return nil, b.Errorf("cats_int64s and cats_strings must have the same length")
	}
	toInt, toStr := map[string]int64{}, map[int64]string{}
	for i := range ints {
		if _, dup := toInt[strs[i]]; !dup {
			toInt[strs[i]] = ints[i]
		}
		if _, dup := toStr[ints[i]]; !dup {
			toStr[ints[i]] = strs[i]
		}
	}
	defInt, defStr := a.Int("default_int64", -1), a.String("default_string", "_Unused")
	if err := mlCheckDType(b, 0, ir.String, ir.Int64); err != nil {
		return nil, err
	}
	return func(c *Ctx, in []*ir.Tensor) error {
		x, err := mlTensor(c, in, 0, ir.String, ir.Int64)
		if err != nil {
			return err
		}
		if s, ok := x.Data.([]string); ok {
			y, err := c.OutputUninit(0, ir.Int64, x.Shape)
			if err != nil {
				return err
			}
			o := y.I64()
			for i, v := range s {
				if m, ok := toInt[v]; ok {
					o[i] = m
				} else {
					o[i] = defInt
				}
			}
			return nil
		}
		y, err := c.OutputUninit(0, ir.String, x.Shape)
		if err != nil {
			return err
		}
		o := ir.Data[string](y)
		for i, v := range x.I64() {
			if m, ok := toStr[v]; ok {
				o[i] = m
			} else {
				o[i] = defStr
			}
		}
		return nil
	}, nil
}
