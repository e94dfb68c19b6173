//go:build !amd64

package kernels

import "github.com/nncc/nncc/kernels/isa"

// quantVecFor returns the quantization routines of level l: the Go twins
// (NEON routines are not written yet).
func quantVecFor(isa.Level) *quantVec { return &quantGo }
