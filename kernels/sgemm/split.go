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
// one part a descheduled worker holds. With the seed Transformer (batch
// 2) on a machine whose cores were both taken by other processes, splitting
// its 128×384×128, 128×512×128, 128×128×512 and 128×128×128 products
// at this threshold cost 0–4% of a Run against not splitting them
// (runtime's TestTf2tAB experiment, interleaved, medians of 300 Runs).
//
// History: at 2^23 (sessions 4–6) the Transformer's products stayed on
// one thread; in session 4, 2^21 lost in ortcompare's alternation with
// ONNX Runtime (0.83–0.90 ms against 0.67–0.70), whose threads spin on the
// second core after its own Run. A session whose parallel Runs lose so
// clearly runs serially (runtime/adaptive.go).
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
