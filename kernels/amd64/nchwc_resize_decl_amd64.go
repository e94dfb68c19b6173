//go:build !noasm

package amd64

// NCHWcResizeLinearRowAVX512 is the AVX-512 form of
// NCHWcResizeLinearRowGo (same math, multiply-adds fused). The caller
// guarantees every 16·ix[i]+15 is inside r0 and r1 and that ix and wx hold
// 2·len(dst)/16 entries.
//
//go:noescape
func NCHWcResizeLinearRowAVX512(dst, r0, r1 []float32, ix []int32, wx []float32, wy0, wy1 float32)
