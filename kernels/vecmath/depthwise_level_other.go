//go:build !amd64

package vecmath

import (
	"github.com/nncc/nncc/kernels/amd64"
	"github.com/nncc/nncc/kernels/isa"
)

// dwRowFor returns the 3×3 depthwise row and multi-row kernels of level
// l: the portable twins off amd64.
func dwRowFor(isa.Level) (dwRowFunc, dwRowsFunc) { return amd64.Dw3x3RowGo, amd64.Dw3x3RowsGo }
