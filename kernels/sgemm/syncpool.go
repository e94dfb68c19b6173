package sgemm

import "sync"

// syncPool is a typed sync.Pool.
type syncPool[T any] struct {
	pool  sync.Pool
	newFn func() *T
}

func (s *syncPool[T]) get() *T {
	if v, ok := s.pool.Get().(*T); ok {
		return v
	}
	return s.newFn()
}

func (s *syncPool[T]) put(v *T) { s.pool.Put(v) }
