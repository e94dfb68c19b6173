//go:build !noasm

package amd64

// ConvPadRowsAVX512 copies rows of w values into zero-bordered rows of
// wq. Its math is ConvPadRowsGo; operands must be as stated there.
//
//go:noescape
func ConvPadRowsAVX512(dst, src []float32, rows, w, wq, left int)
