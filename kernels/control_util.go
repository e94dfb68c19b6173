package kernels

import (
	"fmt"

	"github.com/nncc/nncc/ir"
)

// Helpers shared by the control-flow, sequence and optional kernels
// (control_*.go, sequence*.go, optional.go): reading scalar operands,
// wrapping errors from nested graphs, and moving blocks of elements
// between tensors of any dtype.

// cfBody returns the graph attribute name of b's node and compiles it.
func cfBody(b *Build, name string) (*ir.Graph, Subgraph, error) {
	g := b.Node.Attrs.Graph(name)
	if g == nil {
		return nil, nil, b.Errorf("attribute %s must be a graph", name)
	}
	if b.Subgraph == nil {
		return nil, nil, b.Errorf("nested graphs cannot run here")
	}
	sub, err := b.Subgraph(g)
	if err != nil {
		return nil, nil, fmt.Errorf("node %q (%s): %s: %w", b.Node.Name, b.Node.Op, name, err)
	}
	return g, sub, nil
}

// cfRun runs a compiled body and checks that it yields want outputs.
func cfRun(c *Ctx, sub Subgraph, what string, in []*ir.Tensor, want int) ([]*ir.Tensor, error) {
	outs, err := sub.Run(c, in)
	if err != nil {
		return nil, cfErr(c, what, err)
	}
	if len(outs) != want {
		return nil, c.Errorf("%s yielded %d values, expected %d", what, len(outs), want)
	}
	for i, o := range outs {
		if o == nil {
			return nil, c.Errorf("%s yielded no value for output %d", what, i)
		}
	}
	return outs, nil
}

// cfErr names the node and the body what in an error of the body.
func cfErr(c *Ctx, what string, err error) error {
	if c.Node != nil {
		return fmt.Errorf("node %q (%s): %s: %w", c.Node.Name, c.Node.Op, what, err)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// cfBool reads a single-element bool tensor.
func cfBool(t *ir.Tensor, what string) (bool, error) {
	if t == nil || t.Kind != ir.KindTensor {
		return false, fmt.Errorf("%s must be a bool tensor, got %v", what, t)
	}
	b, ok := t.Data.([]bool)
	if !ok {
		return false, fmt.Errorf("%s must be bool, got %v", what, t.DType)
	}
	if len(b) != 1 {
		return false, fmt.Errorf("%s must hold one element, got shape %v", what, t.Shape)
	}
	return b[0], nil
}

// cfInt reads a single-element integer tensor.
func cfInt(t *ir.Tensor, what string) (int64, error) {
	if t == nil || t.Kind != ir.KindTensor {
		return 0, fmt.Errorf("%s must be an integer tensor, got %v", what, t)
	}
	v, err := t.Int64s()
	if err != nil {
		return 0, fmt.Errorf("%s: %v", what, err)
	}
	if len(v) != 1 {
		return 0, fmt.Errorf("%s must hold one element, got shape %v", what, t.Shape)
	}
	return v[0], nil
}

// cfPosition reads a sequence position (a scalar int32 or int64) and
// normalises it into [0, n) (or [0, n] when end is true, for insertion).
func cfPosition(t *ir.Tensor, n int, end bool) (int, error) {
	if t.Kind != ir.KindTensor || (t.DType != ir.Int32 && t.DType != ir.Int64) {
		return 0, fmt.Errorf("position must be an int32 or int64 scalar, got %v", t)
	}
	p, err := cfInt(t, "position")
	if err != nil {
		return 0, err
	}
	hi := int64(n)
	if !end {
		hi--
	}
	if p < -int64(n) || p > hi {
		if end {
			return 0, fmt.Errorf("position %d is outside [%d, %d] for a sequence of %d", p, -n, n, n)
		}
		return 0, fmt.Errorf("position %d is outside [%d, %d] for a sequence of %d", p, -n, n-1, n)
	}
	if p < 0 {
		p += int64(n)
	}
	return int(p), nil
}

// cfLimit returns the element limit of c.
func cfLimit(c *Ctx) int64 {
	if c.MaxElements > 0 {
		return c.MaxElements
	}
	return DefaultMaxElements
}

// cfBlock describes count copies of n elements: the i-th goes from
// src[s0+i*ss:] to dst[d0+i*ds:].
type cfBlock struct {
	count, n, d0, ds, s0, ss int
}

func cfBlocksT[T any](dst []T, src any, b cfBlock) bool {
	s, ok := src.([]T)
	if !ok {
		return false
	}
	for i := 0; i < b.count; i++ {
		d, o := b.d0+i*b.ds, b.s0+i*b.ss
		copy(dst[d:d+b.n], s[o:o+b.n])
	}
	return true
}

// cfCopyBlocks performs the copies of b between two storage slices of the
// same element type; it reports false if the types differ.
func cfCopyBlocks(dst, src any, b cfBlock) bool {
	if b.count == 0 || b.n == 0 {
		return true
	}
	switch d := dst.(type) {
	case []float32:
		return cfBlocksT(d, src, b)
	case []float64:
		return cfBlocksT(d, src, b)
	case []ir.F16:
		return cfBlocksT(d, src, b)
	case []ir.BF16:
		return cfBlocksT(d, src, b)
	case []int8:
		return cfBlocksT(d, src, b)
	case []int16:
		return cfBlocksT(d, src, b)
	case []int32:
		return cfBlocksT(d, src, b)
	case []int64:
		return cfBlocksT(d, src, b)
	case []uint8:
		return cfBlocksT(d, src, b)
	case []uint16:
		return cfBlocksT(d, src, b)
	case []uint32:
		return cfBlocksT(d, src, b)
	case []uint64:
		return cfBlocksT(d, src, b)
	case []bool:
		return cfBlocksT(d, src, b)
	case []string:
		return cfBlocksT(d, src, b)
	case []complex64:
		return cfBlocksT(d, src, b)
	case []complex128:
		return cfBlocksT(d, src, b)
	}
	return false
}

// cfProd returns the product of dims.
func cfProd(dims []int64) int {
	n := 1
	for _, d := range dims {
		n *= int(d)
	}
	return n
}

// cfSliceData returns the storage sub-slice [lo, hi) of a storage slice.
func cfSliceData(s any, lo, hi int) any {
	switch s := s.(type) {
	case []float32:
		return s[lo:hi:hi]
	case []float64:
		return s[lo:hi:hi]
	case []ir.F16:
		return s[lo:hi:hi]
	case []ir.BF16:
		return s[lo:hi:hi]
	case []int8:
		return s[lo:hi:hi]
	case []int16:
		return s[lo:hi:hi]
	case []int32:
		return s[lo:hi:hi]
	case []int64:
		return s[lo:hi:hi]
	case []uint8:
		return s[lo:hi:hi]
	case []uint16:
		return s[lo:hi:hi]
	case []uint32:
		return s[lo:hi:hi]
	case []uint64:
		return s[lo:hi:hi]
	case []bool:
		return s[lo:hi:hi]
	case []string:
		return s[lo:hi:hi]
	case []complex64:
		return s[lo:hi:hi]
	case []complex128:
		return s[lo:hi:hi]
	}
	panic(fmt.Sprintf("BUG: cfSliceData of %T", s))
}

// cfTake returns the sub-tensor of t at index p of axis (that axis
// dropped). Along axis 0 it is a view sharing t's storage (tensors are
// never written after they are made); otherwise the elements are copied.
func cfTake(t *ir.Tensor, axis, p int) *ir.Tensor {
	shape := append(append([]int64{}, t.Shape[:axis]...), t.Shape[axis+1:]...)
	outer, inner, l := cfProd(t.Shape[:axis]), cfProd(t.Shape[axis+1:]), int(t.Shape[axis])
	if outer == 1 {
		return &ir.Tensor{DType: t.DType, Shape: shape, Data: cfSliceData(t.Data, p*inner, (p+1)*inner)}
	}
	out := ir.NewTensor(t.DType, shape)
	cfCopyBlocks(out.Data, t.Data, cfBlock{count: outer, n: inner, d0: 0, ds: inner, s0: p * inner, ss: l * inner})
	return out
}

// cfSameType reports whether two runtime values have the same kind, dtype
// and (for tensors) shape.
func cfSameType(a, b *ir.Tensor) bool {
	if a.Kind != b.Kind || a.DType != b.DType {
		return false
	}
	return a.Kind != ir.KindTensor || sameShape(a.Shape, b.Shape)
}

// cfStaticShape returns the concrete shape of a node output's static type,
// if it has one.
func cfStaticShape(n *ir.Node, i int) ([]int64, ir.DType, bool) {
	o := n.Out(i)
	if o == nil || o.Type.Kind != ir.KindTensor || !o.Type.RankKnown {
		return nil, ir.Undefined, false
	}
	s, ok := o.Type.Shape.Concrete()
	return s, o.Type.DType, ok
}
