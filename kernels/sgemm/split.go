package sgemm

// serialWork is the m·n·k each thread must get before a product is split
// across the pool: 2^22 multiply-adds, 8 MFLOP or some 40 µs of AVX-512
// work per thread. A variable so that tests can run small products on
// several threads.
//
// At two threads this splits the seed Transformer's feed-forward products
// (128×512×128 and 128×128×512, 2^23 each) and keeps its QKV (6 M) and
// output (2 M) projections and rnn_lstm's input projection (100×512×128,
// 6.25 M) on one thread. On a loaded machine (session 4, four engineers,
// load 7–11 on 2 cores; ortcompare with the variants interleaved in one
// process) 2^21 (which also splits the QKV product) made the Transformer
// at two threads 0.78–1.34 of ONNX Runtime's time in the default
// alternation against 0.59–0.85 unsplit, and about equal with -block 10;
// 2^22 was within noise of unsplit in the alternation (0.87 vs 0.85) and
// a little better with -block 10 (0.75–0.86 vs 0.78–0.88). Alone on a
// quiet machine 2^21 made the Transformer 0.45 ms against 0.66 unsplit
// (session 3); re-measure there before lowering it.
//
// Splitting used to cost more than it saved because of the pool, not the
// products: a worker descheduled in the middle of its part held the caller
// polling for a time slice, and workers woken for one split product polled
// through the serial steps that followed, taking the caller's core. The
// pool now blocks in its join, yields its core while polling, is woken
// only ahead of the plan's first parallel step and parks on a kernel's
// hint (kernels.Rest); with the old pool, 2^22 made the Transformer 1.12–
// 1.27 with -block 10 against 0.75–0.86 with the new one (same runs).
var serialWork = 1 << 22

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
