//go:build amd64 && !noasm

package codegen

import (
	"hash/crc32"

	"golang.org/x/sys/cpu"

	"github.com/nncc/nncc/kernels/amd64"
)

// With AVX-512 and VPCLMULQDQ the bulk of a chunk is folded with
// carry-less multiplications (kernels/amd64 Crc32cFold2048AVX512, about
// twice the speed of the CRC instruction hash/crc32 uses), leaving 256
// bytes with the same CRC, which hash/crc32 finishes with the tail. From
// stitchMinBytes the fold runs stitched with three streams of CRC
// instructions over the end of the chunk (Crc32cStitchAVX512: the two
// use different execution units, 1.4x the fold alone on the development
// machine's Zen 5), whose CRCs are then combined with the fold's.

// foldMinBytes: shorter inputs go to hash/crc32 directly.
const foldMinBytes = 2048

// stitchMinBytes: shorter inputs are folded without the CRC streams
// (combining the streams costs up to 9 field multiplications, about 70
// cycles each).
const stitchMinBytes = 64 << 10

var (
	canFold   = cpu.X86.HasAVX512F && cpu.X86.HasAVX512VPCLMULQDQ
	canStitch = canFold && cpu.X86.HasSSE42
	foldK     = amd64.Crc32cFoldConstants()
	// useStitch is canStitch (a variable so that benchmarks can compare
	// the fold alone).
	useStitch = canStitch
)

// crc32cUpdate returns crc32.Update(crc, castagnoli, p).
func crc32cUpdate(crc uint32, p []byte) uint32 {
	return crc32cUpdateScratch(crc, p, new([256]byte))
}

// crc32cUpdateScratch is crc32cUpdate using out as scratch space (it
// escapes into hash/crc32, so callers of many updates share one).
func crc32cUpdateScratch(crc uint32, p []byte, out *[256]byte) uint32 {
	if useStitch && len(p) >= stitchMinBytes {
		return crc32cStitched(crc, p, out)
	}
	return crc32cFolded(crc, p, out)
}

// crc32cFolded is crc32cUpdateScratch without the stitched streams.
func crc32cFolded(crc uint32, p []byte, out *[256]byte) uint32 {
	n := len(p) &^ 255
	if !canFold || n < foldMinBytes {
		return crc32.Update(crc, castagnoli, p)
	}
	amd64.Crc32cFold2048AVX512(^crc, p[:n], &foldK, out)
	return crc32.Update(crc32.Update(0xFFFFFFFF, castagnoli, out[:]), castagnoli, p[n:])
}

// crc32cStitched is crc32cUpdateScratch through Crc32cStitchAVX512: the
// fold's CRC, then each stream's appended by shifting the CRC so far over
// the stream's length (crc32cCombine with one shared power), then the
// tail.
func crc32cStitched(crc uint32, p []byte, out *[256]byte) uint32 {
	const s = amd64.Crc32cStitchStream
	nb := (len(p) + 3*s) / (256 + 3*s)
	n := amd64.Crc32cStitchLen(nb)
	var crcs [3]uint32
	amd64.Crc32cStitchAVX512(^crc, p[:n], &foldK, out, &crcs)
	c := crc32.Update(0xFFFFFFFF, castagnoli, out[:])
	pow := stitchPow(nb - 1)
	for _, cj := range crcs {
		c = gf2MulMod(pow, c) ^ cj
	}
	return crc32.Update(c, castagnoli, p[n:])
}

// stitchPowNibbles[d][v] is x^(8·Crc32cStitchStream·v·16^d) modulo the
// polynomial: stitchPow multiplies one per non-zero hexadecimal digit of
// its argument (artifacts are under 2^31 bytes, so 6 digits cover every
// stream length).
var stitchPowNibbles = func() (t [6][16]uint32) {
	for d := range t {
		t[d][0] = 1 << 31 // x^0
		t[d][1] = xPow8nMod(uint64(amd64.Crc32cStitchStream) << (4 * d))
		for v := 2; v < 16; v++ {
			t[d][v] = gf2MulMod(t[d][v-1], t[d][1])
		}
	}
	return t
}()

// stitchPow returns x^(8·Crc32cStitchStream·m) modulo the polynomial
// (appending a stream of m blocks multiplies a CRC by it).
func stitchPow(m int) uint32 {
	p := uint32(1) << 31
	for d := 0; m != 0; d, m = d+1, m>>4 {
		if v := m & 15; v != 0 {
			if d >= len(stitchPowNibbles) {
				return gf2MulMod(p, xPow8nMod(uint64(amd64.Crc32cStitchStream*m)<<(4*d)))
			}
			p = gf2MulMod(p, stitchPowNibbles[d][v])
		}
	}
	return p
}
