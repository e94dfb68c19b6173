package amd64

import (
	"encoding/binary"
	"hash/crc32"
	"math/bits"
)

// CRC-32C folding (the artifact checksum). A CRC is the remainder of the
// message polynomial M(x)·x^32 modulo P(x) = 0x1EDC6F41 (Castagnoli); in
// the reflected convention the first message bit is the highest-degree
// coefficient, so a 16-byte lane read as two little-endian words (lo, hi)
// is L(x) = Lo(x)·x^64 + Hi(x), where bit i of a word is the coefficient
// of x^(63-i). Moving a lane forward by D bits multiplies it by x^D, and
//
//	L(x)·x^D ≡ Lo(x)·(x^(D+64) mod P) + Hi(x)·(x^D mod P)   (mod P),
//
// a polynomial of degree < 96 that fits the lane again. Folding 256-byte
// blocks into 16 such lanes (D = 2048) leaves 256 bytes whose CRC equals
// the CRC of the whole bulk, which a caller finishes with the CRC
// instruction (hash/crc32).

// Crc32cFoldConstants returns the constants Crc32cFold2048 multiplies a
// lane's lo and hi words by: x^(2048+64) mod P and x^2048 mod P, each
// divided by x (a carry-less product of two reflected 64-bit words is the
// reflected product times x) and bit-reflected into a 64-bit word.
// The values are computed by crc32cFoldConst (TestCrc32cFoldConstants
// checks them).
func Crc32cFoldConstants() [2]uint64 {
	return [2]uint64{0xe9a5d8be00000000, 0x1426a81500000000}
}

// crc32cFoldConst returns x^(d-1) mod P bit-reflected into 64 bits.
func crc32cFoldConst(d int) uint64 {
	const p = 1<<32 | 0x1EDC6F41
	r := uint64(1)
	for range d - 1 {
		r <<= 1
		if r&(1<<32) != 0 {
			r ^= p
		}
	}
	return bits.Reverse64(r)
}

// clmul64 returns the 128-bit carry-less product of a and b.
func clmul64(a, b uint64) (lo, hi uint64) {
	for i := range 64 {
		if b>>i&1 != 0 {
			lo ^= a << i
			if i > 0 {
				hi ^= a >> (64 - i)
			}
		}
	}
	return lo, hi
}

// Crc32cFold2048Go folds p (len(p) a positive multiple of 256) into 256
// bytes out whose CRC-32C register value equals p's, for a CRC register
// init before p: the 16 lanes of out start as p's first 256 bytes with
// init xored into the first 4, and every further 256-byte block b becomes
//
//	lane[j] = clmul(lane[j].lo, k[0]) ⊕ clmul(lane[j].hi, k[1]) ⊕ b[j]
//
// with k = Crc32cFoldConstants(). So crc32.Update(^init, castagnoli, p)
// equals crc32.Update(0xFFFFFFFF, castagnoli, out) (a zero register over
// out). p is not modified.
func Crc32cFold2048Go(init uint32, p []byte, k *[2]uint64, out *[256]byte) {
	var lo, hi [16]uint64
	for j := range 16 {
		lo[j] = binary.LittleEndian.Uint64(p[16*j:])
		hi[j] = binary.LittleEndian.Uint64(p[16*j+8:])
	}
	lo[0] ^= uint64(init)
	for off := 256; off+256 <= len(p); off += 256 {
		for j := range 16 {
			a0, a1 := clmul64(lo[j], k[0])
			b0, b1 := clmul64(hi[j], k[1])
			lo[j] = a0 ^ b0 ^ binary.LittleEndian.Uint64(p[off+16*j:])
			hi[j] = a1 ^ b1 ^ binary.LittleEndian.Uint64(p[off+16*j+8:])
		}
	}
	for j := range 16 {
		binary.LittleEndian.PutUint64(out[16*j:], lo[j])
		binary.LittleEndian.PutUint64(out[16*j+8:], hi[j])
	}
}

// Crc32cStitchStream is how many bytes each of the three CRC-instruction
// streams of Crc32cStitch takes per folded 256-byte block.
const Crc32cStitchStream = 48

// Crc32cStitchLen is the length of the input Crc32cStitch takes for nb
// folded blocks: 256·nb folded bytes and three streams of
// Crc32cStitchStream·(nb-1) bytes.
func Crc32cStitchLen(nb int) int {
	return 256*nb + 3*Crc32cStitchStream*(nb-1)
}

// Crc32cStitchGo checksums p = F ‖ S0 ‖ S1 ‖ S2, len(p) =
// Crc32cStitchLen(nb) for some nb >= 1, with F the first 256·nb bytes and
// each S_j Crc32cStitchStream·(nb-1) bytes: F is folded as by
// Crc32cFold2048Go(init, F, k, out), and crcs[j] =
// crc32.Update(0, castagnoli, S_j), the CRC-32C of S_j on its own. The
// CRC of p follows by combining them (shifting a CRC by the length of the
// data after it). p is not modified.
func Crc32cStitchGo(init uint32, p []byte, k *[2]uint64, out *[256]byte, crcs *[3]uint32) {
	nb := (len(p) + 3*Crc32cStitchStream) / (256 + 3*Crc32cStitchStream)
	Crc32cFold2048Go(init, p[:256*nb], k, out)
	s := Crc32cStitchStream * (nb - 1)
	for j := range crcs {
		lo := 256*nb + j*s
		crcs[j] = crc32.Update(0, castagnoliStitch, p[lo:lo+s])
	}
}

var castagnoliStitch = crc32.MakeTable(crc32.Castagnoli)
