//go:build amd64 && !noasm

package codegen

import (
	"hash/crc32"
	"math/rand/v2"
	"testing"
)

// TestCRC32CStitched checks the stitched checksum against hash/crc32 for
// every input length that has 1..12 folded blocks and the lengths around
// them, below the size crc32cUpdate starts using it.
func TestCRC32CStitched(t *testing.T) {
	if !canStitch {
		t.Skip("no AVX-512 VPCLMULQDQ on this CPU")
	}
	rng := rand.New(rand.NewPCG(9, 10))
	data := make([]byte, 12*400+400)
	for i := range data {
		data[i] = byte(rng.Uint32())
	}
	out := new([256]byte)
	for n := 256; n <= len(data); n++ {
		for _, crc := range []uint32{0, 0xDEADBEEF} {
			if got, want := crc32cStitched(crc, data[:n], out), crc32.Update(crc, castagnoli, data[:n]); got != want {
				t.Fatalf("%d bytes from %#x: %#x, want %#x", n, crc, got, want)
			}
		}
	}
}
