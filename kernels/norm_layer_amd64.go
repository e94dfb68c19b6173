package kernels

import (
	"github.com/nncc/nncc/kernels/amd64"
	"github.com/nncc/nncc/kernels/isa"
)

// lnRowKernel returns the one-call LayerNorm row kernel of level (AVX-512
// only), or nil to use vecmath's passes.
func lnRowKernel(level isa.Level) lnRowFunc {
	if level == isa.AVX512 {
		return amd64.VecLayerNormAVX512
	}
	return nil
}
