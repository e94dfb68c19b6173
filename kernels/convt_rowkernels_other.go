//go:build !amd64

package kernels

import (
	"github.com/nncc/nncc/kernels/amd64"
	"github.com/nncc/nncc/kernels/isa"
)

// convTZipRows returns the row interleave of a stride-2 sub-pixel store:
// the Go twin.
func convTZipRows(isa.Level) convTZipRowsFunc { return amd64.ConvTZipRowsGo }

// convPadRows returns the row copy of the zero-bordered inputs of the
// flat Conv and the sub-pixel ConvTranspose: the Go twin.
func convPadRows(isa.Level) convPadRowsFunc { return amd64.ConvPadRowsGo }

// convTGatherRow returns the row sum of the gather col2im: the Go twin.
func convTGatherRow(isa.Level) convTGatherRowFunc { return amd64.ConvTGatherRowGo }

// convTTranspose returns the transposing store of the gather col2im:
// convTransposeStore.
func convTTranspose(isa.Level) convTTransposeFunc { return convTransposeStore }
