package vecmath

import (
	"github.com/nncc/nncc/kernels/amd64"
	"github.com/nncc/nncc/kernels/isa"
)

// The row kernels per level, bound once.
var (
	dwRowsAVX2   = dwRowsOf(amd64.Dw3x3RowAVX2)
	dwRowsAVX512 = dwRowsFunc(amd64.Dw3x3RowsAVX512)
)

// dwRowFor returns the 3×3 depthwise row and multi-row kernels of level l.
func dwRowFor(l isa.Level) (dwRowFunc, dwRowsFunc) {
	switch {
	case !hasAsm(l):
		return amd64.Dw3x3RowGo, amd64.Dw3x3RowsGo
	case l == isa.AVX512:
		return amd64.Dw3x3RowAVX512, dwRowsAVX512
	default:
		return amd64.Dw3x3RowAVX2, dwRowsAVX2
	}
}
