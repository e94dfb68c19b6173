//go:build !amd64

package kernels

import "github.com/nncc/nncc/kernels/isa"

// rnnLSTMGates returns nil: only amd64 has a fused LSTM gate kernel (the
// step runs the vecmath routines one after the other).
func rnnLSTMGates(l isa.Level) func(p []float32, ld int, c, h []float32) { return nil }
