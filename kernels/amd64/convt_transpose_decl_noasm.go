//go:build noasm

package amd64

// ConvTTransposeAVX512 is ConvTTransposeGo under the noasm tag.
func ConvTTransposeAVX512(y, yt, bias []float32, os, mg, m0, m1, relu int) {
	ConvTTransposeGo(y, yt, bias, os, mg, m0, m1, relu)
}
