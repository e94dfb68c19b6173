//go:build !noasm

package amd64

// LSTMGatesAVX512 is the fused LSTM gate math, 16 hidden units at a time;
// its twin is purego.LSTMGates (sizes as stated there; the assembly does
// not check them).
//
//go:noescape
func LSTMGatesAVX512(p []float32, ld int, c, h []float32)

// LSTMGatesAVX2 is the fused LSTM gate math, 8 hidden units at a time; its
// twin is purego.LSTMGates (sizes as stated there; the assembly does not
// check them).
//
//go:noescape
func LSTMGatesAVX2(p []float32, ld int, c, h []float32)
