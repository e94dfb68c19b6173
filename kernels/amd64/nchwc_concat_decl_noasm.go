//go:build noasm

package amd64

// NCHWcLaneCopyAVX512 is NCHWcLaneCopyGo under the noasm tag.
func NCHWcLaneCopyAVX512(dst, src []float32, lo, hi, shift int) {
	NCHWcLaneCopyGo(dst, src, lo, hi, shift)
}
