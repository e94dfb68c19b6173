package codegen

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Loading a large artifact can overlap verifying its checksum with
// decoding it (when that pays, see chooseOverlap): startChecksum splits
// the body into chunks that a helper goroutine and, once decoding is
// done, the loading goroutine itself claim one at a time; wait returns
// the CRC of the whole from the chunk CRCs (crc32cCombine). The loading
// goroutine never waits for the helper: it takes every chunk nobody
// claimed, and computes again any chunk the helper claimed but has not
// finished (on a busy machine the helper's thread can lose its core for
// a whole scheduler slice in the middle of a chunk). So a helper that is
// late, or never scheduled at all, costs the loader only its start and
// at most one chunk. Decoding before the checksum is verified is safe
// because the decoder never trusts the file (every length and offset is
// bounds-checked, see the body fuzz test); a load whose checksum does not
// match fails with the checksum error whatever the decoder found.

// asyncChunkBytes is the chunk size of an overlapped checksum (a multiple
// of 256, so every chunk but the last takes the folded path whole; large
// enough for the stitched CRC, see stitchMinBytes).
const asyncChunkBytes = 128 << 10

// asyncChunkPow is x^(8·asyncChunkBytes) modulo the polynomial: appending
// a whole chunk multiplies the CRC so far by it.
var asyncChunkPow = xPow8nMod(asyncChunkBytes)

// pendingChecksum is a checksum being computed (see startChecksum).
type pendingChecksum struct {
	data   []byte
	chunk  int    // chunk size in bytes
	pow    uint32 // x^(8·chunk) modulo the polynomial
	chunks int
	// sums[c] is 1<<32 | the CRC of chunk c once a helper has computed
	// it, 0 before.
	sums   []atomic.Uint64
	next   atomic.Int64 // next unclaimed chunk
	serial bool
	// helpers counts the helpers still running (see quiesce).
	helpers sync.WaitGroup
}

// startChecksum starts computing artifactChecksum(data), overlapped with
// the caller's work if chooseOverlap says so; wait returns it.
func startChecksum(data []byte) *pendingChecksum {
	if !chooseOverlap(len(data)) {
		return &pendingChecksum{data: data, serial: true}
	}
	return startChecksumSized(data, asyncChunkBytes, asyncChunkPow)
}

// startChecksumSized starts an overlapped checksum of data in chunks of
// chunk bytes (a multiple of 256), pow = xPow8nMod(chunk); with one CPU it
// is serial.
func startChecksumSized(data []byte, chunk int, pow uint32) *pendingChecksum {
	helpers := min(runtime.GOMAXPROCS(0)-1, maxChecksumWorkers-1)
	if helpers < 1 || len(data) <= chunk {
		return &pendingChecksum{data: data, serial: true}
	}
	chunks := (len(data) + chunk - 1) / chunk
	p := &pendingChecksum{data: data, chunk: chunk, pow: pow, chunks: chunks, sums: make([]atomic.Uint64, chunks)}
	for range min(helpers, chunks-1) {
		p.helpers.Add(1)
		go p.help()
	}
	return p
}

// help computes unclaimed chunks until there are none.
func (p *pendingChecksum) help() {
	defer p.helpers.Done()
	scratch := new([256]byte)
	for {
		c := int(p.next.Add(1) - 1)
		if c >= p.chunks {
			return
		}
		p.sums[c].Store(1<<32 | uint64(p.chunkCRC(c, scratch)))
	}
}

// chunkCRC returns the CRC-32C of chunk c.
func (p *pendingChecksum) chunkCRC(c int, scratch *[256]byte) uint32 {
	lo, hi := c*p.chunk, min((c+1)*p.chunk, len(p.data))
	return crc32cUpdateScratch(0, p.data[lo:hi], scratch)
}

// wait computes the chunks nobody claimed, claiming them one at a time
// alongside the helpers, then those a helper has not finished, and
// returns the checksum. It never blocks.
func (p *pendingChecksum) wait() uint32 {
	if p.serial {
		return crc32cUpdate(0, p.data)
	}
	scratch := new([256]byte)
	mine := make([]uint32, p.chunks)
	computed := make([]bool, p.chunks)
	for {
		c := int(p.next.Add(1) - 1)
		if c >= p.chunks {
			break
		}
		mine[c], computed[c] = p.chunkCRC(c, scratch), true
	}
	for c := range p.chunks {
		if computed[c] {
			continue
		}
		if v := p.sums[c].Load(); v != 0 {
			mine[c] = uint32(v)
		} else {
			mine[c] = p.chunkCRC(c, scratch)
		}
	}
	crc := mine[0]
	last := len(p.data) - (p.chunks-1)*p.chunk
	for c := 1; c < p.chunks-1; c++ {
		crc = gf2MulMod(p.pow, crc) ^ mine[c]
	}
	if p.chunks > 1 {
		crc = crc32cCombine(crc, mine[p.chunks-1], int64(last))
	}
	return crc
}

// quiesce returns once no helper reads the data any more. A load that
// succeeded need not call it (the session keeps the data unchanged while
// a helper may still finish a chunk nobody needs); a failed one does
// before its caller may reuse the buffer.
func (p *pendingChecksum) quiesce() {
	p.helpers.Wait()
}
