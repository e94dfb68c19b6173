package sgemm

// serialWork is the m·n·k each thread must get before a product is split
// across the pool: 2^23 multiply-adds, some 17 MFLOP or 80 µs of AVX-512
// work per thread. A variable so that tests can run small products on
// several threads.
//
// At 2^21 two threads split the seed Transformer's QKV (128×384×128) and
// feed-forward products (128×512×128, 128×128×512). On the quiet machine
// (session 4, after the pool's blocking join) that gained little alone
// (nncc bench -threads 2: 0.69 ms against 0.72 at 2^23) and lost in
// ortcompare's alternation, where ONNX Runtime's threads share the two
// cores: nncc at two threads ran 0.83–0.90 ms at 2^21 against 0.67–0.70
// at 2^23 (0.68–0.72 at one thread), same minutes. Splitting mid-size
// products pays only when the second core is really free; rnn_lstm's
// input projection (100×512×128) is kept on one thread by the RNN kernel
// itself in any case (rnnProjParWork, kernels/rnn_exec.go).
//
// Session 6 (quiet machine, seed Transformer alone, nncc bench -threads 2
// -always-parallel): at 2^21 the feed-forward products ran 83 → 54 µs
// each by per-step timing, yet a Run only went 0.691 → 0.657 ms while the
// user CPU time rose from 4.1 to 6.8 s per 4.3 s of wall time. Where the
// rest of the expected gain goes is not yet understood; the threshold
// stays until it is.
var serialWork = 1 << 23

// splits reports whether p is computed on the pool's threads (parallel.go)
// rather than on the calling one: when the pool has several threads and
// each would get at least serialWork multiply-adds.
func splits(p *problem, pool Pool) bool {
	if pool == nil {
		return false
	}
	t := pool.Threads()
	return t > 1 && p.m*p.n*max(p.k, 1) >= serialWork*t
}
