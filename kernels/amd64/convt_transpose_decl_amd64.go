//go:build !noasm

package amd64

// ConvTTransposeAVX512 sets planes of Y from its transpose with a bias
// (and a ReLU) added. Its math is ConvTTransposeGo; operands must be as
// long as stated there.
//
//go:noescape
func ConvTTransposeAVX512(y, yt, bias []float32, os, mg, m0, m1, relu int)
