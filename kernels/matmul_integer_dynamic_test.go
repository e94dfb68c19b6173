package kernels

import (
	"fmt"
	"math/rand"
	"slices"
	"testing"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/isa"
)

// qForceLoops sends non-constant integer products to the generic int32
// loops until the returned function is called.
func qForceLoops() func() {
	old := qDynamicOff
	qDynamicOff = true
	return func() { qDynamicOff = old }
}

// TestMatMulIntegerDynamicMatchesLoops compares MatMulInteger and
// QLinearMatMul whose B is not a constant (the float32 SGEMM in exact
// chunks, matmul_integer_dynamic.go) with the generic int32 loops, bit for
// bit: uint8 and int8, batch broadcasting on either side, rank-1
// operands, K below, at and across the chunk size (qDynChunk) with
// operands at the extremes, and empty products.
func TestMatMulIntegerDynamicMatchesLoops(t *testing.T) {
	rng := rand.New(rand.NewSource(21))
	type tc struct {
		as, bs   []int64
		adt, bdt ir.DType
		lo, hi   int // value range of both operands
	}
	cases := []tc{
		{[]int64{5, 7}, []int64{7, 9}, ir.Uint8, ir.Uint8, 0, 255},
		{[]int64{2, 4, 3, 20}, []int64{20, 6}, ir.Uint8, ir.Int8, -128, 127},
		{[]int64{3, 20}, []int64{2, 20, 6}, ir.Int8, ir.Int8, -128, 127},
		{[]int64{2, 1, 4, 33}, []int64{3, 33, 5}, ir.Int8, ir.Uint8, -128, 255},
		{[]int64{16}, []int64{16, 3}, ir.Uint8, ir.Int8, -128, 127},
		{[]int64{4, 16}, []int64{16}, ir.Int8, ir.Int8, -128, 127},
		{[]int64{2, qDynChunk}, []int64{qDynChunk, 3}, ir.Uint8, ir.Uint8, 255, 255},
		{[]int64{2, qDynChunk + 1}, []int64{qDynChunk + 1, 3}, ir.Uint8, ir.Uint8, 255, 255},
		{[]int64{3, 700}, []int64{2, 700, 5}, ir.Int8, ir.Int8, -128, -128},
		{[]int64{0, 8}, []int64{8, 4}, ir.Uint8, ir.Uint8, 0, 255},
		{[]int64{3, 0}, []int64{0, 4}, ir.Uint8, ir.Uint8, 0, 255},
	}
	for ci, c := range cases {
		for _, l := range qtLevels() {
			name := fmt.Sprintf("case%d %v×%v %v/%v %v", ci, c.as, c.bs, c.adt, c.bdt, l)
			a := qtRand8(rng, c.adt, c.lo, c.hi, c.as...)
			b := qtRand8(rng, c.bdt, c.lo, c.hi, c.bs...)
			az := qtRand8(rng, c.adt, c.lo, c.hi)
			bz := qtRand8(rng, c.bdt, c.lo, c.hi)
			if c.lo == c.hi { // extremes: every product is 255² (255·255 or (-128-127)²)
				z := 0
				if c.adt == ir.Int8 {
					z = 127
				}
				az, bz = qtRand8(rng, c.adt, z, z), qtRand8(rng, c.bdt, z, z)
			}
			run := func(op string, in ...*ir.Tensor) (*ir.Tensor, *ir.Tensor) {
				t.Helper()
				got, err := qtRun(op, 10, nil, nil, l, in...)
				if err != nil {
					t.Fatalf("%s %s: %v", name, op, err)
				}
				restore := qForceLoops()
				want, err := qtRun(op, 10, nil, nil, l, in...)
				restore()
				if err != nil {
					t.Fatalf("%s %s (loops): %v", name, op, err)
				}
				return got, want
			}
			got, want := run("MatMulInteger", a, b, az, bz)
			if !slices.Equal(got.Shape, want.Shape) || !slices.Equal(got.Data.([]int32), want.Data.([]int32)) {
				t.Fatalf("%s: MatMulInteger differs from the int32 loops (shapes %v, %v)", name, got.Shape, want.Shape)
			}
			yz := qtRand8(rng, c.adt, -10, 10)
			got, want = run("QLinearMatMul", a, ir.Scalar(float32(0.03)), az, b, ir.Scalar(float32(0.02)), bz, ir.Scalar(float32(0.5)), yz)
			if !slices.Equal(got.Shape, want.Shape) || fmt.Sprint(got.Data) != fmt.Sprint(want.Data) {
				t.Fatalf("%s: QLinearMatMul differs from the int32 loops", name)
			}
		}
	}
}

// BenchmarkMatMulIntegerDynamic times a dynamically quantized attention
// product (uint8 [1,12,128,64] × int8 [1,12,64,128], both inputs
// activations) on the exact-chunk SGEMM path and on the int32 loops.
func BenchmarkMatMulIntegerDynamic(b *testing.B) {
	rng := rand.New(rand.NewSource(1))
	x := qtRand8(rng, ir.Uint8, 0, 255, 1, 12, 128, 64)
	w := qtRand8(rng, ir.Int8, -128, 127, 1, 12, 64, 128)
	in := []*ir.Tensor{x, w, ir.FromSlice([]uint8{128}), ir.FromSlice([]int8{0})}
	for _, loops := range []bool{false, true} {
		b.Run(map[bool]string{false: "sgemm", true: "loops"}[loops], func(b *testing.B) {
			if loops {
				defer qForceLoops()()
			}
			n := &ir.Node{Name: "n", Op: "MatMulInteger", Opset: 10, Attrs: ir.Attrs{}}
			var types []*ir.Type
			for i, t := range in {
				v := &ir.Value{Name: fmt.Sprint("in", i), Type: ir.TypeOfTensor(t)}
				n.Inputs = append(n.Inputs, v)
				types = append(types, &v.Type)
			}
			n.Outputs = []*ir.Value{{Name: "out"}}
			if err := ir.InferNode(n); err != nil {
				b.Fatal(err)
			}
			f, err := BuildNode(&Build{Node: n, InTypes: types, Level: isa.Current()})
			if err != nil {
				b.Fatal(err)
			}
			c := &Ctx{Outs: make([]*ir.Tensor, 1), Pool: Serial{}, Node: n}
			b.SetBytes(2 * 12 * 128 * 64 * 128) // multiply-adds ×2 as "bytes": MB/s reads as MFLOP/s
			for range b.N {
				if err := f(c, in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
