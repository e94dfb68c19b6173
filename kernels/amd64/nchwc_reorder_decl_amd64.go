//go:build !noasm

package amd64

// NCHWcGatherAVX512 is the AVX-512 form of NCHWcGatherGo. The caller
// guarantees 1 <= lanes <= 16 and that every src[p+idx[l]] read (p <
// len(dst)/16, l < lanes) is inside src.
//
//go:noescape
func NCHWcGatherAVX512(dst, src []float32, idx *[16]int32, lanes int)
