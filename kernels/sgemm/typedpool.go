package sgemm

import "github.com/nncc/nncc/internal/recycle"

// typedPool is a typed recycle.Pool.
type typedPool[T any] struct {
	pool  recycle.Pool
	newFn func() *T
}

func (s *typedPool[T]) get() *T {
	if v, ok := s.pool.Get().(*T); ok {
		return v
	}
	return s.newFn()
}

func (s *typedPool[T]) put(v *T) { s.pool.Put(v) }
