//go:build noasm

package amd64

// ConvTPhase6x64AVX512 is ConvTPhase6x64Go under the noasm tag.
func ConvTPhase6x64AVX512(k, tiles int, a, x []float32, offs []int, c []float32, ldc int) {
	ConvTPhase6x64Go(k, tiles, a, x, offs, c, ldc)
}

// ConvTPhase6x32AVX512 is ConvTPhase6x32Go under the noasm tag.
func ConvTPhase6x32AVX512(k int, a, x []float32, offs []int, c []float32, ldc int) {
	ConvTPhase6x32Go(k, a, x, offs, c, ldc)
}
