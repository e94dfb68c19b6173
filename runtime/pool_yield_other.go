//go:build !linux

package runtime

import goruntime "runtime"

// osYield offers the core to other work; without sched_yield it only
// yields to other goroutines.
func osYield() { goruntime.Gosched() }
