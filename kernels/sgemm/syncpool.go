package sgemm

import "github.com/nncc/nncc/internal/recycle"

// syncPool is a typed recycle.Pool.
type syncPool[T any] struct {
	pool  recycle.Pool
	newFn func() *T
}

func (s *syncPool[T]) get() *T {
	if v, ok := s.pool.Get().(*T); ok {
		return v
	}
	return s.newFn()
}

func (s *syncPool[T]) put(v *T) { s.pool.Put(v) }
