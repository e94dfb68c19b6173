package onnx

import (
	"fmt"
	"math"

	"google.golang.org/protobuf/proto"

	"github.com/nncc/nncc/frontend/onnx/onnxpb"
)

// Inlining multiplies: a function whose body calls another function eight
// times, nested a dozen levels, turns a 2 KiB file into 8^12 nodes, and a
// function holding a large constant copies it once per call. So before a
// call is inlined, what it will produce is counted from the function
// definitions alone (memoised per function) and checked against MaxNodes
// and MaxTensorBytes: a hostile model fails fast, before any copy is made.

// inlineCost is what inlining one call produces: nodes, and bytes of
// copied node protos (an upper bound on the tensors they carry).
type inlineCost struct{ nodes, bytes int64 }

func satAdd(a, b int64) int64 {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

func (c inlineCost) add(o inlineCost) inlineCost {
	return inlineCost{satAdd(c.nodes, o.nodes), satAdd(c.bytes, o.bytes)}
}

// callCost returns the cost of inlining one call of f. A function that
// (indirectly) calls itself counts the recursive call as one node; the
// expansion then stops it at MaxNesting.
func (d *decoder) callCost(k funcKey, f *onnxpb.FunctionProto, depth int) inlineCost {
	if c, ok := d.costs[k]; ok {
		return c
	}
	if depth > d.opts.limits.MaxNesting {
		return inlineCost{math.MaxInt64, 0}
	}
	d.costs[k] = inlineCost{1, 0} // in progress: a recursive call counts as one node
	c := inlineCost{}
	for _, np := range f.Node {
		c = c.add(d.nodeCost(np, depth+1))
	}
	d.costs[k] = c
	return c
}

// nodeCost is the cost of one node of a function body: itself (or the
// body it calls) and the nodes of its subgraphs.
func (d *decoder) nodeCost(np *onnxpb.NodeProto, depth int) inlineCost {
	k := funcKey{normDomain(np.Domain), np.OpType, np.Overload}
	c := inlineCost{1, int64(proto.Size(np))}
	if f := d.funcs[k]; f != nil {
		c = c.add(d.callCost(k, f, depth))
	}
	for _, a := range np.Attribute {
		if a.G != nil {
			c = c.add(d.graphCost(a.G, depth+1))
		}
		for _, g := range a.Graphs {
			c = c.add(d.graphCost(g, depth+1))
		}
	}
	return c
}

func (d *decoder) graphCost(g *onnxpb.GraphProto, depth int) inlineCost {
	if depth > d.opts.limits.MaxNesting {
		return inlineCost{math.MaxInt64, 0}
	}
	c := inlineCost{}
	for _, np := range g.Node {
		c = c.add(d.nodeCost(np, depth))
	}
	return c
}

// checkInline checks, before the top-level call np of f is inlined, that
// its expansion fits MaxNodes and that the copies fit MaxTensorBytes.
func (d *decoder) checkInline(k funcKey, f *onnxpb.FunctionProto, np *onnxpb.NodeProto) error {
	if d.costs == nil {
		d.costs = map[funcKey]inlineCost{}
	}
	c := d.callCost(k, f, 0)
	lim := d.opts.limits
	if satAdd(d.nodeCount, c.nodes) > lim.MaxNodes {
		return &LimitError{Limit: "MaxNodes", Value: lim.MaxNodes,
			What: fmt.Sprintf("number of nodes after inlining function %s (node %s)", f.Name, describe(np))}
	}
	d.inlinedBytes = satAdd(d.inlinedBytes, c.bytes)
	if satAdd(d.tensorBytes, d.inlinedBytes) > lim.MaxTensorBytes {
		return &LimitError{Limit: "MaxTensorBytes", Value: lim.MaxTensorBytes,
			What: fmt.Sprintf("size of the function bodies inlined (function %s, node %s)", f.Name, describe(np))}
	}
	return nil
}
