//go:build amd64

package kernels

import (
	"github.com/nncc/nncc/kernels/amd64"
	"github.com/nncc/nncc/kernels/isa"
)

// convTZipRows returns the row interleave of a stride-2 sub-pixel store
// for level l: the AVX-512 assembly, else its Go twin.
func convTZipRows(l isa.Level) convTZipRowsFunc {
	if l == isa.AVX512 {
		return amd64.ConvTZipRowsAVX512
	}
	return amd64.ConvTZipRowsGo
}

// convPadRows returns the row copy of the zero-bordered inputs of the
// flat Conv and the sub-pixel ConvTranspose for level l: the AVX-512
// assembly, else its Go twin.
func convPadRows(l isa.Level) convPadRowsFunc {
	if l == isa.AVX512 {
		return amd64.ConvPadRowsAVX512
	}
	return amd64.ConvPadRowsGo
}

// convTGatherRow returns the row sum of the gather col2im for level l:
// the AVX-512 assembly, else its Go twin.
func convTGatherRow(l isa.Level) convTGatherRowFunc {
	if l == isa.AVX512 {
		return amd64.ConvTGatherRowAVX512
	}
	return amd64.ConvTGatherRowGo
}

// convTTranspose returns the transposing store of the gather col2im for
// level l: the AVX-512 assembly, else convTransposeStore.
func convTTranspose(l isa.Level) convTTransposeFunc {
	if l == isa.AVX512 {
		return amd64.ConvTTransposeAVX512
	}
	return convTransposeStore
}
