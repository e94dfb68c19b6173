//go:build !noasm

package amd64

// Crc32cFold2048AVX512 is Crc32cFold2048Go with VPCLMULQDQ on four
// 512-bit accumulators (AVX-512F and VPCLMULQDQ). len(p) must be a
// positive multiple of 256.
//
//go:noescape
func Crc32cFold2048AVX512(init uint32, p []byte, k *[2]uint64, out *[256]byte)

// Crc32cStitchAVX512 is Crc32cStitchGo with the fold of
// Crc32cFold2048AVX512 and the three streams' CRC instructions
// interleaved in one loop (AVX-512F, VPCLMULQDQ and SSE4.2). len(p) must
// be Crc32cStitchLen(nb) for some nb >= 1.
//
//go:noescape
func Crc32cStitchAVX512(init uint32, p []byte, k *[2]uint64, out *[256]byte, crcs *[3]uint32)
