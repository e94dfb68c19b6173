//go:build amd64

package kernels

import (
	"github.com/nncc/nncc/kernels/amd64"
	"github.com/nncc/nncc/kernels/isa"
)

var (
	quantAVX512 = quantVec{
		block:  16,
		minMax: amd64.MinMaxZeroAVX512,
		quant:  amd64.QuantizeBytesAVX512,
		deqU8:  amd64.DequantizeU8AVX512,
		deqS8:  amd64.DequantizeS8AVX512,
		fake:   amd64.FakeQuantAVX512,
	}
	quantAVX2 = quantVec{
		block:  8,
		minMax: amd64.MinMaxZeroAVX2,
		quant:  amd64.QuantizeBytesAVX2,
		deqU8:  amd64.DequantizeU8AVX2,
		deqS8:  amd64.DequantizeS8AVX2,
		fake:   amd64.FakeQuantAVX2,
	}
)

// quantVecFor returns the quantization routines of level l.
func quantVecFor(l isa.Level) *quantVec {
	switch l {
	case isa.AVX512:
		return &quantAVX512
	case isa.AVX2:
		return &quantAVX2
	}
	return &quantGo
}
