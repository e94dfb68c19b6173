package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/isa"
)

// quantRunLevel runs one quantization node built for ISA level l on pool.
func quantRunLevel(l isa.Level, pool Pool, op string, opset int64, attrs ir.Attrs, nOut int, in ...*ir.Tensor) ([]*ir.Tensor, error) {
	n := &ir.Node{Name: "n", Op: op, Opset: opset, Attrs: attrs}
	if n.Attrs == nil {
		n.Attrs = ir.Attrs{}
	}
	for k, a := range n.Attrs {
		a.Name = k
	}
	var types []*ir.Type
	for i, t := range in {
		v := &ir.Value{Name: fmt.Sprint("in", i), Type: ir.TypeOfTensor(t)}
		n.Inputs = append(n.Inputs, v)
		types = append(types, &v.Type)
	}
	for i := range nOut {
		n.Outputs = append(n.Outputs, &ir.Value{Name: fmt.Sprint("out", i)})
	}
	if err := ir.InferNode(n); err != nil {
		return nil, err
	}
	f, err := BuildNode(&Build{Node: n, InTypes: types, Level: l})
	if err != nil {
		return nil, err
	}
	c := &Ctx{Outs: make([]*ir.Tensor, nOut), Pool: pool, Node: n}
	if err := f(c, in); err != nil {
		return nil, err
	}
	return c.Outs, nil
}

// quantTestValues returns n values: normal ones around 0 at the scale
// given, exact ties of the quotient (k+0.5)*scale, values far outside
// the code range, and (when withSpecial) NaNs, infinities and -0.
func quantTestValues(r *rand.Rand, n int, scale float32, withSpecial bool) []float32 {
	xs := make([]float32, n)
	specials := []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.Copysign(0, -1))}
	for i := range xs {
		switch {
		case withSpecial && i%97 == 5:
			xs[i] = specials[(i/97)%len(specials)]
		case i%7 == 0:
			xs[i] = (float32(r.IntN(400)-200) + 0.5) * scale
		default:
			xs[i] = float32(r.NormFloat64()*60) * scale
		}
	}
	return xs
}

// quantWant is ONNX's quantization of one value computed in float64 from
// the float32 quotient: saturate(roundEven(x/scale) + zp), NaN to qmin.
func quantWant(x, scale float32, zp, qmin, qmax int32) int32 {
	q := x / scale
	if q != q {
		return qmin
	}
	return int32(math.Max(float64(qmin), math.Min(float64(qmax), math.RoundToEven(float64(q))+float64(zp))))
}

// TestQuantizeLinearFast quantizes float32 tensors to uint8 and int8,
// per tensor and per axis (runs long enough for the fast path and runs of
// one value, which take the general loop), with every ISA level, serial
// and split over a pool, against quantWant.
func TestQuantizeLinearFast(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 32))
	type tc struct {
		name  string
		shape []int64
		axis  int
		dt    ir.DType
	}
	cases := []tc{
		{"u8 tensor", []int64{3, 1001}, -1, ir.Uint8},
		{"s8 tensor", []int64{100003}, -1, ir.Int8},
		{"u8 axis0", []int64{5, 3, 17}, 0, ir.Uint8},
		{"s8 axis1", []int64{2, 4, 33}, 1, ir.Int8},
		{"s8 axis last", []int64{6, 9}, 1, ir.Int8},
	}
	for _, l := range isa.Supported() {
		for _, pool := range []Pool{Serial{}, testPool{3}} {
			for _, c := range cases {
				x := ir.FromSlice(quantTestValues(r, int(nnProd(c.shape)), 0.02, true), c.shape...)
				nScale := 1
				if c.axis >= 0 {
					nScale = int(c.shape[c.axis])
				}
				scales := make([]float32, nScale)
				zps := make([]int32, nScale)
				for i := range scales {
					scales[i] = 0.02 * float32(1+i)
					zps[i] = int32(r.IntN(200)) - 100
					if c.dt == ir.Uint8 {
						zps[i] += 100
					}
				}
				var st, zt *ir.Tensor
				if c.axis < 0 {
					st = ir.Scalar(scales[0])
				} else {
					st = ir.FromSlice(scales, int64(nScale))
				}
				if c.dt == ir.Uint8 {
					z := make([]uint8, nScale)
					for i := range z {
						z[i] = uint8(zps[i])
					}
					zt = &ir.Tensor{DType: ir.Uint8, Shape: st.Shape, Data: z}
				} else {
					z := make([]int8, nScale)
					for i := range z {
						z[i] = int8(zps[i])
					}
					zt = &ir.Tensor{DType: ir.Int8, Shape: st.Shape, Data: z}
				}
				attrs := ir.Attrs{}
				if c.axis >= 0 {
					attrs = nntAttrs("axis", c.axis)
				}
				outs, err := quantRunLevel(l, pool, "QuantizeLinear", 21, attrs, 1, x, st, zt)
				if err != nil {
					t.Fatal(err)
				}
				qmin, qmax, _, _ := quantByteRange(c.dt)
				inner := 1
				if c.axis >= 0 {
					inner = int(nnProd(c.shape[c.axis+1:]))
				}
				for i, v := range x.F32() {
					a := 0
					if c.axis >= 0 {
						a = (i / inner) % nScale
					}
					want := quantWant(v, scales[a], zps[a], qmin, qmax)
					var got int32
					if c.dt == ir.Uint8 {
						got = int32(outs[0].Data.([]uint8)[i])
					} else {
						got = int32(outs[0].Data.([]int8)[i])
					}
					if got != want {
						t.Fatalf("%v %T %s: y[%d] = %d, want %d (x %v scale %v zp %d)", l, pool, c.name, i, got, want, v, scales[a], zps[a])
					}
				}
			}
		}
	}
}

// TestDequantizeLinearFast dequantizes uint8 and int8 tensors per tensor
// and per axis with every ISA level, serial and split, bit for bit
// against (float32(q) - zp) * scale.
func TestDequantizeLinearFast(t *testing.T) {
	r := rand.New(rand.NewPCG(33, 34))
	for _, l := range isa.Supported() {
		for _, pool := range []Pool{Serial{}, testPool{3}} {
			for _, dt := range []ir.DType{ir.Uint8, ir.Int8} {
				for _, c := range []struct {
					shape []int64
					axis  int
				}{{[]int64{70001}, -1}, {[]int64{4, 3, 20}, 1}, {[]int64{8, 5}, 1}, {[]int64{17}, -1}} {
					n := int(nnProd(c.shape))
					nScale := 1
					if c.axis >= 0 {
						nScale = int(c.shape[c.axis])
					}
					scales := make([]float32, nScale)
					for i := range scales {
						scales[i] = float32(r.Float64()*0.1 + 1e-3)
					}
					raw := make([]uint8, n)
					zraw := make([]uint8, nScale)
					for i := range raw {
						raw[i] = uint8(r.Uint32())
					}
					for i := range zraw {
						zraw[i] = uint8(r.Uint32())
					}
					var x, zt *ir.Tensor
					zshape := []int64{}
					if c.axis >= 0 {
						zshape = []int64{int64(nScale)}
					}
					if dt == ir.Uint8 {
						x = &ir.Tensor{DType: dt, Shape: c.shape, Data: raw}
						zt = &ir.Tensor{DType: dt, Shape: zshape, Data: zraw}
					} else {
						s, z := make([]int8, n), make([]int8, nScale)
						for i := range s {
							s[i] = int8(raw[i])
						}
						for i := range z {
							z[i] = int8(zraw[i])
						}
						x = &ir.Tensor{DType: dt, Shape: c.shape, Data: s}
						zt = &ir.Tensor{DType: dt, Shape: zshape, Data: z}
					}
					st := &ir.Tensor{DType: ir.Float32, Shape: zshape, Data: scales}
					attrs := ir.Attrs{}
					if c.axis >= 0 {
						attrs = nntAttrs("axis", c.axis)
					}
					outs, err := quantRunLevel(l, pool, "DequantizeLinear", 21, attrs, 1, x, st, zt)
					if err != nil {
						t.Fatal(err)
					}
					xf, _ := nnReadF32(x)
					zf, _ := nnReadF32(zt)
					inner := 1
					if c.axis >= 0 {
						inner = int(nnProd(c.shape[c.axis+1:]))
					}
					for i, got := range outs[0].F32() {
						a := (i / inner) % nScale
						want := (xf[i] - zf[a]) * scales[a]
						if math.Float32bits(got) != math.Float32bits(want) {
							t.Fatalf("%v %T %v %v: y[%d] = %v, want %v", l, pool, dt, c.shape, i, got, want)
						}
					}
				}
			}
		}
	}
}

// TestDynamicQuantizeLinearLevels runs DynamicQuantizeLinear with every
// ISA level, serial and split, on inputs with NaNs, -0, mostly positive
// and mostly negative values, and checks scale, zero point and every code
// against the spec's formula with NaNs skipped by the range.
func TestDynamicQuantizeLinearLevels(t *testing.T) {
	r := rand.New(rand.NewPCG(35, 36))
	for _, l := range isa.Supported() {
		for _, pool := range []Pool{Serial{}, testPool{3}} {
			for _, n := range []int{0, 1, 15, 16, 17, 63, 65, 1000, quantParallelMin + 5, 200003} {
				for _, shift := range []float64{0, 5, -5} {
					xs := make([]float32, n)
					for i := range xs {
						xs[i] = float32(r.NormFloat64()*3 + shift)
						switch i % 101 {
						case 7:
							xs[i] = float32(math.NaN())
						case 9:
							xs[i] = float32(math.Copysign(0, -1))
						}
					}
					outs, err := quantRunLevel(l, pool, "DynamicQuantizeLinear", 11, nil, 3, ir.FromSlice(xs, int64(n)))
					if err != nil {
						t.Fatal(err)
					}
					var lo, hi float32
					for _, v := range xs {
						if v < lo {
							lo = v
						}
						if v > hi {
							hi = v
						}
					}
					rng := hi - lo
					if hi == lo {
						rng = 1
					}
					scale := rng / 255
					zp := int32(math.RoundToEven(float64(max(0, min(255, 0-lo/scale)))))
					if got := outs[1].F32()[0]; got != scale {
						t.Fatalf("%v n %d: scale %v, want %v", l, n, got, scale)
					}
					if got := outs[2].Data.([]uint8)[0]; int32(got) != zp {
						t.Fatalf("%v n %d: zero point %d, want %d", l, n, got, zp)
					}
					for i, v := range outs[0].Data.([]uint8) {
						if want := quantWant(xs[i], scale, zp, 0, 255); int32(v) != want {
							t.Fatalf("%v %T n %d: y[%d] = %d, want %d (x %v)", l, pool, n, i, v, want, xs[i])
						}
					}
				}
			}
		}
	}
}
