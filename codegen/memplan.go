package codegen

import (
	"sort"

	"github.com/nncc/nncc/ir"
)

// arenaAlign is the alignment of every arena offset: a cache line, which
// also suits 512-bit vector loads.
const arenaAlign = 64

// planMemory assigns arena offsets to SlotArena values. A value lives from
// the step that defines it to the last step that reads it (graph outputs
// to the end). Values are placed largest first at the lowest offset that
// does not overlap any placed value whose lifetime overlaps its own — the
// greedy-by-size heuristic, which is within a few percent of optimal on
// inference graphs and deterministic.
func planMemory(p *Plan) {
	p.LastUse = make([]int, len(p.Slots))
	def := make([]int, len(p.Slots))
	for i := range p.LastUse {
		p.LastUse[i], def[i] = -1, -1
	}
	for si, st := range p.Steps {
		for _, s := range st.In {
			if s >= 0 {
				p.LastUse[s] = si
			}
		}
		for _, s := range st.Captures {
			p.LastUse[s] = si
		}
		for _, s := range st.Out {
			if s >= 0 {
				def[s] = si
			}
		}
	}
	end := len(p.Steps)
	for _, s := range p.Outputs {
		p.LastUse[s] = end
	}
	// In-place: an output may share the buffer of an input that dies at
	// its step (see inplace.go). Sharing slots form a group placed as one
	// item spanning all their lifetimes.
	root := make([]int, len(p.Slots))
	for i := range root {
		root[i] = i
	}
	if !p.noInPlace {
		for si, st := range p.Steps {
			if in := inPlaceInput(p, si, st, p.LastUse); in >= 0 {
				root[st.Out[0]] = root[in]
			}
		}
	}
	type item struct {
		slot       int
		start, end int
		bytes      int64
	}
	var items []item
	group := map[int]int{} // root slot → index in items
	for i := range p.Slots {
		s := &p.Slots[i]
		if s.Kind != SlotArena {
			continue
		}
		shape, _ := s.Type.Shape.Concrete()
		s.Shape = shape
		s.Bytes = int64(ir.NumElements(shape)) * int64(s.Type.DType.Size())
		last := p.LastUse[i]
		if last < def[i] {
			last = def[i] // written but never read: still needs room while written
		}
		if k, ok := group[root[i]]; ok {
			items[k].start = min(items[k].start, def[i])
			items[k].end = max(items[k].end, last)
			continue
		}
		group[root[i]] = len(items)
		items = append(items, item{root[i], def[i], last, (s.Bytes + arenaAlign - 1) &^ (arenaAlign - 1)})
	}
	sort.SliceStable(items, func(a, b int) bool { return items[a].bytes > items[b].bytes })
	type placed struct {
		off, bytes int64
		start, end int
	}
	var done []placed
	for _, it := range items {
		var conflicts []placed
		for _, d := range done {
			if d.start <= it.end && it.start <= d.end {
				conflicts = append(conflicts, d)
			}
		}
		sort.Slice(conflicts, func(a, b int) bool { return conflicts[a].off < conflicts[b].off })
		off := int64(0)
		for _, c := range conflicts {
			if off+it.bytes <= c.off {
				break
			}
			if c.off+c.bytes > off {
				off = c.off + c.bytes
			}
		}
		p.Slots[it.slot].Offset = off
		done = append(done, placed{off, it.bytes, it.start, it.end})
		if off+it.bytes > p.ArenaBytes {
			p.ArenaBytes = off + it.bytes
		}
	}
	for i := range p.Slots {
		if p.Slots[i].Kind == SlotArena && root[i] != i {
			p.Slots[i].Offset = p.Slots[root[i]].Offset
		}
	}
}
