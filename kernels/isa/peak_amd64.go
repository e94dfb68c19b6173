package isa

import "github.com/nncc/nncc/kernels/amd64"

var peakLoops = [numLevels]peakLoop{
	AVX2:   {fn: amd64.FMAPeakAVX2, flops: 192},
	AVX512: {fn: amd64.FMAPeakAVX512, flops: 768},
}
