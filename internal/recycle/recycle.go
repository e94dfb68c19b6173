// Package recycle keeps the values a kernel reuses from one call to the
// next (job records, packing scratch) without allocating in the steady
// state, whichever processor the calling goroutine runs on.
//
// sync.Pool does not give that guarantee. Its values live per processor
// (P): a value put back on one P is a private slot the other Ps cannot see,
// and the lock-free rings holding the rest are dropped when emptied from
// another P and allocated again when next filled. A Run longer than the Go
// scheduler's preemption interval (10 ms) moves between Ps, so a model
// such as a quantized 1024×1024 segmentation network made about twenty
// allocations per Run at GOMAXPROCS 2 while testing.AllocsPerRun, which
// sets GOMAXPROCS to 1, counted none.
//
// A Pool is a free list behind a mutex: Get takes the most recently put
// value, Put appends. It holds at most as many values as were ever out at
// once and, unlike sync.Pool, never lets the collector take them: a pool
// belongs to a kernel or a session and its values are sized by the model's
// shapes. Uncontended, Get and Put cost one lock each.
package recycle

import "sync"

// Pool is a set of reusable values. Its zero value is empty and ready for
// use; New, when set, makes a value for a Get that finds none. A Pool must
// not be copied after first use.
type Pool struct {
	// New makes a value when the pool is empty; nil makes Get return nil.
	New func() any

	mu   sync.Mutex
	free []any
}

// Get returns a value put back earlier (the most recent first), or New's,
// or nil.
func (p *Pool) Get() any {
	p.mu.Lock()
	if n := len(p.free); n > 0 {
		v := p.free[n-1]
		p.free[n-1] = nil
		p.free = p.free[:n-1]
		p.mu.Unlock()
		return v
	}
	p.mu.Unlock()
	if p.New != nil {
		return p.New()
	}
	return nil
}

// Put gives v back for a later Get. A nil v is ignored.
func (p *Pool) Put(v any) {
	if v == nil {
		return
	}
	p.mu.Lock()
	p.free = append(p.free, v)
	p.mu.Unlock()
}
