package kernels

import (
	"fmt"
	"math/rand"
	"reflect"
	"testing"

	"github.com/nncc/nncc/ir"
)

// TestConvertIntoAllocatesNothing: casts through an intermediate type
// (small floats, 4- and 2-bit integers, bool, float64 into float8) work a
// chunk at a time in buffers on the stack, so a Cast step allocates
// nothing per Run, for lengths below, at and above the chunk.
func TestConvertIntoAllocatesNothing(t *testing.T) {
	pairs := [][2]ir.DType{
		{ir.BFloat16, ir.Float32}, {ir.Float16, ir.Float64}, {ir.Float8E4M3FN, ir.Float32},
		{ir.Float8E5M2, ir.Float16}, {ir.Float4E2M1, ir.Float32}, {ir.Float32, ir.Float8E4M3FN},
		{ir.Float64, ir.Float16}, {ir.Float16, ir.Float8E5M2FNUZ}, {ir.Float32, ir.Int4},
		{ir.Float16, ir.Uint2}, {ir.Int32, ir.Float4E2M1}, {ir.Bool, ir.Float32}, {ir.Float8E8M0, ir.Int64},
	}
	for _, p := range pairs {
		for _, n := range []int64{1, convertChunk, 3*convertChunk + 5} {
			src, dst := ir.NewTensor(p[0], []int64{n}), ir.NewTensor(p[1], []int64{n})
			what := fmt.Sprintf("%v → %v, %d elements", p[0], p[1], n)
			if err := ConvertInto(dst, src, CastOptions{Saturate: true}); err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			if a := testing.AllocsPerRun(20, func() { _ = ConvertInto(dst, src, CastOptions{Saturate: true}) }); a != 0 {
				t.Errorf("%s: %v allocations per conversion", what, a)
			}
		}
	}
}

// TestConvertIntoChunksMatchElements: a conversion of many elements (chunk
// boundaries included) gives, element by element, what converting each
// element alone gives.
func TestConvertIntoChunksMatchElements(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	pairs := [][2]ir.DType{
		{ir.BFloat16, ir.Float32}, {ir.Float16, ir.Float64}, {ir.Float8E4M3FN, ir.Int32},
		{ir.Float32, ir.Float8E4M3FN}, {ir.Float64, ir.Float16}, {ir.Float16, ir.Float8E5M2},
		{ir.Float32, ir.Int4}, {ir.Float16, ir.Uint4}, {ir.Int32, ir.Float4E2M1}, {ir.Float32, ir.Float8E8M0},
	}
	n := int64(3*convertChunk + 5)
	for _, p := range pairs {
		f := ir.NewTensor(ir.Float32, []int64{n})
		for i := range f.F32() {
			f.F32()[i] = float32(rng.NormFloat64() * 8)
		}
		src := ir.NewTensor(p[0], []int64{n})
		if err := ConvertInto(src, f, CastOptions{Saturate: true}); err != nil {
			t.Fatal(err)
		}
		dst := ir.NewTensor(p[1], []int64{n})
		if err := ConvertInto(dst, src, CastOptions{Saturate: true}); err != nil {
			t.Fatal(err)
		}
		for i := range n {
			one, out := ir.NewTensor(p[0], []int64{1}), ir.NewTensor(p[1], []int64{1})
			copyElem(one, 0, src, int(i))
			if err := ConvertInto(out, one, CastOptions{Saturate: true}); err != nil {
				t.Fatal(err)
			}
			if got, want := fmt.Sprint(elemAt(dst, int(i))), fmt.Sprint(elemAt(out, 0)); got != want {
				t.Fatalf("%v → %v element %d: %s in the whole, %s alone", p[0], p[1], i, got, want)
			}
		}
	}
}

// copyElem copies element j of src into element i of dst (same dtype).
func copyElem(dst *ir.Tensor, i int, src *ir.Tensor, j int) {
	reflect.ValueOf(dst.Data).Index(i).Set(reflect.ValueOf(src.Data).Index(j))
}

// elemAt returns element i of t's storage.
func elemAt(t *ir.Tensor, i int) any { return reflect.ValueOf(t.Data).Index(i).Interface() }
