package onnx

import (
	"container/heap"
	"fmt"
	"strings"

	"github.com/nncc/nncc/frontend/onnx/onnxpb"
)

// order returns the items in a topological order. ONNX requires nodes to
// be listed in one already; when they are, the order is kept as is.
// Otherwise the nodes are sorted, keeping the file order wherever the
// dependencies allow. A node depends on the producers of its inputs and of
// the outer names its subgraphs use. Names that no node of this graph
// produces must come from the scope (checked when the node is decoded).
func order(items []item) ([]item, error) {
	producer := map[string]int{}
	for i, it := range items {
		for _, o := range it.np.Output {
			if o == "" {
				continue
			}
			if j, dup := producer[o]; dup {
				return nil, fmt.Errorf("value %q is produced by both node %s and node %s", o, describe(items[j].np), describe(it.np))
			}
			producer[o] = i
		}
	}
	deps := make([][]int, len(items))
	sorted := true
	for i, it := range items {
		for _, name := range needs(it.np) {
			j, ok := producer[name]
			if !ok {
				continue
			}
			if j == i {
				return nil, fmt.Errorf("node %s uses its own output %q", describe(it.np), name)
			}
			if j > i {
				sorted = false
			}
			deps[i] = append(deps[i], j)
		}
	}
	if sorted {
		return items, nil
	}

	// Kahn's algorithm with the smallest file index first.
	indeg := make([]int, len(items))
	users := make([][]int, len(items))
	for i, ds := range deps {
		for _, j := range ds {
			indeg[i]++
			users[j] = append(users[j], i)
		}
	}
	ready := &intHeap{}
	for i, n := range indeg {
		if n == 0 {
			heap.Push(ready, i)
		}
	}
	out := make([]item, 0, len(items))
	for ready.Len() > 0 {
		i := heap.Pop(ready).(int)
		out = append(out, items[i])
		for _, u := range users[i] {
			indeg[u]--
			if indeg[u] == 0 {
				heap.Push(ready, u)
			}
		}
	}
	if len(out) != len(items) {
		var cyc []string
		for i, n := range indeg {
			if n > 0 && len(cyc) < 5 {
				cyc = append(cyc, describe(items[i].np))
			}
		}
		return nil, fmt.Errorf("the nodes form a cycle (involving %s)", strings.Join(cyc, ", "))
	}
	return out, nil
}

// needs lists the names a node reads: its inputs and the names its
// subgraphs take from enclosing scopes.
func needs(np *onnxpb.NodeProto) []string {
	var out []string
	for _, in := range np.Input {
		if in != "" {
			out = append(out, in)
		}
	}
	for _, a := range np.Attribute {
		if a.G != nil {
			out = append(out, freeNames(a.G, 0)...)
		}
		for _, g := range a.Graphs {
			out = append(out, freeNames(g, 0)...)
		}
	}
	return out
}

// freeNames lists the names a graph uses but does not define.
func freeNames(gp *onnxpb.GraphProto, depth int) []string {
	if depth > 256 {
		return nil // nesting is limited (and reported) by the decoder
	}
	defined := map[string]bool{}
	for _, t := range gp.Initializer {
		defined[t.Name] = true
	}
	for _, s := range gp.SparseInitializer {
		defined[s.GetValues().GetName()] = true
	}
	for _, vi := range gp.Input {
		defined[vi.Name] = true
	}
	for _, n := range gp.Node {
		for _, o := range n.Output {
			defined[o] = true
		}
	}
	var out []string
	use := func(name string) {
		if name != "" && !defined[name] {
			out = append(out, name)
		}
	}
	for _, n := range gp.Node {
		for _, in := range n.Input {
			use(in)
		}
		for _, a := range n.Attribute {
			if a.G != nil {
				for _, s := range freeNames(a.G, depth+1) {
					use(s)
				}
			}
			for _, g := range a.Graphs {
				for _, s := range freeNames(g, depth+1) {
					use(s)
				}
			}
		}
	}
	for _, vi := range gp.Output {
		use(vi.Name)
	}
	return out
}

// describe names a node proto for messages.
func describe(np *onnxpb.NodeProto) string {
	if np.Name != "" {
		return fmt.Sprintf("%q (%s)", np.Name, np.OpType)
	}
	return fmt.Sprintf("%s with outputs %v", np.OpType, np.Output)
}

type intHeap []int

func (h intHeap) Len() int           { return len(h) }
func (h intHeap) Less(i, j int) bool { return h[i] < h[j] }
func (h intHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *intHeap) Push(x any)        { *h = append(*h, x.(int)) }
func (h *intHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
