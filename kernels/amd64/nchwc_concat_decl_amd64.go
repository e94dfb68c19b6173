//go:build !noasm

package amd64

// NCHWcLaneCopyAVX512 is the AVX-512 form of NCHWcLaneCopyGo. The caller
// guarantees 0 <= lo < hi <= 16, 0 <= lo+shift and hi+shift <= 16, and
// len(dst) >= len(src), a multiple of 16.
//
//go:noescape
func NCHWcLaneCopyAVX512(dst, src []float32, lo, hi, shift int)
