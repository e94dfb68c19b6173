package kernels

import (
	"sync/atomic"

	"github.com/nncc/nncc/ir"
)

// Shared machinery of the elementwise kernels: type sets, the parallel
// split, float16/bfloat16 staging through float32, broadcast plan caching
// and the binary run loop that every broadcasting op uses.

// ewFloat is the set of float types computed natively.
type ewFloat interface{ ~float32 | ~float64 }

// ewInt is the set of integer storage types.
type ewInt interface {
	~int8 | ~int16 | ~int32 | ~int64 | ~uint8 | ~uint16 | ~uint32 | ~uint64
}

// ewNum is every natively computed numeric type.
type ewNum interface{ ewFloat | ewInt }

// ewGrain is the smallest chunk of elements worth handing to another
// goroutine.
const ewGrain = 1 << 14

// ewFor runs fn over [0, n) in parallel chunks when n is large enough.
func ewFor(c *Ctx, n int, fn func(lo, hi int)) {
	if n <= 0 {
		return
	}
	if c == nil || c.Pool == nil || n < 2*ewGrain {
		fn(0, n)
		return
	}
	c.Pool.For(n, ewGrain, fn)
}

// ewSerial reports whether ewFor would run n items as one chunk on the
// calling goroutine. Callers test it first and then call their loop body
// directly, so that the closure handed to the pool — which escapes to the
// heap — is only built when the work is really split.
func ewSerial(c *Ctx, n int) bool {
	return c == nil || c.Pool == nil || n < 2*ewGrain || c.Pool.Threads() <= 1
}

// ewIsHalf reports whether d is computed by staging through float32.
func ewIsHalf(d ir.DType) bool { return d == ir.Float16 || d == ir.BFloat16 }

// ewToF32 widens a float16 or bfloat16 tensor into a new float32 slice.
func ewToF32(t *ir.Tensor) []float32 {
	switch s := t.Data.(type) {
	case []ir.F16:
		out := make([]float32, len(s))
		ewF16ToF32(s, out)
		return out
	case []ir.BF16:
		out := make([]float32, len(s))
		ewBF16ToF32(s, out)
		return out
	case []float32:
		return s
	}
	panic("BUG: ewToF32 of " + t.DType.String())
}

// ewFromF32 rounds src into dst, a float16 or bfloat16 tensor.
func ewFromF32(dst *ir.Tensor, src []float32) {
	switch d := dst.Data.(type) {
	case []ir.F16:
		ewF32ToF16(src, d)
	case []ir.BF16:
		ewF32ToBF16(src, d)
	case []float32:
		copy(d, src)
	default:
		panic("BUG: ewFromF32 into " + dst.DType.String())
	}
}

func ewF16ToF32(s []ir.F16, d []float32) {
	d = d[:len(s)]
	for i, v := range s {
		d[i] = v.Float32()
	}
}

func ewBF16ToF32(s []ir.BF16, d []float32) {
	d = d[:len(s)]
	for i, v := range s {
		d[i] = v.Float32()
	}
}

func ewF32ToF16(s []float32, d []ir.F16) {
	d = d[:len(s)]
	for i, v := range s {
		d[i] = ir.NewFloat16(v)
	}
}

func ewF32ToBF16(s []float32, d []ir.BF16) {
	d = d[:len(s)]
	for i, v := range s {
		d[i] = ir.NewBFloat16(v)
	}
}

// ewPlanCache remembers the broadcast plan of the last input shapes a
// kernel saw, so steady-state runs with fixed shapes plan nothing. The
// cached plan is immutable; concurrent runs at worst recompute it.
type ewPlanCache struct {
	p atomic.Pointer[ewCachedPlan]
}

type ewCachedPlan struct {
	shapes [][]int64
	bc     *Broadcast
}

// plan returns the broadcast of shapes. For a node of the opset < 7
// binary form with broadcast=1, B is first laid out against A as the
// legacy rule says and the result must be A's shape.
func (pc *ewPlanCache) plan(node *ir.Node, shapes ...[]int64) (*Broadcast, error) {
	if cp := pc.p.Load(); cp != nil && ewSameShapes(cp.shapes, shapes) {
		return cp.bc, nil
	}
	// Planning works on a copy of the list, so that the variadic slice
	// does not escape and the cached path allocates nothing.
	return pc.build(node, append([][]int64(nil), shapes...))
}

func (pc *ewPlanCache) build(node *ir.Node, shapes [][]int64) (*Broadcast, error) {
	var bc *Broadcast
	var err error
	legacy := false
	if node != nil && len(shapes) == 2 {
		var axis int64
		var hasAxis bool
		legacy, axis, hasAxis = ir.EwLegacyBroadcast(node)
		if legacy {
			var bs []int64
			if bs, err = LegacyBroadcastShape(shapes[0], shapes[1], axis, hasAxis); err == nil {
				bc, err = NewBroadcastTo(shapes[0], shapes[0], bs)
			}
		}
	}
	if !legacy {
		if node != nil && node.Opset > 0 && node.Opset < 7 && len(shapes) == 2 && node.Attrs.Has("broadcast") &&
			!ewShapeEq(shapes[0], shapes[1]) && ir.NumElements(shapes[1]) != 1 {
			return nil, errBroadcastOff(shapes[0], shapes[1])
		}
		bc, err = NewBroadcast(shapes...)
	}
	if err != nil {
		return nil, err
	}
	cs := make([][]int64, len(shapes))
	for i, s := range shapes {
		cs[i] = append([]int64{}, s...)
	}
	pc.p.Store(&ewCachedPlan{shapes: cs, bc: bc})
	return bc, nil
}

type ewBroadcastOffError struct{ a, b []int64 }

func (e *ewBroadcastOffError) Error() string {
	return "shapes differ but broadcast=0 (opset < 7): " + ir.KnownShape(e.a).String() + " vs " + ir.KnownShape(e.b).String()
}

func errBroadcastOff(a, b []int64) error { return &ewBroadcastOffError{a, b} }

func ewShapeEq(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func ewSameShapes(a, b [][]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !ewShapeEq(a[i], b[i]) {
			return false
		}
	}
	return true
}

// ewKind says which operands of a binary run are vectors (advance one
// element per output element) and which are scalars (one element repeated).
type ewKind uint8

const (
	ewVV ewKind = iota // both vectors
	ewVS               // a vector, b scalar (b[0])
	ewSV               // a scalar (a[0]), b vector
)

// ewBinLoop computes one run of a binary op: len(o) outputs from a and b
// as kind says. op selects the operation inside a family of ops so that one
// generic function serves them all; it is switched on once per run.
type ewBinLoop[A, B, U any] func(op uint8, k ewKind, a []A, b []B, o []U)

// ewBinRun applies loop over the broadcast bc of a and b into o, splitting
// the work across the pool. o may be the same slice as a when a has the
// output's shape. A serial run builds no closure and allocates nothing.
func ewBinRun[A, B, U any](c *Ctx, bc *Broadcast, a []A, b []B, o []U, op uint8, loop ewBinLoop[A, B, U]) {
	n := bc.Size
	if n <= 0 {
		return
	}
	if ewSerial(c, n) {
		ewBinChunk(bc, a, b, o, op, loop, 0, n)
		return
	}
	j, ok := c.state.(*ewBinJob[A, B, U])
	if !ok {
		j = &ewBinJob[A, B, U]{}
		j.body = j.run // bound once: a parallel Run allocates no closure
		c.state = j
	}
	j.bc, j.a, j.b, j.o, j.op, j.loop = bc, a, b, o, op, loop
	c.Pool.For(n, ewGrain, j.body)
	*j = ewBinJob[A, B, U]{body: j.body} // keep no tensor alive between Runs
}

// ewBinJob is a parallel ewBinRun's loop body, kept per step (Ctx.state)
// with its method value bound once.
type ewBinJob[A, B, U any] struct {
	bc   *Broadcast
	a    []A
	b    []B
	o    []U
	op   uint8
	loop ewBinLoop[A, B, U]
	body func(lo, hi int)
}

func (j *ewBinJob[A, B, U]) run(lo, hi int) {
	ewBinChunk(j.bc, j.a, j.b, j.o, j.op, j.loop, lo, hi)
}

// ewBinChunk is ewBinRun's body for the output range [lo, hi).
func ewBinChunk[A, B, U any](bc *Broadcast, a []A, b []B, o []U, op uint8, loop ewBinLoop[A, B, U], lo, hi int) {
	switch {
	case bc.Same(0) && bc.Same(1):
		loop(op, ewVV, a[lo:hi], b[lo:hi], o[lo:hi])
	case bc.Same(0) && bc.Scalar(1):
		loop(op, ewVS, a[lo:hi], b[:1], o[lo:hi])
	case bc.Scalar(0) && bc.Same(1):
		loop(op, ewSV, a[:1], b[lo:hi], o[lo:hi])
	default:
		ewBinBroadcast(bc, a, b, o, op, loop, lo, hi)
	}
}

// ewBinBroadcast walks the output range [lo, hi) of a general two-input
// broadcast in runs along the innermost collapsed dim (what Broadcast.Runs
// does, without a callback or heap-allocated index).
func ewBinBroadcast[A, B, U any](bc *Broadcast, a []A, b []B, o []U, op uint8, loop ewBinLoop[A, B, U], lo, hi int) {
	hi = min(hi, bc.Size)
	if lo >= hi {
		return
	}
	sa, sb := bc.InnerStride(0), bc.InnerStride(1)
	nd := len(bc.dims)
	var idxBuf [8]int
	var idx []int
	if nd <= len(idxBuf) {
		idx = idxBuf[:nd]
	} else {
		idx = make([]int, nd)
	}
	st0, st1 := bc.strides[0], bc.strides[1]
	ia, ib := 0, 0
	rem := lo
	for k := nd - 1; k >= 0; k-- {
		idx[k] = rem % bc.dims[k]
		rem /= bc.dims[k]
		ia += idx[k] * st0[k]
		ib += idx[k] * st1[k]
	}
	last := nd - 1
	inner := bc.dims[last]
	for out := lo; out < hi; {
		m := min(inner-idx[last], hi-out)
		switch {
		case sa == 1 && sb == 1:
			loop(op, ewVV, a[ia:ia+m], b[ib:ib+m], o[out:out+m])
		case sa == 1:
			loop(op, ewVS, a[ia:ia+m], b[ib:ib+1], o[out:out+m])
		case sb == 1:
			loop(op, ewSV, a[ia:ia+1], b[ib:ib+m], o[out:out+m])
		default:
			loop(op, ewVS, a[ia:ia+1], b[ib:ib+1], o[out:out+1])
			for j := out + 1; j < out+m; j++ {
				o[j] = o[out]
			}
		}
		out += m
		if out >= hi {
			return
		}
		ia += m * st0[last]
		ib += m * st1[last]
		idx[last] += m
		for k := last; k > 0 && idx[k] == bc.dims[k]; k-- {
			idx[k] = 0
			idx[k-1]++
			ia += st0[k-1] - bc.dims[k]*st0[k]
			ib += st1[k-1] - bc.dims[k]*st1[k]
		}
	}
}

// BroadcastCopy fills dst (the output of plan b, which must have exactly
// one input) with the elements of src repeated as the broadcast says.
func BroadcastCopy[T any](b *Broadcast, dst, src []T) {
	if b.Same(0) {
		copy(dst[:b.Size], src)
		return
	}
	if b.Scalar(0) {
		v := src[0]
		for i := range dst[:b.Size] {
			dst[i] = v
		}
		return
	}
	inner := b.InnerStride(0)
	b.Runs(0, b.Size, func(out, n int, offs []int) {
		if inner == 1 {
			copy(dst[out:out+n], src[offs[0]:offs[0]+n])
			return
		}
		v := src[offs[0]]
		for j := out; j < out+n; j++ {
			dst[j] = v
		}
	})
}

// ewInputs checks that the first n inputs are present tensors.
func ewInputs(c *Ctx, in []*ir.Tensor, n int) error {
	if len(in) < n {
		return c.Errorf("expected %d inputs, got %d", n, len(in))
	}
	for i := 0; i < n; i++ {
		if in[i] == nil {
			return c.Errorf("input %d is missing", i)
		}
		if in[i].Kind != ir.KindTensor {
			return c.Errorf("input %d must be a tensor, got a %v", i, in[i].Kind)
		}
	}
	return nil
}
