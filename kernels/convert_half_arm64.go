//go:build arm64

package kernels

import (
	"github.com/nncc/nncc/kernels/arm64"
	"github.com/nncc/nncc/kernels/isa"
)

// halfConvFor returns the float16 conversions of level l: FCVTL/FCVTN
// for NEON, the Go twins for generic.
func halfConvFor(l isa.Level) *halfConv {
	if l == isa.NEON {
		return &halfConv{block: 8, toF32: arm64.HalfToFloat32NEON, toF16: arm64.Float32ToHalfNEON}
	}
	return &halfGo
}
