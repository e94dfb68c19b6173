//go:build noasm

package amd64

import "github.com/nncc/nncc/kernels/vecmath/purego"

// LSTMGatesAVX512 is purego.LSTMGates under the noasm tag.
func LSTMGatesAVX512(p []float32, ld int, c, h []float32) { purego.LSTMGates(p, ld, c, h) }

// LSTMGatesAVX2 is purego.LSTMGates under the noasm tag.
func LSTMGatesAVX2(p []float32, ld int, c, h []float32) { purego.LSTMGates(p, ld, c, h) }
