package kernels

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/nncc/nncc/ir"
)

// TestRowRepeatF32 checks the repeated-row fast path of Add, Sub and Mul
// (an SE gate on the blocked layout, either operand order) against the
// general broadcast mapping, element by element, with NaN-filled output
// so that a skipped element shows, and that forms it does not cover fall
// through.
func TestRowRepeatF32(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	fill := func(shape ...int64) []float32 {
		d := make([]float32, ir.NumElements(shape))
		for i := range d {
			d[i] = float32(rng.NormFloat64())
		}
		return d
	}
	cases := []struct {
		a, b []int64
		fast bool
	}{
		{[]int64{2, 3, 5, 7, 16}, []int64{2, 3, 1, 1, 16}, true},
		{[]int64{1, 3, 1, 1, 16}, []int64{1, 3, 4, 9, 16}, true},
		{[]int64{1, 1, 2, 5, 16}, []int64{1, 1, 1, 1, 16}, true},
		{[]int64{4, 6, 8}, []int64{4, 1, 8}, true},
		{[]int64{4, 6, 8}, []int64{1, 6, 8}, true}, // one row of 48, repeated 4 times
		{[]int64{4, 6, 8}, []int64{4, 6, 1}, false},
		{[]int64{4, 6, 8}, []int64{4, 6, 8}, false},
	}
	for _, tc := range cases {
		for _, op := range []uint8{ewAdd, ewSub, ewMul, ewDiv} {
			bc, err := NewBroadcast(tc.a, tc.b)
			if err != nil {
				t.Fatal(err)
			}
			a, b := fill(tc.a...), fill(tc.b...)
			a0, b0 := append([]float32(nil), a...), append([]float32(nil), b...)
			o := make([]float32, bc.Size)
			for i := range o {
				o[i] = float32(math.NaN())
			}
			did := ewRowRepeatF32(op, bc, a, b, o)
			if want := tc.fast && op != ewDiv; did != want {
				t.Fatalf("%v op %v %v: fast path taken %v, want %v", tc.a, op, tc.b, did, want)
			}
			if !did {
				continue
			}
			for i := range o {
				x, y := a[bc.Offset(0, i)], b[bc.Offset(1, i)]
				var w float32
				switch op {
				case ewAdd:
					w = x + y
				case ewSub:
					w = x - y
				case ewMul:
					w = x * y
				}
				if o[i] != w {
					t.Fatalf("%v op %v %v: element %d = %v, want %v", tc.a, op, tc.b, i, o[i], w)
				}
			}
			for i := range a {
				if a[i] != a0[i] {
					t.Fatal("input a modified")
				}
			}
			for i := range b {
				if b[i] != b0[i] {
					t.Fatal("input b modified")
				}
			}
		}
	}
}
