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
		parallelChecksumBytes + 1, 2*asyncChunkBytes + 3, 17*asyncChunkBytes + 5, 2 * parallelChecksumBytes, len(data)} {
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

// TestCRC32CUpdate checks crc32cUpdate (folded, and from 16 KB stitched
// with CRC instruction streams, where the CPU can) against hash/crc32
// around the folding and stitching thresholds, at odd offsets and from a
// non-zero CRC.
func TestCRC32CUpdate(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	data := make([]byte, 200*400+300)
	for i := range data {
		data[i] = byte(rng.Uint32())
	}
	for n := 0; n+3 <= len(data); n += 1 + n/7 {
		for _, off := range []int{0, 3} {
			p := data[off : off+n]
			for _, crc := range []uint32{0, 0xDEADBEEF} {
				if got, want := crc32cUpdate(crc, p), crc32.Update(crc, castagnoli, p); got != want {
					t.Fatalf("%d bytes at offset %d from %#x: %#x, want %#x", n, off, crc, got, want)
				}
			}
		}
	}
}

func BenchmarkArtifactChecksum(b *testing.B) {
	data := make([]byte, 2<<20)
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range data {
		data[i] = byte(rng.Uint32())
	}
	b.Run("hash-crc32", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for range b.N {
			crc32.Checksum(data, castagnoli)
		}
	})
	b.Run("serial", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for range b.N {
			crc32cUpdate(0, data)
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for range b.N {
			artifactChecksum(data)
		}
	})
}
