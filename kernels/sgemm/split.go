package sgemm

// serialWork is the m·n·k each thread must get before a product is split
// across the pool: 2^18 multiply-adds, some 0.5 MFLOP or 3–5 µs of
// work per thread (it was 2^21 until session 11: history below). A variable so that tests can run small products on
// several threads.
//
// What a split costs, measured on the pool (runtime's
// TestPoolHandoffLatency, session 7, two vCPUs): a worker polling for
// work starts its part about 1 µs after the loop is published, one woken
// from parking 3 µs or more, and a caller that ends up waiting for a
// worker's last part resumes about 4 µs after it ends (median; tens of µs
// on a busy machine). The parts are claimed one by one (parallel.go), so a
// worker that has not started takes none and the caller runs them all; at
// worst the caller waits for the one part a descheduled worker holds.
//
// Measured (seed Transformer, batch 2, per-step timing with the workers
// awake, nearly quiet machine, session 7): the 128×384×128 and
// 128×512×128 products ran 61 → 39-42 and 80 → 52-54 µs on two threads,
// but the 128×128×128 output projection stayed at 20.6 µs with both
// threads busy, and the cheap serial steps after split ones slowed down
// (a Transpose 1.5 → 10 µs, an Add 5 → 16 µs, a LayerNormalization 3.6 →
// 9 µs): the next step reads what the other core wrote. Alone (nncc bench
// -threads 2) a Run went 0.70 → 0.60 ms when the machine was quiet. Hence
// 2^21: the projection, 2^20 per thread, stays on one thread.
//
// History: at 2^23 (sessions 4–6) the Transformer's products stayed on
// one thread. Session 4: at 2^21, 0.83–0.90 ms against 0.67–0.70 in the
// alternation, ONNX Runtime's threads spinning on the second core after
// its own Run. Session 6 (quiet, alone, -always-parallel): at 2^21 the
// feed-forward products ran 83 → 54 µs each by per-step timing, yet a Run
// only went 0.691 → 0.657 ms. A session whose parallel Runs lose by more
// than a quarter runs serially (runtime/adaptive.go).
// rnn_lstm's input projection (100×512×128) is kept on one thread by the
// RNN kernel itself in any case (rnnProjParWork, kernels/rnn_exec.go).
//
// Session 11 (Zen 4 VM, other work stopped, nncc bench -threads 2 alone,
// the adaptive arms on, three interleaved runs each): at 2^18 with
// attention split from 2^20 (kernels' attnParallelFlops) the seed
// Transformer ran 0.662–0.678 ms against 0.861–0.876 at 2^21 and 2^23,
// transformer_t128_h4_d16 0.379–0.422 against 0.538–0.542; each change
// alone gave part of it (0.700–0.706 and 0.718–0.726 ms). The seed CNNs,
// LSTMs, GAN, ResNet-18, VGG and MobileNet of the catalogue were level
// (within 1%). Every large step of a Transformer layer now splits, so the
// workers poll through the layer instead of parking in the serial stretch
// of attention and output projection and waking late for the feed-forward
// products. In the alternation with ONNX Runtime's spinning threads the
// parallel arm still loses and the session runs serially (adaptive.go).
var serialWork = 1 << 18

// splits reports whether p is computed on the pool's threads (parallel.go)
// rather than on the calling one.
func splits(p *problem, pool Pool) bool { return Splits(p.m, p.n, p.k, pool) }

// Splits reports whether an m×n×k product computed with pool runs on the
// pool's threads rather than on the calling one: when the pool has several
// threads and each would get at least serialWork multiply-adds. Callers
// with many small products use it to run the products themselves in
// parallel instead (kernels' batched MatMul).
func Splits(m, n, k int, pool Pool) bool {
	if pool == nil {
		return false
	}
	t := pool.Threads()
	return t > 1 && m*n*max(k, 1) >= serialWork*t
}
