package kernels

import (
	"fmt"

	"github.com/nncc/nncc/ir"
)

// Helpers shared by the reduction, softmax, normalisation, loss,
// cumulative and einsum kernels. Floating-point storage types are computed
// through float64 (rnGet / rnPut); the generic type switches below are
// resolved per instantiation and cost no allocation.

// rnFloat is the set of floating-point storage types these kernels accept.
type rnFloat interface {
	float32 | float64 | ir.F16 | ir.BF16
}

// rnInt is the set of integer storage types.
type rnInt interface {
	int8 | int16 | int32 | int64 | uint8 | uint16 | uint32 | uint64
}

// rnGet widens a float storage value to float64.
func rnGet[T rnFloat](v T) float64 {
	switch x := any(v).(type) {
	case float32:
		return float64(x)
	case float64:
		return x
	case ir.F16:
		return float64(x.Float32())
	case ir.BF16:
		return float64(x.Float32())
	}
	panic("unreachable")
}

// rnPut rounds a float64 to a float storage value.
func rnPut[T rnFloat](f float64) T {
	var z T
	switch any(z).(type) {
	case float32:
		return any(float32(f)).(T)
	case float64:
		return any(f).(T)
	case ir.F16:
		return any(ir.NewFloat16(float32(f))).(T)
	case ir.BF16:
		return any(ir.NewBFloat16(float32(f))).(T)
	}
	panic("unreachable")
}

// rnIsFloatDType reports whether d is one of the four computed float types.
func rnIsFloatDType(d ir.DType) bool {
	return d == ir.Float32 || d == ir.Float64 || d == ir.Float16 || d == ir.BFloat16
}

// rnCheckFloat returns an error unless input i of a step is a float tensor
// of a computed type.
func rnCheckFloat(c *Ctx, name string, t *ir.Tensor) error {
	if t == nil {
		return c.Errorf("input %s is missing", name)
	}
	if t.Kind != ir.KindTensor || !rnIsFloatDType(t.DType) {
		return c.Errorf("input %s has type %v, expected float16, float, double or bfloat16", name, t.DType)
	}
	return nil
}

// rnAxisMask turns a list of possibly negative axes into a per-dimension
// mask. Repeated axes are accepted once.
func rnAxisMask(axes []int64, rank int) ([]bool, error) {
	mask := make([]bool, rank)
	for _, a := range axes {
		k, err := ir.NormAxis(a, rank)
		if err != nil {
			return nil, err
		}
		mask[k] = true
	}
	return mask, nil
}

// rnScalarInt reads a 0-D or single-element integer tensor (an axis input).
func rnScalarInt(t *ir.Tensor) (int64, error) {
	switch d := t.Data.(type) { // the usual axis dtypes, read without widening the tensor
	case []int64:
		if len(d) == 1 && t.Rank() <= 1 {
			return d[0], nil
		}
	case []int32:
		if len(d) == 1 && t.Rank() <= 1 {
			return int64(d[0]), nil
		}
	}
	v, err := t.Int64s()
	if err != nil {
		return 0, err
	}
	if len(v) != 1 || t.Rank() > 1 {
		return 0, fmt.Errorf("expected a scalar, got shape %v", t.Shape)
	}
	return v[0], nil
}

// rnSplit returns the products of shape[:axis] and shape[axis:].
func rnSplit(shape []int64, axis int) (outer, rest int) {
	outer, rest = 1, 1
	for i, d := range shape {
		if i < axis {
			outer *= int(d)
		} else {
			rest *= int(d)
		}
	}
	return outer, rest
}

// rnOuterInner views shape as [outer, shape[axis], inner].
func rnOuterInner(shape []int64, axis int) (outer, n, inner int) {
	outer, n, inner = 1, int(shape[axis]), 1
	for i, d := range shape {
		switch {
		case i < axis:
			outer *= int(d)
		case i > axis:
			inner *= int(d)
		}
	}
	return outer, n, inner
}

// rnGrain picks a parallel grain so that each chunk does roughly 32k
// element operations.
func rnGrain(perItem int) int {
	if perItem < 1 {
		perItem = 1
	}
	g := 32768 / perItem
	if g < 1 {
		g = 1
	}
	return g
}

// redPlan iterates a row-major input in contiguous runs and maps each run
// to the output of a reduction over a set of axes. Adjacent dimensions with
// the same role (reduced or kept) are merged and size-1 dimensions dropped,
// so a run is as long as possible.
type redPlan struct {
	dims      []int  // merged sizes, outermost first
	reduced   []bool // whether each merged dim is reduced
	outStride []int  // output stride of each merged dim (0 when reduced)
	total     int    // input elements
	outN      int    // output elements
	count     int    // elements reduced into each output element
}

func newRedPlan(shape []int64, mask []bool) *redPlan {
	p := &redPlan{total: 1, outN: 1, count: 1}
	for i, d := range shape {
		p.total *= int(d)
		if mask[i] {
			p.count *= int(d)
		} else {
			p.outN *= int(d)
		}
		if d == 1 {
			continue
		}
		if k := len(p.dims) - 1; k >= 0 && p.reduced[k] == mask[i] {
			p.dims[k] *= int(d)
			continue
		}
		p.dims = append(p.dims, int(d))
		p.reduced = append(p.reduced, mask[i])
	}
	if len(p.dims) == 0 {
		p.dims, p.reduced = []int{1}, []bool{true}
	}
	p.outStride = make([]int, len(p.dims))
	s := 1
	for i := len(p.dims) - 1; i >= 0; i-- {
		if !p.reduced[i] {
			p.outStride[i] = s
			s *= p.dims[i]
		}
	}
	return p
}

// inner returns the run length and whether the innermost dim is reduced
// (the run folds into one output element) or kept (the run maps one to one
// onto consecutive output elements).
func (p *redPlan) inner() (n int, reduced bool) {
	k := len(p.dims) - 1
	return p.dims[k], p.reduced[k]
}

// runs calls fn for every run with its input and output offsets, on the
// calling goroutine (redPlan.each is the parallel, allocation-free form).
func (p *redPlan) runs(fn func(in, out int)) {
	if p.total == 0 {
		return
	}
	if len(p.dims) == 1 {
		fn(0, 0)
		return
	}
	block := p.total / p.dims[0]
	for i := range p.dims[0] {
		p.walkIn(i*block, i*p.outStride[0], fn)
	}
}

// walkIn walks the dims below the outermost one from the given offsets,
// calling visit per run.
func (p *redPlan) walkIn(in, out int, visit func(in, out int)) {
	n, _ := p.inner()
	dims := p.dims[1 : len(p.dims)-1]
	strides := p.outStride[1 : len(p.outStride)-1]
	var idxBuf [8]int
	idx := idxBuf[:0]
	if len(dims) > len(idxBuf) {
		idx = make([]int, len(dims))
	} else {
		idx = idxBuf[:len(dims)]
	}
	end := in + p.total/p.dims[0]
	for in < end {
		visit(in, out)
		in += n
		for k := len(dims) - 1; k >= 0; k-- {
			idx[k]++
			out += strides[k]
			if idx[k] < dims[k] {
				break
			}
			out -= strides[k] * dims[k]
			idx[k] = 0
		}
	}
}

// rnMaxF is max with NaN propagation.
func rnMaxF(acc, x float64) float64 {
	if x > acc || x != x {
		return x
	}
	return acc
}

// rnMinF is min with NaN propagation.
func rnMinF(acc, x float64) float64 {
	if x < acc || x != x {
		return x
	}
	return acc
}

// rnLoad reads len(dst) elements of the float tensor t, starting at off and
// stepping by stride, into dst.
func rnLoad(t *ir.Tensor, off, stride int, dst []float64) {
	switch s := t.Data.(type) {
	case []float32:
		if stride == 1 {
			for k, v := range s[off : off+len(dst)] {
				dst[k] = float64(v)
			}
			return
		}
		rnLoadT(s, off, stride, dst)
	case []float64:
		if stride == 1 {
			copy(dst, s[off:off+len(dst)])
			return
		}
		rnLoadT(s, off, stride, dst)
	case []ir.F16:
		rnLoadT(s, off, stride, dst)
	case []ir.BF16:
		rnLoadT(s, off, stride, dst)
	default:
		panic("BUG: rnLoad of " + t.DType.String())
	}
}

func rnLoadT[T rnFloat](s []T, off, stride int, dst []float64) {
	if stride == 1 {
		s = s[off : off+len(dst)]
		for k, v := range s {
			dst[k] = rnGet(v)
		}
		return
	}
	for k := range dst {
		dst[k] = rnGet(s[off+k*stride])
	}
}

// rnStore writes src into the float tensor t, starting at off and stepping
// by stride.
func rnStore(t *ir.Tensor, off, stride int, src []float64) {
	switch s := t.Data.(type) {
	case []float32:
		if stride == 1 {
			d := s[off : off+len(src)]
			for k, v := range src {
				d[k] = float32(v)
			}
			return
		}
		rnStoreT(s, off, stride, src)
	case []float64:
		rnStoreT(s, off, stride, src)
	case []ir.F16:
		rnStoreT(s, off, stride, src)
	case []ir.BF16:
		rnStoreT(s, off, stride, src)
	default:
		panic("BUG: rnStore of " + t.DType.String())
	}
}

func rnStoreT[T rnFloat](s []T, off, stride int, src []float64) {
	if stride == 1 {
		d := s[off : off+len(src)]
		for k, v := range src {
			d[k] = rnPut[T](v)
		}
		return
	}
	for k, v := range src {
		s[off+k*stride] = rnPut[T](v)
	}
}

// rnBroadcastF64 returns the float tensor t broadcast (numpy rules) to
// shape as a dense float64 slice.
func rnBroadcastF64(t *ir.Tensor, shape []int64) ([]float64, error) {
	if len(t.Shape) > len(shape) {
		return nil, fmt.Errorf("shape %v does not broadcast to %v", t.Shape, shape)
	}
	off := len(shape) - len(t.Shape)
	for i, d := range t.Shape {
		if d != 1 && d != shape[off+i] {
			return nil, fmt.Errorf("shape %v does not broadcast to %v", t.Shape, shape)
		}
	}
	src := make([]float64, t.Len())
	rnLoad(t, 0, 1, src)
	n := ir.NumElements(shape)
	out := make([]float64, n)
	if len(src) == n {
		copy(out, src)
		return out, nil
	}
	// Source stride of each output dim (0 where broadcast).
	st := make([]int, len(shape))
	s := 1
	for i := len(t.Shape) - 1; i >= 0; i-- {
		if t.Shape[i] != 1 {
			st[off+i] = s
		}
		s *= int(t.Shape[i])
	}
	idx := make([]int, len(shape))
	p := 0
	for o := 0; o < n; o++ {
		out[o] = src[p]
		for k := len(shape) - 1; k >= 0; k-- {
			idx[k]++
			p += st[k]
			if idx[k] < int(shape[k]) {
				break
			}
			p -= st[k] * int(shape[k])
			idx[k] = 0
		}
	}
	return out, nil
}
