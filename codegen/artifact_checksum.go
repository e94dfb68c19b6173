package codegen

// The artifact checksum (CRC-32C of every byte before the last four).
// crc32cUpdate computes it with carry-less folding (AVX-512 VPCLMULQDQ
// where the CPU has it, else the CRC instruction); over large bodies the
// chunked checksum of artifact_checksum_async.go, the only parallel one,
// spreads the chunks over helper goroutines and the caller, and combines
// the chunk CRCs into the CRC of the whole (the combination is exact
// algebra over GF(2), so the value is the one crc32.Checksum gives and the
// format does not change). Verifying the checksum is most of the time an
// artifact takes to load.

// castagnoliReflected is the CRC-32C polynomial in reflected bit order.
const castagnoliReflected = 0x82F63B78

// parallelChecksumBytes: bodies at least this large are checksummed in
// parallel when written; below it starting goroutines costs more than it
// saves (loading decides with chooseOverlap).
const parallelChecksumBytes = 4 << 20

// maxChecksumWorkers bounds the goroutines one checksum uses.
const maxChecksumWorkers = 8

// artifactChecksum returns crc32.Checksum(data, castagnoli), computed in
// parallel chunks (startChecksumSized) when data is large and more than
// one CPU is available.
func artifactChecksum(data []byte) uint32 {
	if len(data) < parallelChecksumBytes {
		return crc32cUpdate(0, data)
	}
	p := startChecksumSized(data, asyncChunkBytes, asyncChunkPow)
	crc := p.wait()
	p.quiesce() // a helper may still be reading a chunk wait recomputed; the caller may change data next
	return crc
}

// crc32cCombine returns the CRC-32C of A followed by B from crcA =
// CRC(A), crcB = CRC(B) and lenB = len(B): appending lenB bytes
// multiplies A's remainder by x^(8·lenB) modulo the polynomial (the
// initial and final inversions of the two CRCs cancel in the xor).
func crc32cCombine(crcA, crcB uint32, lenB int64) uint32 {
	if lenB <= 0 {
		return crcA
	}
	return gf2MulMod(xPow8nMod(uint64(lenB)), crcA) ^ crcB
}

// gf2MulMod returns a·b modulo the CRC-32C polynomial, both operands and
// the result in reflected order (bit 31 is x^0).
// It runs without branches on the operands (a loop over them with data
// dependent branches mispredicts half the time).
func gf2MulMod(a, b uint32) uint32 {
	var p uint32
	for i := 31; i >= 0; i-- {
		p ^= b & -(a >> i & 1)
		b = b>>1 ^ castagnoliReflected&-(b&1)
	}
	return p
}

// xPow2k[k] is x^(2^k) modulo the polynomial, in reflected order.
var xPow2k = func() (t [64]uint32) {
	t[0] = 1 << 30 // x^1
	for k := 1; k < len(t); k++ {
		t[k] = gf2MulMod(t[k-1], t[k-1])
	}
	return t
}()

// xPow8nMod returns x^(8·n) modulo the polynomial (reflected order), by
// square-and-multiply over the bits of n.
func xPow8nMod(n uint64) uint32 {
	p := uint32(1) << 31 // x^0
	for k := 3; n != 0; k, n = k+1, n>>1 {
		if n&1 != 0 {
			p = gf2MulMod(xPow2k[k%len(xPow2k)], p)
		}
	}
	return p
}
