package kernels

import (
	"runtime"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"
)

// scalePool is a Pool for measuring how a kernel's parallel loops split
// on a shared machine: claim-based like the runtime's (the caller
// publishes the loop and takes chunks itself; a worker on its own locked
// OS thread polls for loops and parks after a while), and it records the
// thread CPU time of every chunk. crit sums, per loop, the longest
// chunk's CPU time, and callerChunks the CPU time of the chunks the
// caller ran: the caller's CPU time minus callerChunks plus crit is what
// the call would take with every chunk on its own idle core, whatever
// the machine's other processes did to the wall time.
type scalePool struct {
	n      int
	gen    atomic.Uint64
	fn     func(lo, hi int)
	total  int
	size   int
	chunks int64
	next   atomic.Int64
	done   atomic.Int64
	cpu    [64]int64 // per chunk CPU ns of the current loop
	sleep  atomic.Int32
	wake   []chan struct{}
	stop   atomic.Bool
	// serial runs every chunk on the caller, one after the other (the
	// split without any cross-core traffic, for comparison).
	serial  bool
	loops   int
	crit    int64
	callerC int64
	sum     int64 // CPU ns of all chunks
	// per loop index within a call (reset by the caller): longest and
	// summed chunk CPU ns
	perLoop    [][3]int64 // longest, all, the caller's
	loopInCall int
}

func newScalePool(n int) *scalePool {
	p := &scalePool{n: n}
	for i := range n - 1 {
		ch := make(chan struct{}, 1)
		p.wake = append(p.wake, ch)
		go p.work(ch, i+1)
	}
	return p
}

// pinThread binds the calling (locked) OS thread to CPU cpu modulo the
// CPU count, so that the caller and each worker keep their own core's
// caches: data a loop leaves in the other core's cache then costs what it
// costs on a quiet machine, in CPU time, whatever else runs.
func pinThread(cpu int) {
	var set unix.CPUSet
	set.Set(cpu % runtime.NumCPU())
	unix.SchedSetaffinity(0, &set)
}

func (p *scalePool) Threads() int { return p.n }

func (p *scalePool) work(wake chan struct{}, cpu int) {
	runtime.LockOSThread()
	pinThread(cpu)
	seen := p.gen.Load()
	last := time.Now()
	for spins := 0; ; spins++ {
		if p.stop.Load() {
			return
		}
		if g := p.gen.Load(); g != seen {
			seen = g
			p.runChunks()
			last, spins = time.Now(), 0
			continue
		}
		if spins&1023 == 1023 {
			unix.Syscall(unix.SYS_SCHED_YIELD, 0, 0, 0)
			if time.Since(last) > 200*time.Microsecond {
				p.sleep.Add(1)
				if p.gen.Load() == seen && !p.stop.Load() {
					<-wake
				}
				p.sleep.Add(-1)
				last = time.Now()
			}
		}
	}
}

func (p *scalePool) runChunks() (own int64) {
	for {
		i := p.next.Add(1) - 1
		if i >= p.chunks {
			return own
		}
		c0 := nchwcThreadCPU()
		lo := int(i) * p.size
		p.fn(lo, min(lo+p.size, p.total))
		d := nchwcThreadCPU() - c0
		p.cpu[i] = d
		own += d
		p.done.Add(1)
	}
}

func (p *scalePool) For(n, grain int, fn func(lo, hi int)) {
	if n <= 0 {
		return
	}
	grain = max(grain, 1)
	chunks := min(p.n, (n+grain-1)/grain)
	if chunks <= 1 {
		fn(0, n)
		return
	}
	p.size = (n + chunks - 1) / chunks
	p.chunks = int64((n + p.size - 1) / p.size)
	p.fn, p.total = fn, n
	p.next.Store(0)
	p.done.Store(0)
	if !p.serial {
		p.gen.Add(1)
	}
	if !p.serial && p.sleep.Load() > 0 {
		for _, w := range p.wake {
			select {
			case w <- struct{}{}:
			default:
			}
		}
	}
	var own int64
	if p.serial {
		for i := range p.chunks {
			c0 := nchwcThreadCPU()
			lo := int(i) * p.size
			fn(lo, min(lo+p.size, n))
			p.cpu[i] = nchwcThreadCPU() - c0
			own += p.cpu[i]
			p.next.Store(p.chunks)
			p.done.Add(1)
		}
	} else {
		own = p.runChunks()
	}
	for spins := 0; p.done.Load() < p.chunks; spins++ {
		if spins&1023 == 1023 {
			unix.Syscall(unix.SYS_SCHED_YIELD, 0, 0, 0)
		}
	}
	var longest int64
	for i := range p.chunks {
		longest = max(longest, p.cpu[i])
	}
	p.loops++
	p.crit += longest
	p.callerC += own
	var all int64
	for i := range p.chunks {
		all += p.cpu[i]
	}
	p.sum += all
	for len(p.perLoop) <= p.loopInCall {
		p.perLoop = append(p.perLoop, [3]int64{})
	}
	p.perLoop[p.loopInCall][0] += longest
	p.perLoop[p.loopInCall][1] += all
	p.perLoop[p.loopInCall][2] += own
	p.loopInCall++
	p.fn = nil
}

func (p *scalePool) close() {
	p.stop.Store(true)
	for _, w := range p.wake {
		select {
		case w <- struct{}{}:
		default:
		}
	}
}
