package isa

import "github.com/nncc/nncc/kernels/arm64"

var peakLoops = [numLevels]peakLoop{
	NEON: {fn: arm64.FMAPeakNEON, flops: arm64.FMAPeakNEONFlops},
}
