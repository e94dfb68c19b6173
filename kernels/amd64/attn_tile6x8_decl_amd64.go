//go:build !noasm

package amd64

// Tile6x8StrideAVX2 is the AVX2 6×8 B-in-place tile (attention's P·V on
// heads of at most 8); its math is Tile6x8StrideGo. The caller checks the
// lengths stated there.
//
//go:noescape
func Tile6x8StrideAVX2(k int, a, b []float32, ldb int, c []float32, ldc int, alpha float32)
