package sgemm

// serialWork is the m·n·k each thread must get before a product is split
// across the pool: 2^21 multiply-adds, 4 MFLOP or some 20 µs of AVX-512
// work per thread. A variable so that tests can run small products on
// several threads.
//
// At two threads this splits the seed Transformer's QKV (128×384×128, 6 M)
// and feed-forward products (128×512×128 and 128×128×512, 8 M each) and
// keeps its 128³ output projection on one thread; rnn_lstm's input
// projection (100×512×128, 6.25 M) is kept on one thread by the RNN
// kernel itself (rnnProjParWork, kernels/rnn_exec.go). At 2^23 (session 3)
// no Transformer product was split, and alone at two threads nncc ran
// 0.66 ms against ONNX Runtime's 0.51 (2^21: 0.45 ms, quiet machine).
//
// Splitting used to cost more than it saved in the ortcompare alternation
// because of the pool, not the products: a worker descheduled in the
// middle of its part held the caller polling for a time slice, and
// workers woken for one split product polled through the serial steps
// that followed, taking the caller's core. The pool now blocks in its
// join, yields its core while polling, is woken only ahead of the plan's
// first parallel step and parks on a kernel's hint (kernels.Rest). On a
// loaded machine (session 4: load 7–11 on 2 cores; ortcompare with
// variants interleaved in one process, one session each) the Transformer
// at two threads ran 0.82–0.94 of ONNX Runtime's time at 2^21 against
// 0.87–0.99 at 2^23 in the default alternation and 0.77–0.85 against
// 0.74–0.84 with -block 10: within noise there. With the old pool, 2^22
// gave 1.12–1.27 with -block 10 against 0.75–0.86 with the new one.
// Re-measure on a quiet machine (2^23 and 2^22, which splits only the
// feed-forward products, are the fall-backs).
var serialWork = 1 << 21

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
