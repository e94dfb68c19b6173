//go:build amd64 || noasm

package amd64

import "github.com/nncc/nncc/kernels/vecmath/purego"

// VecBinaryScalarAVX512 is VecBinaryAVX512 with the broadcast operand
// passed by value: kind purego.KindVS gives dst[i] = v[i] op s, KindSV
// gives dst[i] = s op v[i]. (The one-element slice stays on the stack,
// which it would not if callers built it and called through a func value.)
func VecBinaryScalarAVX512(op, kind int, dst, v []float32, s float32) {
	sv := [1]float32{s}
	if kind == purego.KindSV {
		VecBinaryAVX512(op, kind, dst, sv[:], v)
		return
	}
	VecBinaryAVX512(op, purego.KindVS, dst, v, sv[:])
}

// VecBinaryScalarAVX2 is VecBinaryScalarAVX512 on VecBinaryAVX2.
func VecBinaryScalarAVX2(op, kind int, dst, v []float32, s float32) {
	sv := [1]float32{s}
	if kind == purego.KindSV {
		VecBinaryAVX2(op, kind, dst, sv[:], v)
		return
	}
	VecBinaryAVX2(op, purego.KindVS, dst, v, sv[:])
}
