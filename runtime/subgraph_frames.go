package runtime

import (
	"sync"

	"github.com/nncc/nncc/codegen"
)

// frameCache keeps the frames of a nested plan (an If branch, a Loop or
// Scan body) between the Runs that execute it, as compiled keeps the top
// level's: a scripted model whose whole network sits in a branch (Silero
// VAD) would otherwise build a frame, its contexts and their slices on
// every Run, and a Loop on every iteration. Frames are kept per pool
// choice (a body under a serial Run runs serially, newFrame).
type frameCache struct {
	mu   sync.Mutex
	free [2][]*frame // [0]: frames with the session's pool, [1]: serial ones
}

// get returns a frame for plan p under parent, reused when one is free.
func (fc *frameCache) get(s *Session, p *codegen.Plan, parent *frame) *frame {
	k := 0
	if parent != nil && parent.serial {
		k = 1
	}
	fc.mu.Lock()
	if n := len(fc.free[k]); n > 0 {
		f := fc.free[k][n-1]
		fc.free[k] = fc.free[k][:n-1]
		fc.mu.Unlock()
		f.parent = parent
		return f
	}
	fc.mu.Unlock()
	return newFrame(s, p, parent)
}

// put returns f to the cache once its Run is over, released (frame.release):
// the next Run must not see (or keep alive) this Run's tensors, which its
// caller now owns.
func (fc *frameCache) put(f *frame) {
	f.release()
	f.parent = nil
	k := 0
	if f.serial {
		k = 1
	}
	fc.mu.Lock()
	fc.free[k] = append(fc.free[k], f)
	fc.mu.Unlock()
}
