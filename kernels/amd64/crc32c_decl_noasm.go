//go:build noasm

package amd64

// Crc32cFold2048AVX512 is Crc32cFold2048Go under the noasm tag.
func Crc32cFold2048AVX512(init uint32, p []byte, k *[2]uint64, out *[256]byte) {
	Crc32cFold2048Go(init, p, k, out)
}
