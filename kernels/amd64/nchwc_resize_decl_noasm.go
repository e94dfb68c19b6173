//go:build noasm

package amd64

// NCHWcResizeLinearRowAVX512 is NCHWcResizeLinearRowGo under the noasm tag.
func NCHWcResizeLinearRowAVX512(dst, r0, r1 []float32, ix []int32, wx []float32, wy0, wy1 float32) {
	NCHWcResizeLinearRowGo(dst, r0, r1, ix, wx, wy0, wy1)
}
