package codegen

import (
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels"
)

// SlotKind says where a slot's tensor comes from.
type SlotKind uint8

const (
	SlotInput   SlotKind = iota // a graph input, bound at Run
	SlotConst                   // a constant, bound at compile time
	SlotArena                   // an intermediate at a fixed arena offset
	SlotDynamic                 // an intermediate whose size is known only at run time, or a view of a graph input (inputviews.go)
	SlotOuter                   // a value of an enclosing graph (nested plans only)
)

// Slot is one value of the plan.
type Slot struct {
	Name  string
	Kind  SlotKind
	Type  ir.Type
	Const *ir.Tensor // SlotConst
	Shape []int64    // SlotArena: the concrete shape
	// Offset and Bytes place a SlotArena value in the arena.
	Offset, Bytes int64
	// Value is the ir value the slot holds (used to resolve SlotOuter).
	Value *ir.Value
}

// Step is one kernel invocation.
type Step struct {
	Node   *ir.Node
	Kernel kernels.Func
	In     []int // slot indices; -1 for an omitted input
	Out    []int // slot indices; -1 for an omitted output
	// Captures are the slots the node's nested graphs read from this plan.
	Captures []int
}

// Plan is a compiled graph.
type Plan struct {
	Slots   []Slot
	Steps   []Step
	Inputs  []int // slot of each graph input
	Outputs []int // slot of each graph output
	// ArenaBytes is the size of the arena the SlotArena values need.
	ArenaBytes int64
	// LastUse[s] is the index of the last step reading slot s (-1 if none).
	LastUse []int
	// SlotOf maps ir values to slots (for nested plans' outer lookups).
	SlotOf map[*ir.Value]int
	// Outer lists the SlotOuter slots.
	Outer []int

	noInPlace bool // Options.NoInPlace
}

// Stats summarises a plan for `nncc inspect`.
type Stats struct {
	Steps, Slots, ArenaSlots, DynamicSlots int
	ArenaBytes, ConstBytes, NaiveBytes     int64
}

// Stats computes the plan's summary.
func (p *Plan) Stats() Stats {
	s := Stats{Steps: len(p.Steps), Slots: len(p.Slots), ArenaBytes: p.ArenaBytes}
	for _, sl := range p.Slots {
		switch sl.Kind {
		case SlotArena:
			s.ArenaSlots++
			s.NaiveBytes += sl.Bytes
		case SlotDynamic:
			s.DynamicSlots++
		case SlotConst:
			s.ConstBytes += int64(sl.Const.Len() * sl.Const.DType.Size())
		}
	}
	return s
}
