//go:build !noasm

package amd64

// PackBRowsAVX packs kc rows of a plain B into an SGEMM micro-panel with
// 32-byte moves (AVX), prefetching the source rows a few rows ahead; its
// math is PackBRowsGo. The caller checks the lengths and the multiple of
// 8 that PackBRowsGo states.
//
//go:noescape
func PackBRowsAVX(kc int, b []float32, ldb int, dst []float32, nr int)
