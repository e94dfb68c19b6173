//go:build arm64 || noasm

package arm64

import "github.com/nncc/nncc/kernels/vecmath/purego"

// VecBinaryScalarNEON is VecBinaryNEON with the broadcast operand passed
// by value: kind purego.KindVS gives dst[i] = v[i] op s, KindSV gives
// dst[i] = s op v[i].
func VecBinaryScalarNEON(op, kind int, dst, v []float32, s float32) {
	sv := [1]float32{s}
	if kind == purego.KindSV {
		VecBinaryNEON(op, kind, dst, sv[:], v)
		return
	}
	VecBinaryNEON(op, purego.KindVS, dst, v, sv[:])
}
