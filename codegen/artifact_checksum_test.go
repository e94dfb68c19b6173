package codegen

import (
	"hash/crc32"
	"math/rand/v2"
	"testing"
)

// TestArtifactChecksumMatchesCRC32C checks the parallel checksum against
// crc32.Checksum over sizes around the parallel threshold and chunk
// boundaries, and the combination over random splits.
func TestArtifactChecksumMatchesCRC32C(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	data := make([]byte, 3*parallelChecksumBytes+12345)
	for i := range data {
		data[i] = byte(rng.Uint32())
	}
	for _, n := range []int{0, 1, 7, 64, 4096, parallelChecksumBytes - 1, parallelChecksumBytes,
		parallelChecksumBytes + 1, 2*checksumChunkBytes + 3, 2 * parallelChecksumBytes, len(data)} {
		if got, want := artifactChecksum(data[:n]), crc32.Checksum(data[:n], castagnoli); got != want {
			t.Fatalf("%d bytes: checksum %#x, want %#x", n, got, want)
		}
	}
	for range 200 {
		n := rng.IntN(5000)
		cut := rng.IntN(n + 1)
		a, b := data[:cut], data[cut:n]
		got := crc32cCombine(crc32.Checksum(a, castagnoli), crc32.Checksum(b, castagnoli), int64(len(b)))
		if want := crc32.Checksum(data[:n], castagnoli); got != want {
			t.Fatalf("combine at %d of %d: %#x, want %#x", cut, n, got, want)
		}
	}
}

func BenchmarkArtifactChecksum(b *testing.B) {
	data := make([]byte, 2<<20)
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range data {
		data[i] = byte(rng.Uint32())
	}
	b.Run("serial", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for range b.N {
			crc32.Checksum(data, castagnoli)
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for range b.N {
			artifactChecksum(data)
		}
	})
}
