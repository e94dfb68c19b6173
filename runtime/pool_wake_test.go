package runtime

import (
	"testing"
	"time"
)

// TestWakeupTokens checks the semaphore's contract: a signal before the
// wait is kept (two are one), a wait without a token sleeps until a
// signal, and a long ping-pong between two goroutines loses no wake-up.
func TestWakeupTokens(t *testing.T) {
	var w wakeup
	w.signal()
	w.signal()
	w.wait() // the kept token: returns at once

	done := make(chan struct{})
	go func() { w.wait(); close(done) }()
	select {
	case <-done:
		t.Fatal("wait returned without a token (two signals left two tokens)")
	case <-time.After(20 * time.Millisecond):
	}
	w.signal()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("a sleeping wait was not woken by signal")
	}

	var ping, pong wakeup
	const rounds = 20000
	go func() {
		for range rounds {
			ping.wait()
			pong.signal()
		}
	}()
	deadline := time.AfterFunc(30*time.Second, func() { panic("ping-pong lost a wake-up") })
	defer deadline.Stop()
	for range rounds {
		ping.signal()
		pong.wait()
	}
}
