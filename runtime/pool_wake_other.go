//go:build !linux

package runtime

import "sync"

// wakeup is a binary semaphore between pool threads: signal leaves one
// token (a second signal before a wait is absorbed), wait takes it,
// sleeping until there is one. The zero value is empty. Linux has a
// futex version (pool_wake_linux.go).
type wakeup struct {
	once sync.Once
	ch   chan struct{}
}

func (w *wakeup) c() chan struct{} {
	w.once.Do(func() { w.ch = make(chan struct{}, 1) })
	return w.ch
}

// signal leaves the token.
func (w *wakeup) signal() {
	select {
	case w.c() <- struct{}{}:
	default:
	}
}

// wait takes the token, sleeping until a signal leaves one.
func (w *wakeup) wait() { <-w.c() }
