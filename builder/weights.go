package builder

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"reflect"

	"github.com/nncc/nncc/frontend/onnx"
	"github.com/nncc/nncc/ir"
)

// Weight adds a float32 weight called name (in the current scope; it must
// be unique) with values from init. Zero fans mean DefaultFans(shape).
// The values come from a random stream seeded by the builder's seed and
// the weight's full name.
func (b *Builder) Weight(name string, shape []int64, init Initializer, fans Fans) *Value {
	if b.st.err != nil {
		return b.invalid()
	}
	full := b.scoped(name)
	if _, dup := b.st.weights[full]; dup || b.st.valueNames[full] {
		b.fail(fmt.Errorf("weight name %q is already used", full))
		return b.invalid()
	}
	for _, d := range shape {
		if d < 0 {
			b.fail(fmt.Errorf("weight %q: negative dimension in %v", full, shape))
			return b.invalid()
		}
	}
	if init == nil {
		init = Zeros
	}
	if fans == (Fans{}) {
		fans = DefaultFans(shape)
	}
	data := init(b.weightRand(full), shape, fans)
	if len(data) != ir.NumElements(shape) {
		b.fail(fmt.Errorf("weight %q: initializer made %d values for shape %v", full, len(data), shape))
		return b.invalid()
	}
	t := &ir.Tensor{DType: ir.Float32, Shape: append([]int64{}, shape...), Data: data}
	b.st.valueNames[full] = true
	v := &ir.Value{Name: full, Type: ir.TypeOfTensor(t), Const: t}
	r := b.st.root
	r.g.Constants = append(r.g.Constants, v)
	b.st.weights[full] = v
	b.st.weightList = append(b.st.weightList, v)
	return b.wrap(v)
}

// weightRand returns the random stream of the weight called name.
func (b *Builder) weightRand(name string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(name))
	return rand.New(rand.NewPCG(b.st.seed, h.Sum64()))
}

// Weights returns the weights in the order they were added.
func (b *Builder) Weights() []*Value {
	out := make([]*Value, len(b.st.weightList))
	for i, v := range b.st.weightList {
		out[i] = b.st.root.wrap(v)
	}
	return out
}

// SetWeight replaces the values of the weight called name (its full name,
// e.g. "dense/kernel") with data, a slice of the weight's element type
// ([]float32) with as many elements. data is copied.
func (b *Builder) SetWeight(name string, data any) error {
	v, ok := b.st.weights[name]
	if !ok {
		return fmt.Errorf("builder: no weight called %q", name)
	}
	rv := reflect.ValueOf(data)
	if rv.Kind() != reflect.Slice {
		return fmt.Errorf("builder: SetWeight %q: %T is not a slice", name, data)
	}
	want := reflect.TypeOf(v.Const.Data)
	if rv.Type() != want {
		return fmt.Errorf("builder: SetWeight %q: got %T, the weight holds %v", name, data, want)
	}
	if rv.Len() != v.Const.Len() {
		return fmt.Errorf("builder: SetWeight %q: got %d values, shape %v needs %d", name, rv.Len(), v.Const.Shape, v.Const.Len())
	}
	v.Const = &ir.Tensor{DType: v.Const.DType, Shape: v.Const.Shape, Data: ir.CopySlice(data)}
	return nil
}

// LoadWeights copies into the builder's weights the constants of src with
// the same names; rename, when not nil, maps a weight's name to the name
// in src. Dtypes and shapes must match. It returns the names of the
// weights it set, and those it found no source for.
func (b *Builder) LoadWeights(src *ir.Graph, rename map[string]string) (loaded, missing []string, err error) {
	byName := map[string]*ir.Value{}
	for _, c := range src.Constants {
		byName[c.Name] = c
	}
	for _, v := range b.st.weightList {
		from := v.Name
		if r, ok := rename[from]; ok {
			from = r
		}
		c, ok := byName[from]
		if !ok || c.Const == nil {
			missing = append(missing, v.Name)
			continue
		}
		t := c.Const
		if t.Kind != ir.KindTensor || t.DType != v.Const.DType || !equalShape(t.Shape, v.Const.Shape) {
			return loaded, missing, fmt.Errorf("builder: weight %q is %v%v, %q in the source is %v%v",
				v.Name, v.Const.DType, v.Const.Shape, from, t.DType, t.Shape)
		}
		v.Const = t.Clone()
		loaded = append(loaded, v.Name)
	}
	return loaded, missing, nil
}

// LoadWeightsFile is LoadWeights from the initializers of an ONNX file.
func (b *Builder) LoadWeightsFile(path string, rename map[string]string) (loaded, missing []string, err error) {
	g, err := onnx.Load(path, onnx.SkipOpCheck())
	if err != nil {
		return nil, nil, err
	}
	return b.LoadWeights(g, rename)
}

func equalShape(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
