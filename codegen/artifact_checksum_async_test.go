package codegen

import (
	"fmt"
	"hash/crc32"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
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

// BenchmarkOverlappedChecksum compares, interleaved in one loop so that
// they see the same machine, checksumming a body serially after a
// simulated decode (a busy wait of -decode) with overlapping it in chunks
// of several sizes; it reports each variant's median in µs.
func BenchmarkOverlappedChecksum(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, size := range []int{512 << 10, 1 << 20, 1600 << 10, 2800 << 10} {
		for _, decode := range []time.Duration{10 * time.Microsecond, 25 * time.Microsecond} {
			data := make([]byte, size)
			for i := range data {
				data[i] = byte(rng.Uint32())
			}
			type variant struct {
				name  string
				chunk int
			}
			vs := []variant{{"serial", 0}, {"64K", 64 << 10}, {"128K", 128 << 10}, {"256K", 256 << 10}}
			b.Run(fmt.Sprintf("size=%dK/decode=%v", size>>10, decode), func(b *testing.B) {
				times := make([][]time.Duration, len(vs))
				for range b.N {
					for j, v := range vs {
						t0 := time.Now()
						min := 0
						if v.chunk == 0 {
							min = len(data) + 1
						}
						p := startChecksumSized(data, min, max(v.chunk, 256), xPow8nMod(uint64(max(v.chunk, 256))))
						for time.Since(t0) < decode {
						}
						p.wait()
						times[j] = append(times[j], time.Since(t0))
					}
				}
				for j, v := range vs {
					slices.Sort(times[j])
					b.ReportMetric(float64(times[j][len(times[j])/2].Nanoseconds())/1e3, v.name+"-µs")
				}
			})
		}
	}
}
