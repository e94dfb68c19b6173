//go:build noasm

package amd64

// VecLayerNormAVX512 is VecLayerNormGo under the noasm tag.
func VecLayerNormAVX512(dst, x, scale, bias []float32, eps float32) {
	VecLayerNormGo(dst, x, scale, bias, eps)
}
