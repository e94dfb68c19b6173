package passes

import (
	"fmt"

	"github.com/nncc/nncc/ir"
)

// halfAsFloat computes float16 regions of the graph in float32, rounding
// to float16 where ONNX Runtime's CPU provider does and nowhere else.
// ONNX Runtime runs a float16 node with its float16 kernel when it has
// one and otherwise its float32 kernel between Casts, and then drops the
// Casts that cancel (a Cast to float16 straight back to float32, one of
// the two its own). So a value is rounded to float16 only where a node
// with a float16 kernel reads it, where the model casts it to float16
// for such a node, or where it leaves the graph as float16.
//
// Here every halfWidenable node without a float16 kernel in ONNX Runtime
// (halfOp.nativeFrom), and every one with such a kernel that ONNX Runtime
// too runs in float32 because it is isolated among the others
// (halfWidened), belongs to a region (the connected set of such nodes
// joined by float16 values), and a region that computes (halfRegionPays)
// is rewritten so that
//
//   - its nodes read and write float32;
//   - a float16 value entering it from outside (a graph input, another
//     node's output) is cast to float32 once, where it is first read,
//     except a value the model casts from float32, for which the region
//     reads the float32 value (halfRoundedFrom);
//   - a float16 constant it reads is widened once, at compile time;
//   - a value it writes that is read outside it (or is a graph output)
//     is cast back to float16, under its own name and type, except where
//     the readers outside are the model's own Casts, which read the
//     float32 value instead (halfExitCasts).
//
// What the region gains besides ONNX Runtime's results is float32's
// kernels: prepacked weights, fused epilogues, the blocked convolution
// layout, and no conversion on every node.
func halfAsFloat(g *ir.Graph, _ *Context) error {
	s := newFuseState(g)
	regions := halfRegions(g, halfWidened(g, s))
	if len(regions) == 0 {
		return nil
	}
	inRegion := map[*ir.Node]bool{}
	for _, r := range regions {
		for _, n := range r {
			inRegion[n] = true
		}
	}
	// How often each value is read by region nodes: a value read more
	// often than that (Uses counts every read, graph outputs and nested
	// graphs included) is also read outside the regions.
	regionReads := map[*ir.Value]int{}
	for n := range inRegion {
		for _, v := range n.Inputs {
			if v != nil {
				regionReads[v]++
			}
		}
	}
	widened := map[*ir.Value]*ir.Value{} // float16 value → its float32 twin
	dropped := map[*ir.Node]*ir.Value{}  // the model's Casts to float32 a twin replaces
	for _, n := range append([]*ir.Node(nil), g.Nodes...) {
		if !inRegion[n] {
			continue
		}
		for i, v := range n.Inputs {
			if v == nil || v.Type.DType != ir.Float16 {
				continue
			}
			if w, ok := widened[v]; ok {
				n.Inputs[i] = w
				continue
			}
			var w *ir.Value
			switch {
			case v.Const != nil:
				t, ok := halfConstToFloat(v)
				if !ok {
					return fmt.Errorf("BUG: half-float: float16 constant %q holds %T", v.Name, v.Const.Data)
				}
				w = s.constant(v.Name+"_float", t)
			case v.Producer != nil && inRegion[v.Producer]:
				return fmt.Errorf("BUG: half-float: %q read by %q before its producer was widened", v.Name, n.Name)
			case halfRoundedFrom(v) != nil:
				// v is a float32 value rounded by the model's own Cast:
				// the region reads the float32 value (ONNX Runtime drops
				// the model's Cast and its own Cast back as a pair).
				w = halfRoundedFrom(v)
			default:
				w = &ir.Value{Name: s.name(v.Name + "_float")}
				cast := castNode(g, s.name(v.Name+"_to_float"), v, w, ir.Float32)
				insertBefore(g, n, cast)
				if err := ir.InferNode(cast); err != nil {
					return err
				}
			}
			widened[v] = w
			n.Inputs[i] = w
		}
		var exits, rewired []*ir.Node
		for j, o := range n.Outputs {
			if o == nil || o.Type.DType != ir.Float16 {
				continue
			}
			w := &ir.Value{Name: s.name(o.Name + "_float"), Producer: n, Index: j}
			n.Outputs[j] = w
			widened[o] = w
			rounded, casts := halfExitCasts(g, s, o, w, inRegion, regionReads[o], dropped)
			rewired = append(rewired, casts...)
			if rounded {
				// Read outside the region: the float16 value keeps its
				// name and type, now the output of a Cast right after n.
				exits = append(exits, castNode(g, s.name(o.Name+"_to_half"), w, o, ir.Float16))
			}
		}
		if err := ir.InferNode(n); err != nil {
			return err
		}
		for _, c := range rewired {
			if err := ir.InferNode(c); err != nil {
				return err
			}
		}
		for k := len(exits) - 1; k >= 0; k-- {
			insertAfter(g, n, exits[k])
			if err := ir.InferNode(exits[k]); err != nil {
				return err
			}
		}
	}
	dead := map[*ir.Node]bool{}
	for c, w := range dropped {
		replaceUses(g, c.Out(0), w)
		dead[c] = true
	}
	removeNodes(g, dead)
	return nil
}

// halfRegions returns the regions of the widened nodes worth computing in
// float32, each a set of nodes in graph order.
func halfRegions(g *ir.Graph, widened map[*ir.Node]bool) [][]*ir.Node {
	var cand []*ir.Node
	idx := map[*ir.Node]int{}
	for _, n := range g.Nodes {
		if widened[n] {
			idx[n] = len(cand)
			cand = append(cand, n)
		}
	}
	// Union-find over candidates joined by a float16 value.
	parent := make([]int, len(cand))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for i, n := range cand {
		for _, v := range n.Inputs {
			if v == nil || v.Producer == nil || v.Type.DType != ir.Float16 {
				continue
			}
			if j, ok := idx[v.Producer]; ok {
				parent[find(i)] = find(j)
			}
		}
	}
	groups := map[int][]*ir.Node{}
	var roots []int
	for i, n := range cand {
		r := find(i)
		if _, ok := groups[r]; !ok {
			roots = append(roots, r)
		}
		groups[r] = append(groups[r], n)
	}
	var out [][]*ir.Node
	for _, r := range roots {
		if halfRegionPays(groups[r]) {
			out = append(out, groups[r])
		}
	}
	return out
}

// halfRegionPays reports whether computing region r in float32 is worth
// its edge Casts: it computes something. A float16 kernel converts its
// operands to float32 and its result back one value at a time, where the
// edge Casts convert whole tensors with vector instructions; a region of
// data movement alone (Reshape, Concat, Slice, …) moves float16 values
// as they are and would only gain the Casts.
func halfRegionPays(r []*ir.Node) bool {
	for _, n := range r {
		if halfWidenOps[n.Op].kind == halfCompute {
			return true
		}
	}
	return false
}

// halfWidenable reports whether n is a float16 node the widening may
// take: a default-domain op of halfWidenOps with a float16 output and no
// nested graphs.
func halfWidenable(n *ir.Node) bool {
	if n.Domain != "" || halfWidenOps[n.Op].kind == halfOther || len(n.Subgraphs()) > 0 {
		return false
	}
	for _, o := range n.Outputs {
		if o != nil && o.Type.DType == ir.Float16 {
			return true
		}
	}
	return false
}

// halfConstToFloat widens a constant float16 tensor to float32.
func halfConstToFloat(v *ir.Value) (*ir.Tensor, bool) {
	if v.Const == nil || v.Const.Kind != ir.KindTensor || v.Const.DType != ir.Float16 {
		return nil, false
	}
	h, ok := v.Const.Data.([]ir.F16)
	if !ok {
		return nil, false
	}
	out := make([]float32, len(h))
	for i, x := range h {
		out[i] = x.Float32()
	}
	return &ir.Tensor{Kind: ir.KindTensor, DType: ir.Float32, Shape: append([]int64(nil), v.Const.Shape...), Data: out}, true
}
