package codegen

import (
	"fmt"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels"
	"github.com/nncc/nncc/kernels/isa"
)

// Options configures lowering.
type Options struct {
	// Subgraph turns a nested graph's plan into something a control-flow
	// kernel can run; supplied by the runtime.
	Subgraph func(p *Plan) kernels.Subgraph
	// NoArena leaves every intermediate dynamic.
	NoArena bool
	// MaxArenaBytes bounds the arena of the plan and of the nested
	// graphs' plans compiled for it, together; 0 means no bound.
	MaxArenaBytes int64
	// ArenaLimitName names MaxArenaBytes's source in the error (the
	// runtime option it comes from); "" reads "MaxArenaBytes".
	ArenaLimitName string
	// NoInPlace gives every value its own buffer (the reference path).
	NoInPlace bool
	// Level is the instruction-set level every kernel is built for
	// (kernels.Build.Level).
	Level isa.Level
	// Prepacks supplies and records build-time weight transforms
	// (kernels.Build.Prepacks); nil packs everything afresh.
	Prepacks kernels.Prepacks

	// arenaTotal sums the arenas of a plan and its nested plans.
	arenaTotal *int64
}

// Compile lowers g (already optimised and type-inferred) into a Plan.
func Compile(g *ir.Graph, opts Options) (*Plan, error) {
	if opts.arenaTotal == nil {
		opts.arenaTotal = new(int64)
	}
	p := &Plan{SlotOf: map[*ir.Value]int{}, noInPlace: opts.NoInPlace}
	slot := func(v *ir.Value, kind SlotKind) int {
		if i, ok := p.SlotOf[v]; ok {
			return i
		}
		i := len(p.Slots)
		p.Slots = append(p.Slots, Slot{Name: v.Name, Kind: kind, Type: v.Type, Const: v.Const, Value: v})
		p.SlotOf[v] = i
		return i
	}
	for _, v := range g.Inputs {
		p.Inputs = append(p.Inputs, slot(v, SlotInput))
	}
	for _, v := range g.Constants {
		slot(v, SlotConst)
	}
	for _, n := range g.Nodes {
		st := Step{Node: n}
		types := make([]*ir.Type, len(n.Inputs))
		for i, v := range n.Inputs {
			if v == nil {
				st.In = append(st.In, -1)
				continue
			}
			t := v.Type
			types[i] = &t
			if _, ok := p.SlotOf[v]; !ok {
				if v.Const != nil && v.Producer == nil {
					slot(v, SlotConst)
				} else {
					slot(v, SlotOuter)
				}
			}
			st.In = append(st.In, p.SlotOf[v])
		}
		// Outer-scope values used only inside this node's nested graphs
		// must be reachable from this plan too, so that a nested plan can
		// find them through its parent frame.
		for _, sg := range n.Subgraphs() {
			for _, v := range sg.FreeValues() {
				if _, ok := p.SlotOf[v]; !ok {
					if v.Const != nil && v.Producer == nil {
						slot(v, SlotConst)
					} else {
						slot(v, SlotOuter)
					}
				}
				st.Captures = append(st.Captures, p.SlotOf[v])
			}
		}
		b := &kernels.Build{Node: n, Graph: g, InTypes: types, Level: opts.Level, Prepacks: opts.Prepacks}
		b.Subgraph = func(sg *ir.Graph) (kernels.Subgraph, error) {
			if opts.Subgraph == nil {
				return nil, fmt.Errorf("node %q (%s): nested graphs are not supported here", n.Name, n.Op)
			}
			// A nested plan has an arena of its own for the values whose
			// shapes are static (after the passes ran on the body, most
			// are); the runtime copies a body output out of it before
			// the frame is reused (runtime/exec.go, subgraphRunner.Run).
			sub, err := Compile(sg, Options{Subgraph: opts.Subgraph, MaxArenaBytes: opts.MaxArenaBytes, ArenaLimitName: opts.ArenaLimitName,
				NoInPlace: opts.NoInPlace, Level: opts.Level, Prepacks: opts.Prepacks, arenaTotal: opts.arenaTotal})
			if err != nil {
				return nil, err
			}
			return opts.Subgraph(sub), nil
		}
		fn, err := kernels.BuildNode(b)
		if err != nil {
			return nil, err
		}
		st.Kernel = fn
		for _, o := range n.Outputs {
			if o == nil {
				st.Out = append(st.Out, -1)
				continue
			}
			kind := SlotDynamic
			if !opts.NoArena && arenaEligible(o.Type) {
				kind = SlotArena
			}
			st.Out = append(st.Out, slot(o, kind))
		}
		p.Steps = append(p.Steps, st)
	}
	for _, v := range g.Outputs {
		i, ok := p.SlotOf[v]
		if !ok {
			if v.Const != nil {
				i = slot(v, SlotConst)
			} else {
				i = slot(v, SlotOuter)
			}
		}
		p.Outputs = append(p.Outputs, i)
	}
	for i, s := range p.Slots {
		if s.Kind == SlotOuter {
			p.Outer = append(p.Outer, i)
		}
	}
	if !opts.NoInPlace {
		viewInputsInPlace(p)
	}
	planMemory(p)
	*opts.arenaTotal += p.ArenaBytes
	if total := *opts.arenaTotal; opts.MaxArenaBytes > 0 && total > opts.MaxArenaBytes {
		name := opts.ArenaLimitName
		if name == "" {
			name = "MaxArenaBytes"
		}
		if total != p.ArenaBytes {
			return nil, fmt.Errorf("memory plan needs %d arena bytes (%d with its nested graphs' plans), above the limit of %d (%s)", p.ArenaBytes, total, opts.MaxArenaBytes, name)
		}
		return nil, fmt.Errorf("memory plan needs %d arena bytes, above the limit of %d (%s)", p.ArenaBytes, opts.MaxArenaBytes, name)
	}
	return p, nil
}

// arenaEligible reports whether a value can live at a fixed arena offset:
// a plain numeric tensor with a concrete shape.
func arenaEligible(t ir.Type) bool {
	if t.Kind != ir.KindTensor || !t.RankKnown || t.DType == ir.String || !t.DType.Valid() {
		return false
	}
	_, ok := t.Shape.Concrete()
	return ok
}
