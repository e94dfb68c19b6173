//go:build !amd64 && !arm64

package vecmath

import "github.com/nncc/nncc/kernels/isa"

// archImpls is empty off amd64: arm64 (NEON) and other architectures run
// the Go twins of package purego. NEON assembly for these kernels is not
// written yet.
var archImpls []levelImpl

func hasAsm(isa.Level) bool { return false }
