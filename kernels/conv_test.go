package kernels

import (
	"fmt"
	"math"
	"math/rand"
	"testing"

	"github.com/nncc/nncc/ir"
)

// nntRun infers and runs one node of the NN group on a parallel test pool,
// checking that every inferred known shape matches the produced one.
func nntRun(op string, opset int64, attrs ir.Attrs, nOut int, in ...*ir.Tensor) ([]*ir.Tensor, error) {
	return nntRunOn(testPool{3}, op, opset, attrs, nOut, in...)
}

// nntRunOn is nntRun on the given pool.
func nntRunOn(pool Pool, op string, opset int64, attrs ir.Attrs, nOut int, in ...*ir.Tensor) ([]*ir.Tensor, error) {
	n := &ir.Node{Name: "n", Op: op, Opset: opset, Attrs: attrs}
	if n.Attrs == nil {
		n.Attrs = ir.Attrs{}
	}
	for k, a := range n.Attrs {
		a.Name = k
	}
	var types []*ir.Type
	for i, t := range in {
		if t == nil {
			n.Inputs = append(n.Inputs, nil)
			types = append(types, nil)
			continue
		}
		v := &ir.Value{Name: fmt.Sprint("in", i), Type: ir.TypeOfTensor(t)}
		n.Inputs = append(n.Inputs, v)
		types = append(types, &v.Type)
	}
	for i := range nOut {
		n.Outputs = append(n.Outputs, &ir.Value{Name: fmt.Sprint("out", i)})
	}
	if err := ir.InferNode(n); err != nil {
		return nil, fmt.Errorf("infer: %w", err)
	}
	f, err := BuildNode(&Build{Node: n, InTypes: types})
	if err != nil {
		return nil, err
	}
	c := &Ctx{Outs: make([]*ir.Tensor, nOut), Pool: pool, Node: n}
	if err := f(c, in); err != nil {
		return nil, err
	}
	for i, o := range c.Outs {
		if o == nil {
			continue
		}
		typ := n.Outputs[i].Type
		if typ.DType != o.DType {
			return nil, fmt.Errorf("output %d: inferred dtype %v, got %v", i, typ.DType, o.DType)
		}
		if typ.RankKnown {
			if len(typ.Shape) != len(o.Shape) {
				return nil, fmt.Errorf("output %d: inferred shape %v, got %v", i, typ.Shape, o.Shape)
			}
			for d, dim := range typ.Shape {
				if dim.Known() && dim.Size != o.Shape[d] {
					return nil, fmt.Errorf("output %d: inferred shape %v, got %v", i, typ.Shape, o.Shape)
				}
			}
		}
	}
	return c.Outs, nil
}

func nntAttrs(kv ...any) ir.Attrs {
	a := ir.Attrs{}
	for i := 0; i < len(kv); i += 2 {
		name := kv[i].(string)
		switch v := kv[i+1].(type) {
		case int:
			a.SetInt(name, int64(v))
		case float64:
			a.SetFloat(name, float32(v))
		case string:
			a.SetString(name, v)
		case []int64:
			a.SetInts(name, v)
		case []string:
			a[name] = &ir.Attr{Name: name, Kind: ir.AttrStrings, Strings: v}
		case []float32:
			a[name] = &ir.Attr{Name: name, Kind: ir.AttrFloats, Floats: v}
		default:
			panic(fmt.Sprintf("nntAttrs: %T", v))
		}
	}
	return a
}

func nntRand(rng *rand.Rand, shape ...int64) *ir.Tensor {
	t := ir.NewTensor(ir.Float32, shape)
	for i := range t.F32() {
		t.F32()[i] = rng.Float32()*2 - 1
	}
	return t
}

func nntClose(t *testing.T, name string, got, want []float32, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", name, len(got), len(want))
	}
	for i := range got {
		if math.Abs(float64(got[i]-want[i])) > tol*(1+math.Abs(float64(want[i]))) {
			t.Fatalf("%s: element %d = %v, want %v", name, i, got[i], want[i])
		}
	}
}

// convDirect is the slow twin of Conv: the definition, one output at a
// time, over any number of spatial dims, with explicit pads.
func convDirect(x, w []float32, b []float32, xs, ws []int64, group int, strides, dil, pads, outSp []int64) []float32 {
	n, c, m := int(xs[0]), int(xs[1]), int(ws[0])
	nsp := len(xs) - 2
	cg, mg := c/group, m/group
	inSize, outSize, kSize := nnProd(xs[2:]), nnProd(outSp), nnProd(ws[2:])
	y := make([]float32, n*m*outSize)
	oi := make([]int64, nsp)
	ki := make([]int64, nsp)
	for b0 := range n {
		for mo := range m {
			gi := mo / mg
			clear(oi)
			for o := range outSize {
				var s float64
				if b != nil {
					s = float64(b[mo])
				}
				for cc := range cg {
					ci := gi*cg + cc
					clear(ki)
					for k := range kSize {
						off, ok := 0, true
						for a := range nsp {
							p := oi[a]*strides[a] - pads[a] + ki[a]*dil[a]
							if p < 0 || p >= xs[2+a] {
								ok = false
								break
							}
							off = off*int(xs[2+a]) + int(p)
						}
						if ok {
							s += float64(x[(b0*c+ci)*inSize+off]) * float64(w[(mo*cg+cc)*kSize+k])
						}
						nnIncIndex(ki, ws[2:])
					}
				}
				y[(b0*m+mo)*outSize+o] = float32(s)
				nnIncIndex(oi, outSp)
			}
		}
	}
	return y
}

func TestConvAgainstDirect(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	cases := []struct {
		name              string
		x, w              []int64
		group             int
		strides, dil, pad []int64
		autoPad           string
		bias              bool
	}{
		{"1d", []int64{2, 3, 11}, []int64{4, 3, 3}, 1, []int64{2}, []int64{1}, []int64{1, 2}, "", true},
		{"1d size1 pad2", []int64{1, 4, 1}, []int64{4, 4, 3}, 1, []int64{1}, []int64{1}, []int64{2, 2}, "", false},
		{"2d plain", []int64{1, 3, 8, 9}, []int64{5, 3, 3, 3}, 1, nil, nil, nil, "", true},
		{"2d pointwise", []int64{2, 6, 5, 5}, []int64{7, 6, 1, 1}, 1, nil, nil, nil, "", true},
		{"2d strided dilated", []int64{1, 2, 13, 12}, []int64{3, 2, 3, 2}, 1, []int64{2, 3}, []int64{2, 1}, []int64{1, 0, 2, 1}, "", false},
		{"2d groups", []int64{2, 4, 7, 7}, []int64{6, 2, 3, 3}, 2, []int64{1, 1}, nil, []int64{1, 1, 1, 1}, "", true},
		{"2d depthwise", []int64{1, 5, 9, 9}, []int64{10, 1, 3, 3}, 5, []int64{2, 2}, nil, []int64{1, 1, 1, 1}, "", true},
		{"2d same_upper", []int64{1, 2, 7, 6}, []int64{3, 2, 4, 3}, 1, []int64{2, 2}, nil, nil, "SAME_UPPER", false},
		{"2d same_lower", []int64{1, 2, 7, 6}, []int64{3, 2, 4, 3}, 1, []int64{2, 1}, nil, nil, "SAME_LOWER", false},
		{"2d valid", []int64{1, 2, 7, 6}, []int64{3, 2, 3, 3}, 1, []int64{2, 1}, nil, nil, "VALID", true},
		{"3d", []int64{1, 2, 5, 6, 4}, []int64{3, 2, 2, 3, 2}, 1, []int64{1, 2, 1}, []int64{2, 1, 1}, []int64{1, 0, 1, 0, 1, 1}, "", true},
		{"2d big", []int64{2, 16, 20, 20}, []int64{32, 16, 3, 3}, 1, nil, nil, []int64{1, 1, 1, 1}, "", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			nsp := len(tc.x) - 2
			a := ir.Attrs{}
			if tc.group != 1 {
				a.SetInt("group", int64(tc.group))
			}
			if tc.strides != nil {
				a.SetInts("strides", tc.strides)
			}
			if tc.dil != nil {
				a.SetInts("dilations", tc.dil)
			}
			if tc.pad != nil {
				a.SetInts("pads", tc.pad)
			}
			if tc.autoPad != "" {
				a.SetString("auto_pad", tc.autoPad)
			}
			x, w := nntRand(rng, tc.x...), nntRand(rng, tc.w...)
			in := []*ir.Tensor{x, w}
			var bias []float32
			if tc.bias {
				bt := nntRand(rng, tc.w[0])
				in = append(in, bt)
				bias = bt.F32()
			}
			outs, err := nntRun("Conv", 22, a, 1, in...)
			if err != nil {
				t.Fatal(err)
			}
			wa, err := ir.ParseWindowAttrs(a, nsp, tc.w[2:])
			if err != nil {
				t.Fatal(err)
			}
			outSp := make([]int64, nsp)
			pads := make([]int64, nsp)
			for i := range nsp {
				outSp[i], pads[i], _, _ = wa.Axis(i, tc.x[2+i])
			}
			want := convDirect(x.F32(), w.F32(), bias, tc.x, tc.w, tc.group, wa.Strides, wa.Dilations, pads, outSp)
			nntClose(t, tc.name, outs[0].F32(), want, 1e-4)

			// float64 and float16 run the portable paths.
			x64 := &ir.Tensor{DType: ir.Float64, Shape: x.Shape, Data: nnConvertSlice[float32, float64](x.F32())}
			w64 := &ir.Tensor{DType: ir.Float64, Shape: w.Shape, Data: nnConvertSlice[float32, float64](w.F32())}
			in64 := []*ir.Tensor{x64, w64}
			if tc.bias {
				in64 = append(in64, &ir.Tensor{DType: ir.Float64, Shape: in[2].Shape, Data: nnConvertSlice[float32, float64](bias)})
			}
			outs, err = nntRun("Conv", 22, a, 1, in64...)
			if err != nil {
				t.Fatal(err)
			}
			nntClose(t, tc.name+" f64", nnConvertSlice[float64, float32](outs[0].Data.([]float64)), want, 1e-5)
		})
	}
}

func TestConvErrors(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	bad := []struct {
		name  string
		attrs ir.Attrs
		x, w  []int64
	}{
		{"channel mismatch", nil, []int64{1, 3, 5, 5}, []int64{2, 2, 3, 3}},
		{"kernel too big", nil, []int64{1, 1, 2, 2}, []int64{1, 1, 3, 3}},
		{"bad auto_pad", nntAttrs("auto_pad", "SAME"), []int64{1, 1, 5, 5}, []int64{1, 1, 3, 3}},
		{"bad group", nntAttrs("group", 2), []int64{1, 3, 5, 5}, []int64{2, 1, 3, 3}},
	}
	for _, tc := range bad {
		if _, err := nntRun("Conv", 22, tc.attrs, 1, nntRand(rng, tc.x...), nntRand(rng, tc.w...)); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}

func TestConvTransposeShapes(t *testing.T) {
	rng := rand.New(rand.NewSource(4))
	cases := []struct {
		name  string
		attrs ir.Attrs
		x, w  []int64
		want  []int64
	}{
		{"default", nil, []int64{1, 1, 3, 3}, []int64{1, 2, 3, 3}, []int64{1, 2, 5, 5}},
		{"strides pads", nntAttrs("strides", []int64{3, 2}, "pads", []int64{1, 2, 1, 2}), []int64{1, 1, 3, 3}, []int64{1, 2, 3, 3}, []int64{1, 2, 7, 3}},
		{"output_shape larger", nntAttrs("strides", []int64{3, 2}, "output_shape", []int64{10, 8}), []int64{1, 1, 3, 3}, []int64{1, 2, 3, 3}, []int64{1, 2, 10, 8}},
		{"output_padding", nntAttrs("strides", []int64{3, 2}, "output_padding", []int64{1, 1}), []int64{1, 1, 3, 3}, []int64{1, 2, 3, 3}, []int64{1, 2, 10, 8}},
		{"same_upper", nntAttrs("strides", []int64{2, 2}, "auto_pad", "SAME_UPPER"), []int64{1, 1, 3, 3}, []int64{1, 2, 3, 3}, []int64{1, 2, 6, 6}},
		{"group", nntAttrs("group", 2), []int64{1, 4, 3, 3}, []int64{4, 3, 3, 3}, []int64{1, 6, 5, 5}},
	}
	for _, tc := range cases {
		outs, err := nntRun("ConvTranspose", 22, tc.attrs, 1, nntRand(rng, tc.x...), nntRand(rng, tc.w...))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if !sameShape(outs[0].Shape, tc.want) {
			t.Errorf("%s: shape %v, want %v", tc.name, outs[0].Shape, tc.want)
		}
	}
}

func TestConvTransposeValues(t *testing.T) {
	// 1-D, stride 2: y[i*2+k] += x[i]*w[k].
	x := ir.FromSlice([]float32{1, 2, 3}, 1, 1, 3)
	w := ir.FromSlice([]float32{1, 10, 100}, 1, 1, 3)
	outs, err := nntRun("ConvTranspose", 22, nntAttrs("strides", []int64{2}), 1, x, w)
	if err != nil {
		t.Fatal(err)
	}
	nntClose(t, "convtranspose 1d", outs[0].F32(), []float32{1, 10, 102, 20, 203, 30, 300}, 0)
}

func BenchmarkConv3x3(b *testing.B) {
	rng := rand.New(rand.NewSource(5))
	x, w := nntRand(rng, 2, 32, 28, 28), nntRand(rng, 64, 32, 3, 3)
	n := &ir.Node{Name: "c", Op: "Conv", Opset: 22, Attrs: nntAttrs("pads", []int64{1, 1, 1, 1})}
	f, err := BuildNode(&Build{Node: n})
	if err != nil {
		b.Fatal(err)
	}
	c := &Ctx{Outs: make([]*ir.Tensor, 1), Pool: Serial{}}
	b.SetBytes(2 * 2 * 64 * 28 * 28 * 32 * 9)
	for b.Loop() {
		if err := f(c, []*ir.Tensor{x, w}); err != nil {
			b.Fatal(err)
		}
	}
}
