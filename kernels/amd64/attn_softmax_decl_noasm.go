//go:build noasm

package amd64

// AttnSoftmaxAVX512 is AttnSoftmaxGo under the noasm tag.
func AttnSoftmaxAVX512(dst, x, add []float32) { AttnSoftmaxGo(dst, x, add) }
