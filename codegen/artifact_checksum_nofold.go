//go:build !amd64 || noasm

package codegen

import "hash/crc32"

// crc32cUpdate returns crc32.Update(crc, castagnoli, p) (hash/crc32 uses
// the CRC instruction where the CPU has one).
func crc32cUpdate(crc uint32, p []byte) uint32 {
	return crc32.Update(crc, castagnoli, p)
}

// crc32cUpdateScratch is crc32cUpdate (out is unused: the fold's scratch
// space where it exists).
func crc32cUpdateScratch(crc uint32, p []byte, out *[256]byte) uint32 {
	return crc32.Update(crc, castagnoli, p)
}
