//go:build !noasm

package amd64

// PackBRowsAVX packs kc rows of a plain B into strips SGEMM micro-panels
// with 32-byte moves (AVX), row by row across the strips, prefetching the
// source rows a few rows ahead; its math is PackBRowsGo. The caller
// checks the lengths and the multiple of 8 that PackBRowsGo states.
//
//go:noescape
func PackBRowsAVX(kc int, b []float32, ldb int, dst []float32, nr, strips int)
