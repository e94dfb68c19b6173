package kernels

import (
	"github.com/nncc/nncc/kernels/amd64"
	"github.com/nncc/nncc/kernels/isa"
)

// rnnLSTMGates returns the fused LSTM gate kernel of level l
// (amd64.LSTMGates*, twin purego.LSTMGates) when the CPU runs it, else
// nil (the step then runs the vecmath routines one after the other).
func rnnLSTMGates(l isa.Level) func(p []float32, ld int, c, h []float32) {
	if !isa.Has(l) {
		return nil
	}
	switch l {
	case isa.AVX512:
		return amd64.LSTMGatesAVX512
	case isa.AVX2:
		return amd64.LSTMGatesAVX2
	}
	return nil
}
