//go:build noasm

package arm64

// HalfToFloat32NEON is HalfToFloat32Go under the noasm tag.
func HalfToFloat32NEON(dst []float32, src []uint16) { HalfToFloat32Go(dst, src) }

// Float32ToHalfNEON is Float32ToHalfGo under the noasm tag.
func Float32ToHalfNEON(dst []uint16, src []float32) { Float32ToHalfGo(dst, src) }
