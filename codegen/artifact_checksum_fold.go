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
// bytes with the same CRC, which hash/crc32 finishes with the tail.

// foldMinBytes: shorter inputs go to hash/crc32 directly.
const foldMinBytes = 2048

var (
	canFold = cpu.X86.HasAVX512F && cpu.X86.HasAVX512VPCLMULQDQ
	foldK   = amd64.Crc32cFoldConstants()
)

// crc32cUpdate returns crc32.Update(crc, castagnoli, p).
func crc32cUpdate(crc uint32, p []byte) uint32 {
	return crc32cUpdateScratch(crc, p, new([256]byte))
}

// crc32cUpdateScratch is crc32cUpdate using out as scratch space (it
// escapes into hash/crc32, so callers of many updates share one).
func crc32cUpdateScratch(crc uint32, p []byte, out *[256]byte) uint32 {
	n := len(p) &^ 255
	if !canFold || n < foldMinBytes {
		return crc32.Update(crc, castagnoli, p)
	}
	amd64.Crc32cFold2048AVX512(^crc, p[:n], &foldK, out)
	return crc32.Update(crc32.Update(0xFFFFFFFF, castagnoli, out[:]), castagnoli, p[n:])
}
