//go:build noasm

package amd64

// ConvPadRowsAVX512 is ConvPadRowsGo under the noasm tag.
func ConvPadRowsAVX512(dst, src []float32, rows, w, wq, left int) {
	ConvPadRowsGo(dst, src, rows, w, wq, left)
}
