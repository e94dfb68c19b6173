//go:build !amd64 && !arm64

package kernels

import "github.com/nncc/nncc/kernels/isa"

// halfConvFor returns the float16 conversions of level l: the Go twins
// (no vector conversions on this architecture).
func halfConvFor(isa.Level) *halfConv { return &halfGo }
