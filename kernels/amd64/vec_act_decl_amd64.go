//go:build !noasm

package amd64

// VecLeakyReluAVX512: dst[i] = alpha·x[i] where x[i] < 0, else x[i], 16
// lanes at a time; its twin is purego.LeakyRelu. len(dst) ≥ len(x), not
// checked by the assembly.
//
//go:noescape
func VecLeakyReluAVX512(dst, x []float32, alpha float32)

// VecLeakyReluAVX2: dst[i] = alpha·x[i] where x[i] < 0, else x[i], 8
// lanes at a time; its twin is purego.LeakyRelu. len(dst) ≥ len(x), not
// checked by the assembly.
//
//go:noescape
func VecLeakyReluAVX2(dst, x []float32, alpha float32)

// VecHardSigmoidAVX512: dst[i] = clamp01(alpha·x[i] + beta) in float64,
// 8 lanes at a time; its twin is purego.HardSigmoid. len(dst) ≥ len(x),
// not checked by the assembly.
//
//go:noescape
func VecHardSigmoidAVX512(dst, x []float32, alpha, beta float64)

// VecHardSigmoidAVX2: dst[i] = clamp01(alpha·x[i] + beta) in float64,
// 4 lanes at a time; its twin is purego.HardSigmoid. len(dst) ≥ len(x),
// not checked by the assembly.
//
//go:noescape
func VecHardSigmoidAVX2(dst, x []float32, alpha, beta float64)

// VecHardSwishAVX512: dst[i] = x·clamp01(x/6 + 1/2) in float64, 8 lanes
// at a time; its twin is purego.HardSwish. len(dst) ≥ len(x), not checked
// by the assembly.
//
//go:noescape
func VecHardSwishAVX512(dst, x []float32)

// VecHardSwishAVX2: dst[i] = x·clamp01(x/6 + 1/2) in float64, 4 lanes at
// a time; its twin is purego.HardSwish. len(dst) ≥ len(x), not checked by
// the assembly.
//
//go:noescape
func VecHardSwishAVX2(dst, x []float32)
