package codegen

import (
	"runtime"
	"sync/atomic"
)

// Loading a small artifact overlaps verifying its checksum with decoding
// it: startChecksum splits the body into chunks that helper goroutines
// and, once decoding is done, the loading goroutine itself claim one at a
// time; wait returns the CRC of the whole from the chunk CRCs
// (crc32cCombine). A helper that is never scheduled costs nothing but its
// start: the loading goroutine takes every chunk nobody claimed, and waits
// only for chunks a running helper is still working on. Decoding before
// the checksum is verified is safe because the decoder never trusts the
// file (every length and offset is bounds-checked, see the body fuzz
// test); a load whose checksum does not match fails with the checksum
// error whatever the decoder found.

// asyncChecksumBytes: smaller bodies are checksummed serially. On the
// quiet two-core development machine (2026-11-29) overlapping the
// checksum of bodies under a few MB made loads slower, not faster (waking
// a second P and waiting for its last chunk cost more than the 10-40 µs
// of CRC it took over: seed_cnn_mnist 104 vs 70 µs per load with 64 KB);
// from 2 MB the overlap wins (seed_transformer_encoder 385-425 vs 574 µs).
const asyncChecksumBytes = 2 << 20

// asyncChunkBytes is the chunk size of an overlapped checksum (a multiple
// of 256, so every chunk but the last takes the folded path whole).
const asyncChunkBytes = 64 << 10

// asyncChunkPow is x^(8·asyncChunkBytes) modulo the polynomial: appending
// a whole chunk multiplies the CRC so far by it.
var asyncChunkPow = xPow8nMod(asyncChunkBytes)

var kickRunnext = false

// pendingChecksum is a checksum being computed (see startChecksum).
type pendingChecksum struct {
	data   []byte
	chunk  int    // chunk size in bytes
	pow    uint32 // x^(8·chunk) modulo the polynomial
	chunks int
	sums   []uint32
	next   atomic.Int64 // next unclaimed chunk
	done   atomic.Int64 // chunks finished
	ready  chan struct{}
	serial bool
}

// startChecksum starts computing artifactChecksum(data) in the
// background; wait returns it.
func startChecksum(data []byte) *pendingChecksum {
	return startChecksumSized(data, asyncChecksumBytes, asyncChunkBytes, asyncChunkPow)
}

// startChecksumSized is startChecksum checksumming bodies of fewer than
// minBytes serially and others in chunks of chunk bytes (a multiple of
// 256), pow = xPow8nMod(chunk).
func startChecksumSized(data []byte, minBytes, chunk int, pow uint32) *pendingChecksum {
	helpers := min(runtime.GOMAXPROCS(0)-1, maxChecksumWorkers-1)
	if len(data) < minBytes || helpers < 1 {
		return &pendingChecksum{data: data, serial: true}
	}
	chunks := (len(data) + chunk - 1) / chunk
	p := &pendingChecksum{data: data, chunk: chunk, pow: pow, chunks: chunks, sums: make([]uint32, chunks), ready: make(chan struct{})}
	for range min(helpers, chunks-1) {
		go p.work()
	}
	if kickRunnext {
		go p.work()
	}
	return p
}

// work computes unclaimed chunks until there are none; whoever finishes
// the last chunk closes ready.
func (p *pendingChecksum) work() {
	scratch := new([256]byte)
	for {
		c := int(p.next.Add(1) - 1)
		if c >= p.chunks {
			return
		}
		lo, hi := c*p.chunk, min((c+1)*p.chunk, len(p.data))
		p.sums[c] = crc32cUpdateScratch(0, p.data[lo:hi], scratch)
		if int(p.done.Add(1)) == p.chunks {
			close(p.ready)
		}
	}
}

// wait helps with the chunks left, waits for those in progress and
// returns the checksum.
func (p *pendingChecksum) wait() uint32 {
	if p.serial {
		return artifactChecksum(p.data)
	}
	p.work()
	<-p.ready
	crc := p.sums[0]
	last := len(p.data) - (p.chunks-1)*p.chunk
	for c := 1; c < p.chunks-1; c++ {
		crc = gf2MulMod(p.pow, crc) ^ p.sums[c]
	}
	if p.chunks > 1 {
		crc = crc32cCombine(crc, p.sums[p.chunks-1], int64(last))
	}
	return crc
}
