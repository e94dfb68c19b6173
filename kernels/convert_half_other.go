//go:build !amd64

package kernels

import "github.com/nncc/nncc/kernels/isa"

// halfConvFor returns the float16 conversions of level l: the Go twins
// (NEON conversions are not written yet).
func halfConvFor(isa.Level) *halfConv { return &halfGo }
