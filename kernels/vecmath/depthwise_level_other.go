//go:build !amd64

package vecmath

import "github.com/nncc/nncc/kernels/isa"

var dwRowsGo = dwRowsOf(dw3x3RowGo)

// dwRowFor returns the 3×3 depthwise row and multi-row kernels of level
// l: the Go ones off amd64.
func dwRowFor(isa.Level) (dwRowFunc, dwRowsFunc) { return dw3x3RowGo, dwRowsGo }
