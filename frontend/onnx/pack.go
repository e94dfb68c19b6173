package onnx

import "github.com/nncc/nncc/ir"

// ONNX stores the 4-bit types (int4, uint4, float4e2m1) two per byte and the
// 2-bit types (int2, uint2) four per byte, the first element in the lowest
// bits. In memory nncc keeps one element per Go value: []int8 for the
// signed types (sign-extended), []uint8 for the others.

// unpack expands n packed elements of dt from raw.
func unpack(dt ir.DType, n int, raw []byte) any {
	bits := uint(packedBits(dt))
	per := 8 / int(bits)
	mask := byte(1)<<bits - 1
	if dt.Info().Signed {
		out := make([]int8, n)
		for i := range out {
			v := raw[i/per] >> (uint(i%per) * bits) & mask
			out[i] = int8(v<<(8-bits)) >> (8 - bits) // sign-extend
		}
		return out
	}
	out := make([]uint8, n)
	for i := range out {
		out[i] = raw[i/per] >> (uint(i%per) * bits) & mask
	}
	return out
}

// unpackWide converts one-element-per-byte values of a sub-byte type to
// storage, masking each to the element width.
func unpackWide(dt ir.DType, raw []byte) any {
	bits := uint(packedBits(dt))
	mask := byte(1)<<bits - 1
	if dt.Info().Signed {
		out := make([]int8, len(raw))
		for i, b := range raw {
			out[i] = int8((b&mask)<<(8-bits)) >> (8 - bits)
		}
		return out
	}
	out := make([]uint8, len(raw))
	for i, b := range raw {
		out[i] = b & mask
	}
	return out
}

// pack is the inverse of unpack: it packs storage values of a sub-byte
// type (one per element) into bytes, low bits first.
func pack(dt ir.DType, data any) []byte {
	bits := uint(packedBits(dt))
	per := 8 / int(bits)
	mask := byte(1)<<bits - 1
	put := func(out []byte, i int, v byte) {
		out[i/per] |= (v & mask) << (uint(i%per) * bits)
	}
	switch s := data.(type) {
	case []int8:
		out := make([]byte, (len(s)+per-1)/per)
		for i, v := range s {
			put(out, i, byte(v))
		}
		return out
	case []uint8:
		out := make([]byte, (len(s)+per-1)/per)
		for i, v := range s {
			put(out, i, v)
		}
		return out
	}
	panic("BUG: pack of " + dt.String() + " storage")
}
