//go:build noasm

package amd64

import "github.com/nncc/nncc/kernels/vecmath/purego"

// VecLeakyReluAVX512 is purego.LeakyRelu under the noasm tag.
func VecLeakyReluAVX512(dst, x []float32, alpha float32) { purego.LeakyRelu(dst, x, alpha) }

// VecLeakyReluAVX2 is purego.LeakyRelu under the noasm tag.
func VecLeakyReluAVX2(dst, x []float32, alpha float32) { purego.LeakyRelu(dst, x, alpha) }

// VecHardSigmoidAVX512 is purego.HardSigmoid under the noasm tag.
func VecHardSigmoidAVX512(dst, x []float32, alpha, beta float64) {
	purego.HardSigmoid(dst, x, alpha, beta)
}

// VecHardSigmoidAVX2 is purego.HardSigmoid under the noasm tag.
func VecHardSigmoidAVX2(dst, x []float32, alpha, beta float64) {
	purego.HardSigmoid(dst, x, alpha, beta)
}

// VecHardSwishAVX512 is purego.HardSwish under the noasm tag.
func VecHardSwishAVX512(dst, x []float32) { purego.HardSwish(dst, x) }

// VecHardSwishAVX2 is purego.HardSwish under the noasm tag.
func VecHardSwishAVX2(dst, x []float32) { purego.HardSwish(dst, x) }
