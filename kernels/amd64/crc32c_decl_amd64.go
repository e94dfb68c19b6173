//go:build !noasm

package amd64

// Crc32cFold2048AVX512 is Crc32cFold2048Go with VPCLMULQDQ on four
// 512-bit accumulators (AVX-512F and VPCLMULQDQ). len(p) must be a
// positive multiple of 256.
//
//go:noescape
func Crc32cFold2048AVX512(init uint32, p []byte, k *[2]uint64, out *[256]byte)
