//go:build amd64

package kernels

import (
	"github.com/nncc/nncc/kernels/amd64"
	"github.com/nncc/nncc/kernels/isa"
)

// halfConvFor returns the float16 conversions of level l.
func halfConvFor(l isa.Level) *halfConv {
	switch l {
	case isa.AVX512:
		return &halfConv{block: 16, toF32: amd64.HalfToFloat32AVX512, toF16: amd64.Float32ToHalfAVX512}
	case isa.AVX2:
		return &halfConv{block: 8, toF32: amd64.HalfToFloat32AVX2, toF16: amd64.Float32ToHalfAVX2}
	}
	return &halfGo
}
