//go:build !noasm

package amd64

// Tile6x32StrideAVX512 is the AVX-512 6×32 B-in-place tile (attention's
// P·V on heads of 32); its math is Tile6x32StrideGo. The caller checks
// the lengths stated there.
//
//go:noescape
func Tile6x32StrideAVX512(k int, a, b []float32, ldb int, c []float32, ldc int, alpha float32)
