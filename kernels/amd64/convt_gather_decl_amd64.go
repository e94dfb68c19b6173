//go:build !noasm

package amd64

// ConvTGatherRowAVX512 sums the column-matrix runs of one output row of a
// ConvTranspose's gather col2im, up to 16 channels at a time. Its math is
// ConvTGatherRowGo; operands must be as stated there.
//
//go:noescape
func ConvTGatherRowAVX512(dst, col []float32, ys, xStart, xOff []int, ld, lanes int)
