package sgemm

// splits reports whether p is computed on the pool's threads (parallel.go)
// rather than on the calling one: when the pool has several threads and
// each would get at least serialWork multiply-adds.
//
// The hand-off to a worker that is polling costs a microsecond or two; the
// threshold is set for products whose halves still take tens of
// microseconds, so that the split pays also when the worker must first be
// woken. The seed Transformer's products (128 rows, d 128, FFN 512: 2, 6, 8
// and 8 M multiply-adds) are split at two threads except the 128³ output
// projection.
func splits(p *problem, pool Pool) bool {
	if pool == nil {
		return false
	}
	t := pool.Threads()
	return t > 1 && p.m*p.n*max(p.k, 1) >= serialWork*t
}
