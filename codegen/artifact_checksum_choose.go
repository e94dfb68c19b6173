package codegen

// Whether overlapping the checksum with decoding pays depends on how
// long the checksum takes against waking a helper and on whether the
// second core is free. Measured on the two-core development machine with
// its cores shared (2026-11-29, load average 4-10, BenchmarkLoadVariants,
// every artifact load right after an ONNX load): overlapping made every
// seed model under 3 MB slower to load (seed_gan_generator, 1.6 MB: 2.97
// vs 6.10 times faster than its ONNX load; seed_embed_lstm, 2.8 MB: 4.50
// vs 5.78: the woken helper time-shares the loader's core), and
// seed_transformer_encoder (5.9 MB) faster (10.9 vs 9.4); on the quiet
// machine the overlap won from 2 MB (seed_transformer_encoder 385-425 vs
// 574 µs per load) and lost at 1.3 MB with a 64 KB threshold
// (seed_cnn_mnist 104 vs 70 µs). So bodies from overlapMinBytes overlap,
// smaller ones are checksummed serially.

// overlapMinBytes: smaller bodies are checksummed serially.
const overlapMinBytes = 4 << 20

// overlapMode selects the way for benchmarks: overlapBySize (the
// default) overlaps from overlapMinBytes, overlapNever never,
// overlapAlways from overlapAlwaysMinBytes.
var overlapMode = overlapBySize

const (
	overlapBySize = iota
	overlapNever
	overlapAlways
)

// overlapAlwaysMinBytes: under overlapAlways, smaller bodies are still
// serial (they are a few chunks at most).
const overlapAlwaysMinBytes = 512 << 10

// chooseOverlap reports whether to overlap the checksum of an n-byte body
// with decoding it.
func chooseOverlap(n int) bool {
	switch overlapMode {
	case overlapNever:
		return false
	case overlapAlways:
		return n >= overlapAlwaysMinBytes
	}
	return n >= overlapMinBytes
}
