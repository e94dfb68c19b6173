package kernels

import (
	"fmt"
	"math/rand"
	"reflect"
	"slices"
	"testing"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/isa"
)

// qtRun builds one node with the inputs marked in consts as constants
// (the exact float paths need constant weights) at level l and runs it
// on a parallel test pool.
func qtRun(op string, opset int64, attrs ir.Attrs, consts []int, l isa.Level, in ...*ir.Tensor) (*ir.Tensor, error) {
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
		if slices.Contains(consts, i) {
			v.Const = t
		}
		n.Inputs = append(n.Inputs, v)
		types = append(types, &v.Type)
	}
	n.Outputs = []*ir.Value{{Name: "out"}}
	if err := ir.InferNode(n); err != nil {
		return nil, fmt.Errorf("infer: %w", err)
	}
	f, err := BuildNode(&Build{Node: n, InTypes: types, Level: l})
	if err != nil {
		return nil, err
	}
	c := &Ctx{Outs: make([]*ir.Tensor, 1), Pool: testPool{3}, Node: n}
	if err := f(c, in); err != nil {
		return nil, err
	}
	return c.Outs[0], nil
}

// qtRand8 returns an 8-bit tensor of dtype dt with values drawn from
// [lo, hi] (clamped to the type's range).
func qtRand8(rng *rand.Rand, dt ir.DType, lo, hi int, shape ...int64) *ir.Tensor {
	n := nnProd(shape)
	if dt == ir.Int8 {
		d := make([]int8, n)
		for i := range d {
			d[i] = int8(max(-128, min(127, lo+rng.Intn(hi-lo+1))))
		}
		return ir.FromSlice(d, shape...)
	}
	d := make([]uint8, n)
	for i := range d {
		d[i] = uint8(max(0, min(255, lo+rng.Intn(hi-lo+1))))
	}
	return ir.FromSlice(d, shape...)
}

// qtLevels are the levels the exact paths are tested at.
func qtLevels() []isa.Level {
	if isa.Current() == isa.Generic {
		return []isa.Level{isa.Generic}
	}
	return []isa.Level{isa.Generic, isa.Current()}
}

// TestQExactChunks: every chunk keeps 255·Σ|w| below 2^24 for each row,
// and the chunks cover the taps in order.
func TestQExactChunks(t *testing.T) {
	rows, k := 3, 1000
	w := make([]float32, rows*k)
	for i := range w {
		w[i] = float32(255 - 2*(i%256))
	}
	b := qExactChunks(w, rows, k, k, 1)
	if b[0] != 0 || b[len(b)-1] != k || len(b) < 3 {
		t.Fatalf("chunks %v", b)
	}
	for i := 0; i+1 < len(b); i++ {
		if b[i+1] <= b[i] {
			t.Fatalf("empty chunk in %v", b)
		}
		for r := range rows {
			s := 0.0
			for p := b[i]; p < b[i+1]; p++ {
				s += 255 * float64(max(w[r*k+p], -w[r*k+p]))
			}
			if s >= qExactLimit {
				t.Fatalf("chunk %d of %v: row %d bound %v", i, b, r, s)
			}
		}
	}
	if got := qExactChunks(w[:0], 0, 0, 0, 1); !slices.Equal(got, []int{0, 0}) {
		t.Fatalf("no taps: %v", got)
	}
}

// TestConvIntegerExact compares ConvInteger with constant weights (the
// exact float path) with the generic int32 loops (the same node with
// computed weights), over dtypes, zero points, geometry and weights large
// enough to need several tap chunks; inputs stay unmodified.
func TestConvIntegerExact(t *testing.T) {
	rng := rand.New(rand.NewSource(11))
	type tc struct {
		name      string
		xdt, wdt  ir.DType
		xs, ws    []int64
		attrs     ir.Attrs
		wlo, whi  int
		wzPerChan bool
		noZeroPts bool
	}
	cases := []tc{
		{"u8u8 3x3 pad", ir.Uint8, ir.Uint8, []int64{1, 4, 9, 7}, []int64{6, 4, 3, 3}, nntAttrs("pads", []int64{1, 1, 1, 1}), 0, 255, false, false},
		{"u8s8 stride2", ir.Uint8, ir.Int8, []int64{2, 3, 11, 10}, []int64{5, 3, 3, 3}, nntAttrs("pads", []int64{1, 0, 1, 2}, "strides", []int64{2, 2}), -128, 127, true, false},
		{"s8s8 dil group", ir.Int8, ir.Int8, []int64{1, 6, 8, 8}, []int64{4, 3, 3, 2}, nntAttrs("dilations", []int64{2, 1}, "group", 2), -128, 127, false, false},
		{"u8 1x1", ir.Uint8, ir.Uint8, []int64{1, 5, 4, 6}, []int64{7, 5, 1, 1}, nil, 0, 255, false, true},
		{"u8 1d", ir.Uint8, ir.Int8, []int64{1, 3, 17}, []int64{4, 3, 5}, nntAttrs("pads", []int64{2, 2}), -128, 127, true, false},
		{"u8 chunks", ir.Uint8, ir.Uint8, []int64{1, 40, 6, 6}, []int64{3, 40, 3, 3}, nntAttrs("pads", []int64{1, 1, 1, 1}), 255, 255, false, true},
		{"s8 chunks per-chan", ir.Int8, ir.Int8, []int64{1, 64, 5, 5}, []int64{4, 64, 3, 3}, nntAttrs("pads", []int64{1, 1, 1, 1}), -128, -128, true, false},
		{"empty batch", ir.Uint8, ir.Uint8, []int64{0, 2, 4, 4}, []int64{3, 2, 3, 3}, nil, 0, 255, false, false},
	}
	for _, c := range cases {
		for _, l := range qtLevels() {
			t.Run(fmt.Sprintf("%s/%v", c.name, l), func(t *testing.T) {
				x := qtRand8(rng, c.xdt, -128, 255, c.xs...)
				w := qtRand8(rng, c.wdt, c.wlo, c.whi, c.ws...)
				in := []*ir.Tensor{x, w}
				if !c.noZeroPts {
					xz := qtRand8(rng, c.xdt, -128, 255)
					var wz *ir.Tensor
					if c.wzPerChan {
						wz = qtRand8(rng, c.wdt, -128, 255, c.ws[0])
					} else {
						wz = qtRand8(rng, c.wdt, -128, 255)
					}
					if c.wlo == c.whi { // extreme weights: zero point at the other end
						if c.wdt == ir.Int8 {
							wz = ir.FromSlice(slices.Repeat([]int8{127}, int(wz.Len())), wz.Shape...)
						}
					}
					in = append(in, xz, wz)
				}
				keep := make([]*ir.Tensor, len(in))
				for i, v := range in {
					keep[i] = v.Clone()
				}
				want, err := qtRun("ConvInteger", 10, c.attrs, nil, l, in...)
				if err != nil {
					t.Fatal(err)
				}
				got, err := qtRun("ConvInteger", 10, c.attrs, []int{1, 3}, l, in...)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(got.Shape, want.Shape) || !slices.Equal(got.Data.([]int32), want.Data.([]int32)) {
					t.Fatalf("exact path differs from the int32 loops")
				}
				for i := range in {
					if !reflect.DeepEqual(in[i].Data, keep[i].Data) {
						t.Fatalf("input %d modified", i)
					}
				}
			})
		}
	}
}

// TestMatMulIntegerExact compares MatMulInteger with a constant B (the
// exact float path) with the generic int32 loops, over ranks of A, zero
// points per tensor, per row and per column, and K large enough to need
// several chunks; inputs stay unmodified.
func TestMatMulIntegerExact(t *testing.T) {
	defer qForceLoops()()
	rng := rand.New(rand.NewSource(12))
	type tc struct {
		name     string
		adt, bdt ir.DType
		as       []int64
		k, n     int64
		blo, bhi int
		azRows   int64 // 0: scalar a zero point, else its length
		bzCols   bool
	}
	cases := []tc{
		{"u8u8 2d", ir.Uint8, ir.Uint8, []int64{5, 7}, 7, 9, 0, 255, 0, false},
		{"u8s8 3d per-col", ir.Uint8, ir.Int8, []int64{2, 3, 20}, 20, 6, -128, 127, 0, true},
		{"s8s8 per-row", ir.Int8, ir.Int8, []int64{4, 33}, 33, 70, -128, 127, 4, true},
		{"u8 rank1", ir.Uint8, ir.Int8, []int64{16}, 16, 3, -128, 127, 0, false},
		{"u8 chunks", ir.Uint8, ir.Uint8, []int64{3, 600}, 600, 5, 255, 255, 0, false},
		{"u8 empty rows", ir.Uint8, ir.Uint8, []int64{0, 8}, 8, 4, 0, 255, 0, false},
	}
	for _, c := range cases {
		for _, l := range qtLevels() {
			t.Run(fmt.Sprintf("%s/%v", c.name, l), func(t *testing.T) {
				a := qtRand8(rng, c.adt, -128, 255, c.as...)
				b := qtRand8(rng, c.bdt, c.blo, c.bhi, c.k, c.n)
				az := qtRand8(rng, c.adt, -128, 255)
				if c.azRows > 0 {
					az = qtRand8(rng, c.adt, -128, 255, c.azRows)
				}
				bz := qtRand8(rng, c.bdt, -128, 255)
				if c.bzCols {
					bz = qtRand8(rng, c.bdt, -128, 255, c.n)
				}
				if c.blo == c.bhi {
					bz = qtRand8(rng, c.bdt, 0, 0)
				}
				in := []*ir.Tensor{a, b, az, bz}
				keep := make([]*ir.Tensor, len(in))
				for i, v := range in {
					keep[i] = v.Clone()
				}
				want, err := qtRun("MatMulInteger", 10, nil, nil, l, in...)
				if err != nil {
					t.Fatal(err)
				}
				got, err := qtRun("MatMulInteger", 10, nil, []int{1, 3}, l, in...)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(got.Shape, want.Shape) || !slices.Equal(got.Data.([]int32), want.Data.([]int32)) {
					t.Fatalf("exact path differs from the int32 loops: shape %v vs %v", got.Shape, want.Shape)
				}
				for i := range in {
					if !reflect.DeepEqual(in[i].Data, keep[i].Data) {
						t.Fatalf("input %d modified", i)
					}
				}
			})
		}
	}
}

// TestQLinearConvExact compares QLinearConv with constant weights (the
// exact float accumulator) with the generic loops, with a bias and
// per-channel weight scales and zero points.
func TestQLinearConvExact(t *testing.T) {
	rng := rand.New(rand.NewSource(13))
	for _, dt := range []ir.DType{ir.Uint8, ir.Int8} {
		for _, l := range qtLevels() {
			xs, ws := []int64{2, 6, 9, 8}, []int64{4, 3, 3, 3}
			attrs := nntAttrs("pads", []int64{1, 1, 0, 1}, "group", 2)
			x := qtRand8(rng, dt, -128, 255, xs...)
			w := qtRand8(rng, ir.Int8, -128, 127, ws...)
			wsc := make([]float32, 4)
			for i := range wsc {
				wsc[i] = 0.001 + 0.002*float32(i)
			}
			bias := make([]int32, 4)
			for i := range bias {
				bias[i] = int32(rng.Intn(2001) - 1000)
			}
			in := []*ir.Tensor{x, ir.Scalar(float32(0.05)), qtRand8(rng, dt, -128, 255), w, ir.FromSlice(wsc, 4),
				qtRand8(rng, ir.Int8, -5, 5, 4), ir.Scalar(float32(0.02)), qtRand8(rng, dt, -128, 255), ir.FromSlice(bias, 4)}
			want, err := qtRun("QLinearConv", 10, attrs, nil, l, in...)
			if err != nil {
				t.Fatal(err)
			}
			got, err := qtRun("QLinearConv", 10, attrs, []int{3, 5, 8}, l, in...)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got.Data, want.Data) || !slices.Equal(got.Shape, want.Shape) {
				t.Fatalf("%v/%v: exact path differs from the int32 loops", dt, l)
			}
		}
	}
}

// TestQLinearMatMulExact compares QLinearMatMul with a constant B (the
// exact float accumulator) with the generic loops, per-tensor and
// per-column b scales, uint8 and int8.
func TestQLinearMatMulExact(t *testing.T) {
	defer qForceLoops()()
	rng := rand.New(rand.NewSource(14))
	for _, dt := range []ir.DType{ir.Uint8, ir.Int8} {
		for _, perCol := range []bool{false, true} {
			for _, l := range qtLevels() {
				a := qtRand8(rng, dt, -128, 255, 2, 5, 30)
				b := qtRand8(rng, dt, -128, 255, 30, 7)
				bs := ir.Scalar(float32(0.003))
				bz := qtRand8(rng, dt, -128, 255)
				if perCol {
					v := make([]float32, 7)
					for i := range v {
						v[i] = 0.001 * float32(i+1)
					}
					bs, bz = ir.FromSlice(v, 7), qtRand8(rng, dt, -128, 255, 7)
				}
				in := []*ir.Tensor{a, ir.Scalar(float32(0.02)), qtRand8(rng, dt, -128, 255), b, bs, bz,
					ir.Scalar(float32(0.01)), qtRand8(rng, dt, -128, 255)}
				want, err := qtRun("QLinearMatMul", 10, nil, nil, l, in...)
				if err != nil {
					t.Fatal(err)
				}
				got, err := qtRun("QLinearMatMul", 10, nil, []int{3, 5}, l, in...)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got.Data, want.Data) || !slices.Equal(got.Shape, want.Shape) {
					t.Fatalf("%v per-column %v: exact path differs from the int32 loops", dt, perCol)
				}
			}
		}
	}
}
