//go:build !amd64

package qgemm

import "github.com/nncc/nncc/kernels/isa"

// archKernel returns nil: other architectures have no assembly tile yet
// (NEON's SDOT/UDOT need a mixed-sign form), so they use the Go twins.
func archKernel(isa.Level) *kernel { return nil }
