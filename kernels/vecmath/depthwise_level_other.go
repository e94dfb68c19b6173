//go:build !amd64

package vecmath

import "github.com/nncc/nncc/kernels/isa"

// dwRowFor returns the 3×3 depthwise row kernel of level l: the Go one
// off amd64.
func dwRowFor(isa.Level) dwRowFunc { return dw3x3RowGo }
