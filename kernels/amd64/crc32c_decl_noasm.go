//go:build noasm

package amd64

// Crc32cFold2048AVX512 is Crc32cFold2048Go under the noasm tag.
func Crc32cFold2048AVX512(init uint32, p []byte, k *[2]uint64, out *[256]byte) {
	Crc32cFold2048Go(init, p, k, out)
}

// Crc32cStitchAVX512 is Crc32cStitchGo under the noasm tag.
func Crc32cStitchAVX512(init uint32, p []byte, k *[2]uint64, out *[256]byte, crcs *[3]uint32) {
	Crc32cStitchGo(init, p, k, out, crcs)
}
