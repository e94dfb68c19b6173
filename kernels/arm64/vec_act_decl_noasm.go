//go:build noasm

package arm64

import "github.com/nncc/nncc/kernels/vecmath/purego"

// VecLeakyReluNEON is purego.LeakyRelu under the noasm tag.
func VecLeakyReluNEON(dst, x []float32, alpha float32) { purego.LeakyRelu(dst, x, alpha) }

// VecHardSigmoidNEON is purego.HardSigmoid under the noasm tag.
func VecHardSigmoidNEON(dst, x []float32, alpha, beta float64) {
	purego.HardSigmoid(dst, x, alpha, beta)
}

// VecHardSwishNEON is purego.HardSwish under the noasm tag.
func VecHardSwishNEON(dst, x []float32) { purego.HardSwish(dst, x) }
