package kernels

import (
	"math"

	"github.com/nncc/nncc/ir"
)

// ai.onnx.ml LabelEncoder.

func init() {
	Register(ir.MLDomain, "LabelEncoder", buildLabelEncoder)
}

// leTable maps keys to positions in a values tensor; -1 means the default.
type leTable struct {
	strs  map[string]int
	ints  map[int64]int
	flts  map[float64]int
	nan   int // position for NaN keys (-1: none)
	vals  *ir.Tensor
	deflt *ir.Tensor // one element
}

func (t *leTable) lookupAll(x *ir.Tensor) []int {
	pos := make([]int, x.Len())
	find := func(i int) int {
		switch d := x.Data.(type) {
		case []string:
			if p, ok := t.strs[d[i]]; ok {
				return p
			}
			return -1
		case []float32, []float64:
			f := x.Float64At(i)
			if math.IsNaN(f) {
				return t.nan
			}
			if p, ok := t.flts[f]; ok {
				return p
			}
			return -1
		}
		v := int64(x.Float64At(i))
		if d, ok := x.Data.([]int64); ok {
			v = d[i]
		}
		if p, ok := t.ints[v]; ok {
			return p
		}
		return -1
	}
	for i := range pos {
		pos[i] = find(i)
	}
	return pos
}

// buildLabelEncoder maps each element through keys → values. Opset 1
// maps strings to their index in classes_strings (default_int64 when
// absent) and integers to classes_strings[i] (default_string when out of
// range). Opset 2+ maps keys_*[i] to values_*[i], a repeated key taking the
// last value, NaN keys matching any NaN, and missing keys giving default_*.
func buildLabelEncoder(b *Build) (Func, error) {
	n := b.Node
	a := n.Attrs
	key, val, err := ir.LabelEncoderTypes(n, b.InDType(0))
	if err != nil {
		return nil, b.Errorf("%v", err)
	}
	t := &leTable{strs: map[string]int{}, ints: map[int64]int{}, flts: map[float64]int{}, nan: -1}
	if n.Opset == 1 {
		if key == ir.Undefined {
			return nil, b.Errorf("the input dtype must be known (string or int64)")
		}
		classes := a.Strings("classes_strings", nil)
		if key == ir.String {
			for i, s := range classes {
				if _, dup := t.strs[s]; !dup {
					t.strs[s] = i
				}
			}
			idx := make([]int64, len(classes))
			for i := range idx {
				idx[i] = int64(i)
			}
			t.vals = ir.FromSlice(idx)
			t.deflt = ir.FromSlice([]int64{a.Int("default_int64", -1)})
		} else {
			for i := range classes {
				t.ints[int64(i)] = i
			}
			t.vals = ir.FromSlice(append([]string{}, classes...))
			t.deflt = ir.FromSlice([]string{a.String("default_string", "_Unused")})
		}
	} else {
		keys, err := leAttrTensor(a, "keys")
		if err != nil {
			return nil, b.Errorf("%v", err)
		}
		vals, err := leAttrTensor(a, "values")
		if err != nil {
			return nil, b.Errorf("%v", err)
		}
		if keys.Len() != vals.Len() {
			return nil, b.Errorf("keys has %d entries but values has %d", keys.Len(), vals.Len())
		}
		t.vals = vals
		for i := 0; i < keys.Len(); i++ {
			switch d := keys.Data.(type) {
			case []string:
				t.strs[d[i]] = i
			case []float32, []float64:
				if f := keys.Float64At(i); math.IsNaN(f) {
					t.nan = i
				} else {
					t.flts[f] = i
				}
			case []int64:
				t.ints[d[i]] = i
			default:
				t.ints[int64(keys.Float64At(i))] = i
			}
		}
		if t.deflt, err = leDefault(a, val); err != nil {
			return nil, b.Errorf("%v", err)
		}
	}
	return func(c *Ctx, in []*ir.Tensor) error {
		x, err := mlTensor(c, in, 0, key)
		if err != nil {
			return err
		}
		y, err := c.OutputUninit(0, val, x.Shape)
		if err != nil {
			return err
		}
		pos := t.lookupAll(x)
		switch d := y.Data.(type) {
		case []string:
			leFill(d, ir.Data[string](t.vals), ir.Data[string](t.deflt)[0], pos)
		case []int64:
			leFill(d, ir.Data[int64](t.vals), ir.Data[int64](t.deflt)[0], pos)
		case []int32:
			leFill(d, ir.Data[int32](t.vals), ir.Data[int32](t.deflt)[0], pos)
		case []int16:
			leFill(d, ir.Data[int16](t.vals), ir.Data[int16](t.deflt)[0], pos)
		case []float32:
			leFill(d, ir.Data[float32](t.vals), ir.Data[float32](t.deflt)[0], pos)
		case []float64:
			leFill(d, ir.Data[float64](t.vals), ir.Data[float64](t.deflt)[0], pos)
		default:
			return c.Errorf("BUG: LabelEncoder output dtype %v", val)
		}
		return nil
	}, nil
}

func leFill[T any](dst, vals []T, def T, pos []int) {
	for i, p := range pos {
		if p < 0 {
			dst[i] = def
		} else {
			dst[i] = vals[p]
		}
	}
}

// leAttrTensor returns the keys_* or values_* attribute as a 1-D tensor.
func leAttrTensor(a ir.Attrs, prefix string) (*ir.Tensor, error) {
	switch {
	case a.Has(prefix + "_strings"):
		return ir.FromSlice(append([]string{}, a.Strings(prefix+"_strings", nil)...)), nil
	case a.Has(prefix + "_int64s"):
		return ir.FromSlice(append([]int64{}, a.Ints(prefix+"_int64s", nil)...)), nil
	case a.Has(prefix + "_floats"):
		return ir.FromSlice(append([]float32{}, a.Floats(prefix+"_floats", nil)...)), nil
	case a.Has(prefix + "_tensor"):
		t := a.Tensor(prefix + "_tensor")
		if t == nil || t.Kind != ir.KindTensor {
			return nil, errLE(prefix + "_tensor must be a tensor")
		}
		return t, nil
	}
	return nil, errLE("no " + prefix + "_* attribute is set")
}

// leDefault returns the default value for outputs of dtype val: the
// default_tensor attribute (which must hold one element of that dtype) or
// the default_* attribute of that type.
func leDefault(a ir.Attrs, val ir.DType) (*ir.Tensor, error) {
	if a.Has("default_tensor") {
		t := a.Tensor("default_tensor")
		if t == nil || t.Len() != 1 || t.DType != val {
			return nil, errLE("default_tensor must hold one " + val.String())
		}
		return t, nil
	}
	switch val {
	case ir.String:
		return ir.FromSlice([]string{a.String("default_string", "_Unused")}), nil
	case ir.Int64:
		return ir.FromSlice([]int64{a.Int("default_int64", -1)}), nil
	case ir.Int32:
		return ir.FromSlice([]int32{int32(a.Int("default_int64", -1))}), nil
	case ir.Int16:
		return ir.FromSlice([]int16{int16(a.Int("default_int64", -1))}), nil
	case ir.Float32:
		return ir.FromSlice([]float32{a.Float("default_float", float32(math.Copysign(0, -1)))}), nil
	case ir.Float64:
		return ir.FromSlice([]float64{float64(a.Float("default_float", float32(math.Copysign(0, -1))))}), nil
	}
	return nil, errLE("values have unsupported dtype " + val.String())
}

type errLE string

func (e errLE) Error() string { return string(e) }
