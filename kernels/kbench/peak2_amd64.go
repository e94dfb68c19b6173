package kbench

import (
	"github.com/nncc/nncc/kernels/amd64"
	"github.com/nncc/nncc/kernels/isa"
)

// peakLoop returns the FMA peak loop of level l and its FLOPs per round
// (nil when the level has none: then there is no two-thread peak row).
func peakLoop(l isa.Level) (func(int), float64) {
	switch l {
	case isa.AVX512:
		return amd64.FMAPeakAVX512, 768
	case isa.AVX2:
		return amd64.FMAPeakAVX2, 192
	}
	return nil, 0
}
