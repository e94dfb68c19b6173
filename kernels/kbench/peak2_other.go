//go:build !amd64

package kbench

import "github.com/nncc/nncc/kernels/isa"

// peakLoop returns nil: the two-thread peak row is measured on amd64 only.
func peakLoop(isa.Level) (func(int), float64) { return nil, 0 }
