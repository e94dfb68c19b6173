package sgemm

// serialWork is the m·n·k each thread must get before a product is split
// across the pool: 2^21 multiply-adds, 4 MFLOP or some 20 µs of AVX-512
// work per thread. A variable so that tests can run small products on
// several threads.
//
// History. At 2^23 (session 3) no product of the seed Transformer (128
// rows, d 128, FFN 512: 2, 6, 8 and 8 M multiply-adds) was split, and at
// two threads nncc alone ran 0.66 ms against ONNX Runtime's 0.51. An
// earlier split of those products had cost more than it saved (1.55–1.64
// ms against 1.11–1.17 in the same runs, attention helper, 2026-11-29),
// and at 2^21 rnn_lstm doubled in the ONNX Runtime comparison. Both came
// from the pool rather than the products: a worker descheduled in the
// middle of its part held the caller polling for a time slice, and
// workers woken for one split product polled through the serial steps
// that followed, taking the caller's core. The pool now blocks in its
// join, yields its core while polling, is woken only ahead of the
// plan's first parallel step and parks on a kernel's hint (kernels.Rest);
// and an RNN does not split its input projection ahead of a serial
// recurrence (kernels/rnn_exec.go). With these, 2^21 splits the
// Transformer's three large products at two threads, not its 128³ output
// projection.
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
