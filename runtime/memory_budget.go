package runtime

import "github.com/nncc/nncc/frontend/onnx"

// The memory budget bounds what one compiled plan may allocate beyond the
// model's own weights (those are bounded when the file is read, by
// onnx.Limits): the planned arena of the plan and of its nested graphs'
// plans together, the constants the passes fold, and any one tensor a
// kernel allocates at run time. Exceeding it is an error naming
// MaxMemoryBytes, given before the memory is allocated; folding that
// would exceed it leaves the rest of the nodes to run at run time.

const (
	// maxDefaultBudget caps the default budget.
	maxDefaultBudget = 16 << 30
	// unknownMemoryBudget is the default where the machine's memory
	// cannot be read.
	unknownMemoryBudget = 4 << 30
	// physShare is the fraction (1/physShare) of the machine's physical
	// memory the default budget may take.
	physShare = 4
	// addrShare is the fraction of the process's address-space limit the
	// default budget may take: the address space also holds the Go
	// runtime's reservations, the model's weights and the garbage
	// collector's headroom (a heap grows to twice its live data).
	addrShare = 8
)

// DefaultMemoryBudget is the budget a session uses when
// Options.MaxMemoryBytes is 0: a quarter of the machine's physical
// memory, and an eighth of the process's address-space limit (RLIMIT_AS)
// when one is set, at most 16 GiB (4 GiB where the memory cannot be
// read).
func DefaultMemoryBudget() int64 {
	phys, limit := systemMemory()
	if phys <= 0 {
		return unknownMemoryBudget
	}
	b := min(int64(maxDefaultBudget), phys/physShare)
	if limit > 0 {
		b = min(b, limit/addrShare)
	}
	return max(b, 1)
}

func (o Options) memoryBudget() int64 {
	if o.MaxMemoryBytes > 0 {
		return o.MaxMemoryBytes
	}
	return DefaultMemoryBudget()
}

// modelLimits returns o.ModelLimits with MaxModelBytes, when 0 and the
// process has an address-space limit, at most an eighth of that limit:
// decoding a file takes two to three times its size (the bytes, the
// decoded protobuf, the graph's tensors), so the default of 2 GiB would
// let a file of hundreds of megabytes exhaust a few gigabytes of address
// space in a fatal error instead of a clear one.
func (o Options) modelLimits() onnx.Limits {
	l := o.ModelLimits
	if l.MaxModelBytes == 0 {
		if _, as := systemMemory(); as > 0 {
			l.MaxModelBytes = min(onnx.DefaultLimits.MaxModelBytes, max(as/addrShare, 1))
		}
	}
	return l
}
