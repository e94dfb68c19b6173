package codegen

import (
	"encoding/binary"
	"hash/crc32"
	"math/rand/v2"
	"testing"
	"time"
)

// TestPendingChecksumMatchesCRC32C checks the overlapped checksum against
// crc32.Checksum over sizes around the chunk boundaries, waited for at
// once and after the helpers have had time, and startChecksum (which may
// choose either way) likewise.
func TestPendingChecksumMatchesCRC32C(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	data := make([]byte, max(5*asyncChunkBytes, overlapMinBytes+3*asyncChunkBytes)+4321)
	for i := range data {
		data[i] = byte(rng.Uint32())
	}
	sizes := []int{0, 1, 255, 2048, asyncChunkBytes - 1, asyncChunkBytes, asyncChunkBytes + 1,
		2*asyncChunkBytes - 1, 2 * asyncChunkBytes, 2*asyncChunkBytes + 1, 3*asyncChunkBytes + 77,
		overlapMinBytes - 1, overlapMinBytes, len(data)}
	for range 20 {
		sizes = append(sizes, rng.IntN(len(data)+1))
	}
	for _, n := range sizes {
		want := crc32.Checksum(data[:n], castagnoli)
		if got := startChecksumSized(data[:n], asyncChunkBytes, asyncChunkPow).wait(); got != want {
			t.Fatalf("%d bytes: checksum %#x, want %#x", n, got, want)
		}
		if got := startChecksum(data[:n]).wait(); got != want {
			t.Fatalf("%d bytes (startChecksum): checksum %#x, want %#x", n, got, want)
		}
		p := startChecksumSized(data[:n], asyncChunkBytes, asyncChunkPow)
		for range 1000 {
			_ = crc32.Checksum(data[:64], castagnoli) // give helpers a head start
		}
		if got := p.wait(); got != want {
			t.Fatalf("%d bytes (delayed wait): checksum %#x, want %#x", n, got, want)
		}
	}
}

// TestChooseOverlap checks the choice between a serial and an overlapped
// checksum by body size, and the forced modes.
func TestChooseOverlap(t *testing.T) {
	if chooseOverlap(overlapMinBytes-1) || !chooseOverlap(overlapMinBytes) {
		t.Fatal("overlapBySize")
	}
	defer func(m int) { overlapMode = m }(overlapMode)
	overlapMode = overlapAlways
	if !chooseOverlap(overlapAlwaysMinBytes) || chooseOverlap(overlapAlwaysMinBytes-1) {
		t.Fatal("overlapAlways")
	}
	overlapMode = overlapNever
	if chooseOverlap(overlapMinBytes) {
		t.Fatal("overlapNever")
	}
}

// TestFailedDecodeQuiesces checks that a decode that fails while its
// checksum is overlapped leaves no helper reading the caller's buffer
// (under go test -race, writing the buffer afterwards would report a
// race with a helper still checksumming it).
func TestFailedDecodeQuiesces(t *testing.T) {
	defer func(m int) { overlapMode = m }(overlapMode)
	overlapMode = overlapAlways
	data := make([]byte, 2*overlapAlwaysMinBytes)
	copy(data, ArtifactMagic)
	binary.LittleEndian.PutUint32(data[8:], ArtifactVersion)
	binary.LittleEndian.PutUint32(data[12:], maxHeaderBytes+1)
	for range 20 {
		if _, err := DecodeArtifact(data); err == nil {
			t.Fatal("decoded a body with an out-of-range header length")
		}
		for i := 16; i < len(data); i += 4096 {
			data[i]++ // the caller reuses its buffer
		}
	}
}

// TestPendingChecksumQuiesce checks that after wait and quiesce no helper
// reads the data, when helpers have had time to claim chunks (writing the
// data afterwards would be a race under go test -race).
func TestPendingChecksumQuiesce(t *testing.T) {
	data := make([]byte, 16*asyncChunkBytes)
	for range 20 {
		p := startChecksumSized(data, asyncChunkBytes, asyncChunkPow)
		for t0 := time.Now(); time.Since(t0) < 200*time.Microsecond; {
		}
		p.wait()
		p.quiesce()
		for i := 0; i < len(data); i += 4096 {
			data[i]++
		}
	}
}
