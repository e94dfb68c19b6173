//go:build noasm

package amd64

// ConvTGatherRowAVX512 is ConvTGatherRowGo under the noasm tag.
func ConvTGatherRowAVX512(dst, col []float32, ys, xStart, xOff []int, ld, lanes int) {
	ConvTGatherRowGo(dst, col, ys, xStart, xOff, ld, lanes)
}
