package runtime

import (
	"io"
	goruntime "runtime"

	"github.com/nncc/nncc/frontend/onnx"
)

// Options configures a Session. The zero value is usable.
type Options struct {
	// Threads is the number of threads kernels may use; 0 means the CPUs
	// the Go runtime runs goroutines on (GOMAXPROCS, which follows a
	// container's CPU limit), at most the machine's.
	Threads int
	// AlwaysParallel turns adaptive parallelism off: every Run of a
	// session with Threads > 1 splits its parallel loops over the threads.
	// By default such a session times its Runs, runs serially (its workers
	// parked) while that is faster, which it is when the machine has more
	// runnable threads than cores, and tries parallel Runs again now and
	// then, so that it goes back to them when the machine quietens.
	AlwaysParallel bool
	// ISA is the instruction-set level this session's kernels run at:
	// auto (or ""), generic, avx2, avx512 or neon. Auto takes a compiled
	// artifact's level, else the process default (the best the CPU
	// supports, or NNCC_ISA). Each session keeps its own level, so
	// sessions of different levels run side by side; a level the CPU or
	// build cannot run is an error when the model is loaded.
	ISA string
	// Reference runs only the passes later stages need (type inference and
	// the folding of shape computations), so kernels see the graph as the
	// model wrote it: the reference path conformance tests compare against.
	Reference bool
	// DisablePasses names passes to skip (see `nncc passes`).
	DisablePasses []string
	// VerifyPasses runs the IR verifier after every pass.
	VerifyPasses bool
	// DumpAfter names passes after which the load-time pass run writes the
	// graph's text form to Dump ("all": after every pass).
	DumpAfter []string
	Dump      io.Writer
	// MaxTensorElements bounds any one tensor's element count (0: 2^32).
	MaxTensorElements int64
	// MaxArenaBytes bounds the arena of one plan, its nested graphs'
	// plans included (0: 16 GiB; the memory budget applies as well).
	MaxArenaBytes int64
	// MaxMemoryBytes is the memory budget of one compiled plan beyond the
	// model's weights: its arena with its nested graphs' arenas, the
	// constants the passes fold (folding stops at the budget), and any
	// one tensor a kernel allocates at run time. 0: DefaultMemoryBudget
	// (a quarter of the machine's memory, an eighth of the process's
	// address-space limit, at most 16 GiB).
	MaxMemoryBytes int64
	// MaxLoopIterations bounds the iterations of one Loop (0: 2^18).
	MaxLoopIterations int64
	// ModelLimits bound what decoding an ONNX file may read and build
	// (zero fields take onnx.DefaultLimits; under an address-space limit
	// MaxModelBytes defaults to an eighth of it, memory_budget.go).
	ModelLimits onnx.Limits
}

func (o Options) threads() int {
	if o.Threads > 0 {
		return o.Threads
	}
	return min(goruntime.GOMAXPROCS(0), goruntime.NumCPU())
}

func (o Options) maxArena() int64 {
	if o.MaxArenaBytes > 0 {
		return o.MaxArenaBytes
	}
	return 16 << 30
}

func (o Options) maxElements() int64 {
	if o.MaxTensorElements > 0 {
		return o.MaxTensorElements
	}
	return 1 << 32
}
