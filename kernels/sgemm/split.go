package sgemm

// serialWork is the m·n·k each thread must get before a product is split
// across the pool: 2^20 multiply-adds, some 2 MFLOP or 10 µs of AVX-512
// work per thread. A variable so that tests can run small products on
// several threads.
//
// The threshold is set by what a split costs, measured on the pool
// (runtime, session 7, two vCPUs): a worker polling for work starts its
// first part about 1 µs after the loop is published, one woken from
// parking 3 µs or more, and a caller that ends up waiting for a worker's
// last part resumes about 4 µs after it ends (median; tens of µs on a
// busy machine). A product of 10 µs per thread pays that back. What a
// split costs when the second core is not free is bounded by the way the
// parts are handed out (parallel.go): they are claimed one by one, so a
// worker that has not started takes none and the caller runs them all,
// for the price of publishing the loop; at worst the caller waits for the
// one part a descheduled worker holds.
//
// Measured in session 7 only on a machine whose two vCPUs were taken by
// other processes (load average 5–14), where the second thread could not
// help: against 2^23, splitting the seed Transformer's (batch 2)
// 128×384×128, 128×512×128, 128×128×512 and 128×128×128 products and
// its attention (kernels/fused_attention_core.go) cost 0–4% of a Run alone
// (interleaved A/B, medians of 300 Runs), and in ortcompare's alternation
// with ONNX Runtime moved the two-thread ratio from a median of 0.80 to
// 0.85 (8 runs each, spread ±0.1). The gain on a free second core is not
// yet measured: if it does not come, this goes back to 2^23.
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
var serialWork = 1 << 20

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
