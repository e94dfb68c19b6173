package kernels

import (
	"math"
	"testing"

	"github.com/nncc/nncc/ir"
)

func TestCompareAndLogic(t *testing.T) {
	a := ewT([]int64{2, 2}, float32(1), 2, float32(math.NaN()), 4)
	b := ewT([]int64{2}, float32(2), 2)
	ewExpect(t, "equal", ewMust(t, "Equal", 13, nil, a, b), []int64{2, 2}, []bool{false, true, false, false})
	ewExpect(t, "less", ewMust(t, "Less", 13, nil, a, b), []int64{2, 2}, []bool{true, false, false, false})
	ewExpect(t, "le", ewMust(t, "LessOrEqual", 16, nil, a, b), []int64{2, 2}, []bool{true, true, false, false})
	ewExpect(t, "greater", ewMust(t, "Greater", 13, nil, a, b), []int64{2, 2}, []bool{false, false, false, true})
	ewExpect(t, "ge", ewMust(t, "GreaterOrEqual", 16, nil, a, b), []int64{2, 2}, []bool{false, true, false, true})
	// Scalar on the left exercises the swapped runs.
	s := ewT([]int64{}, int64(3))
	v := ewT([]int64{3}, int64(2), 3, 4)
	ewExpect(t, "gt sv", ewMust(t, "Greater", 13, nil, s, v), []int64{3}, []bool{true, false, false})
	ewExpect(t, "ge sv", ewMust(t, "GreaterOrEqual", 16, nil, s, v), []int64{3}, []bool{true, true, false})
	strs := ewT([]int64{3}, "a", "bc", "")
	ewExpect(t, "equal string", ewMust(t, "Equal", 19, nil, strs, ewT([]int64{1}, "bc")), []int64{3}, []bool{false, true, false})
	x := ewT([]int64{4}, true, true, false, false)
	y := ewT([]int64{4}, true, false, true, false)
	ewExpect(t, "and", ewMust(t, "And", 7, nil, x, y), []int64{4}, []bool{true, false, false, false})
	ewExpect(t, "or", ewMust(t, "Or", 7, nil, x, y), []int64{4}, []bool{true, true, true, false})
	ewExpect(t, "xor", ewMust(t, "Xor", 7, nil, x, y), []int64{4}, []bool{false, true, true, false})
	ewExpect(t, "equal bool", ewMust(t, "Equal", 13, nil, x, y), []int64{4}, []bool{true, false, false, true})
	ewExpect(t, "not", ewMust(t, "Not", 1, nil, x), []int64{4}, []bool{false, false, true, true})
	if _, err := ewRun(t, "And", 7, nil, a, a); err == nil {
		t.Fatal("And of floats should fail")
	}
}

func TestBitwise(t *testing.T) {
	a := ewT([]int64{3}, uint8(0b1100), 0xff, 1)
	b := ewT([]int64{3}, uint8(0b1010), 0x0f, 7)
	ewExpect(t, "and", ewMust(t, "BitwiseAnd", 18, nil, a, b), []int64{3}, []uint8{0b1000, 0x0f, 1})
	ewExpect(t, "or", ewMust(t, "BitwiseOr", 18, nil, a, b), []int64{3}, []uint8{0b1110, 0xff, 7})
	ewExpect(t, "xor", ewMust(t, "BitwiseXor", 18, nil, a, b), []int64{3}, []uint8{0b0110, 0xf0, 6})
	dir := func(d string) ir.Attrs { at := ir.Attrs{}; at.SetString("direction", d); return at }
	sh := ewT([]int64{3}, uint8(1), 4, 8)
	ewExpect(t, "shl", ewMust(t, "BitShift", 11, dir("LEFT"), a, sh), []int64{3}, []uint8{0b11000, 0xf0, 0})
	ewExpect(t, "shr", ewMust(t, "BitShift", 11, dir("RIGHT"), a, sh), []int64{3}, []uint8{0b110, 0x0f, 0})
	if _, err := ewRun(t, "BitShift", 11, dir("UP"), a, sh); err == nil {
		t.Fatal("bad direction should fail")
	}
	if _, err := ewRun(t, "BitShift", 11, dir("LEFT"), ewT([]int64{1}, int32(1)), ewT([]int64{1}, int32(1))); err == nil {
		t.Fatal("signed BitShift should fail")
	}
	i := ewT([]int64{2}, int32(-1), 6)
	ewExpect(t, "and signed bcast", ewMust(t, "BitwiseAnd", 18, nil, i, ewT([]int64{}, int32(3))), []int64{2}, []int32{3, 2})
}

// A broadcast that needs the general run path, split into chunks.
func TestBinaryGeneralPathChunked(t *testing.T) {
	rows, cols := 300, 130
	a := make([]float32, rows)
	for i := range a {
		a[i] = float32(i)
	}
	b := make([]float32, cols)
	for j := range b {
		b[j] = float32(j) / 1000
	}
	A := ir.FromSlice(a, int64(rows), 1)
	B := ir.FromSlice(b, 1, int64(cols))
	node := &ir.Node{Name: "g", Op: "Sub", Opset: 14, Attrs: ir.Attrs{}}
	f, err := BuildNode(&Build{Node: node})
	if err != nil {
		t.Fatal(err)
	}
	c := &Ctx{Outs: make([]*ir.Tensor, 1), Pool: ewTestPool{}, Node: node}
	for rep := 0; rep < 2; rep++ { // the second run uses the cached plan
		if err := f(c, []*ir.Tensor{A, B}); err != nil {
			t.Fatal(err)
		}
		o := c.Outs[0].F32()
		for i := 0; i < rows; i++ {
			for j := 0; j < cols; j++ {
				if o[i*cols+j] != a[i]-b[j] {
					t.Fatalf("(%d,%d): %g", i, j, o[i*cols+j])
				}
			}
		}
	}
}
