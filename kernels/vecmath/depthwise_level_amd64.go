package vecmath

import (
	"github.com/nncc/nncc/kernels/amd64"
	"github.com/nncc/nncc/kernels/isa"
)

// dwRowFor returns the 3×3 depthwise row kernel of level l.
func dwRowFor(l isa.Level) dwRowFunc {
	switch {
	case !hasAsm(l):
		return dw3x3RowGo
	case l == isa.AVX512:
		return amd64.Dw3x3RowAVX512
	default:
		return amd64.Dw3x3RowAVX2
	}
}
