package codegen

import (
	"hash/crc32"
	"math/rand/v2"
	"testing"
)

// TestPendingChecksumMatchesCRC32C checks the overlapped checksum against
// crc32.Checksum over sizes around the serial threshold and the chunk
// boundaries, waited for at once and after the helpers have had time.
func TestPendingChecksumMatchesCRC32C(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	data := make([]byte, max(5*asyncChunkBytes, asyncChecksumBytes+3*asyncChunkBytes)+4321)
	for i := range data {
		data[i] = byte(rng.Uint32())
	}
	sizes := []int{0, 1, 255, 2048, asyncChecksumBytes - 1, asyncChecksumBytes, asyncChecksumBytes + 1,
		2*asyncChunkBytes - 1, 2 * asyncChunkBytes, 2*asyncChunkBytes + 1, 3*asyncChunkBytes + 77, len(data)}
	for range 20 {
		sizes = append(sizes, rng.IntN(len(data)+1))
	}
	for _, n := range sizes {
		want := crc32.Checksum(data[:n], castagnoli)
		if got := startChecksum(data[:n]).wait(); got != want {
			t.Fatalf("%d bytes: checksum %#x, want %#x", n, got, want)
		}
		p := startChecksum(data[:n])
		for range 1000 {
			_ = crc32.Checksum(data[:64], castagnoli) // give helpers a head start
		}
		if got := p.wait(); got != want {
			t.Fatalf("%d bytes (delayed wait): checksum %#x, want %#x", n, got, want)
		}
	}
}
