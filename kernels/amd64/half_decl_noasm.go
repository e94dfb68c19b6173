//go:build noasm

package amd64

// HalfToFloat32AVX512 is HalfToFloat32Go under the noasm tag.
func HalfToFloat32AVX512(dst []float32, src []uint16) { HalfToFloat32Go(dst, src) }

// Float32ToHalfAVX512 is Float32ToHalfGo under the noasm tag.
func Float32ToHalfAVX512(dst []uint16, src []float32) { Float32ToHalfGo(dst, src) }

// HalfToFloat32AVX2 is HalfToFloat32Go under the noasm tag.
func HalfToFloat32AVX2(dst []float32, src []uint16) { HalfToFloat32Go(dst, src) }

// Float32ToHalfAVX2 is Float32ToHalfGo under the noasm tag.
func Float32ToHalfAVX2(dst []uint16, src []float32) { Float32ToHalfGo(dst, src) }
