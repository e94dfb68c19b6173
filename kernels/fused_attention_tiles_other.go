//go:build !amd64

package kernels

import "github.com/nncc/nncc/kernels/isa"

// attnTileKernelsFor returns nil: the tile path needs the amd64
// B-in-place micro-kernels; other architectures take the SGEMM path.
func attnTileKernelsFor(isa.Level, int) *attnTileKernels { return nil }
