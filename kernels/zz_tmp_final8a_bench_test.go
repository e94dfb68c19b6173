package kernels

import "testing"

func BenchmarkTmpFinal8ARowRepeat(b *testing.B) {
	bc, _ := NewBroadcast([]int64{1, 8, 28, 28, 16}, []int64{1, 8, 1, 1, 16})
	x := make([]float32, bc.Size)
	y := make([]float32, 8*16)
	o := make([]float32, bc.Size)
	for b.Loop() {
		ewRowRepeatF32(ewMul, bc, x, y, o)
	}
}
