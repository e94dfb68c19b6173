package passes

import "github.com/nncc/nncc/ir"

// runNested applies the pass table to every graph nested in g's nodes (If
// branches, Loop and Scan bodies), after g itself went through it, so
// that a body gets the folding, fusion and layout g got: exporters that
// script a model (Silero VAD's sample-rate If) put the whole network in a
// branch, with its weights as Constant nodes that would otherwise be
// copied on every Run. The outer graph's passes ran first, so a body sees
// outer values with their final (after specialisation: concrete) types.
//
// Each body is optimised as a copy that replaces it only when every pass
// succeeded. A body's types are inferred on a best-effort basis (a branch
// not taken for the graph's shapes may not even infer: Silero VAD's 8 kHz
// branch squeezes an axis that is 2 at 16 kHz), so a body whose passes
// fail stays as it was and runs unoptimised, as it would have anyway.
//
// A body's passes must not reach into the enclosing graphs: while they
// run, every value a body reads from outside has no producer, so no
// pattern can match through it and nothing outside is rewritten. A body
// is verified with its enclosing graph (Run verifies g after this), since
// alone its outer values are undefined.
func runNested(g *ir.Graph, c *Context) {
	first := -1
	for i, n := range g.Nodes {
		if !controlFlow[n.Op] || n.Domain != "" {
			continue
		}
		if first < 0 {
			first = i
		}
		for name, a := range n.Attrs {
			if a.G == nil && len(a.Graphs) == 0 {
				continue
			}
			na := *a
			if a.G != nil {
				na.G = optimisedBody(a.G, c)
			}
			if len(a.Graphs) > 0 {
				na.Graphs = make([]*ir.Graph, len(a.Graphs))
				for i, sg := range a.Graphs {
					na.Graphs[i] = optimisedBody(sg, c)
				}
			}
			n.Attrs[name] = &na
		}
	}
	if first >= 0 {
		refineTypes(g.Nodes[first:])
	}
}

// refineTypes infers nodes again, in order, after the bodies of the
// control-flow nodes among them were optimised: an optimised body knows
// its outputs' shapes (specialised to concrete input shapes, and folded),
// so the node's outputs, and the nodes reading them, get static shapes the
// memory planner can place (the If kernel then writes a branch's results
// into those buffers). It is best effort: if any node fails to infer, every
// output keeps the type it had.
func refineTypes(nodes []*ir.Node) {
	type saved struct {
		v *ir.Value
		t ir.Type
	}
	var old []saved
	for _, n := range nodes {
		for _, o := range n.Outputs {
			if o != nil {
				old = append(old, saved{o, o.Type})
			}
		}
	}
	for _, n := range nodes {
		if err := ir.InferNode(n); err != nil {
			for _, s := range old {
				s.v.Type = s.t
			}
			return
		}
	}
}

// controlFlow lists the ops whose graph attributes are bodies that run as
// they are; the passes leave other nested graphs alone (a Gradient node's
// captured forward graph must keep ops that have derivative rules).
var controlFlow = map[string]bool{"If": true, "Loop": true, "Scan": true}

// optimisedBody returns a copy of sg that went through the pass table with
// its outer values detached from their producers, or sg itself if a pass
// failed on it.
func optimisedBody(sg *ir.Graph, c *Context) *ir.Graph {
	cp := ir.Clone(sg)
	outer := outerValues(cp)
	producers := make([]*ir.Node, len(outer))
	for i, v := range outer {
		producers[i] = v.Producer
		v.Producer = nil
	}
	defer func() {
		for i, v := range outer {
			v.Producer = producers[i]
		}
	}()
	sub := &Context{Disable: c.Disable, MaxFoldElements: c.MaxFoldElements, MaxFoldBytes: c.MaxFoldBytes, fold: c.budget(), Level: c.Level, nested: true}
	if err := Run(cp, sub); err != nil {
		return sg
	}
	return cp
}

// outerValues returns the values that g (or a graph nested in it) reads
// but neither defines nor holds as a constant of its own, and that some
// node outside produces.
func outerValues(g *ir.Graph) []*ir.Value {
	var out []*ir.Value
	for _, v := range g.FreeValues() {
		if v.Producer != nil {
			out = append(out, v)
		}
	}
	return out
}
