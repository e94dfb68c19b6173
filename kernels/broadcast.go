package kernels

import (
	"fmt"

	"github.com/nncc/nncc/internal/recycle"
	"github.com/nncc/nncc/ir"
)

// Broadcast maps the elements of a numpy-style broadcast output to the
// elements of its inputs. It is computed once per combination of input
// shapes and is immutable afterwards, so it may be shared by goroutines.
//
// Internally the output shape is reduced to the fewest dims that keep every
// input's layout expressible by strides: dims of size 1 are dropped and
// neighbouring dims that every input walks contiguously (or every input
// repeats) are merged. [2,3,4] + [4] thus becomes a [6,4] walk where input 1
// has strides [0,1]; [2,3,4] + [2,3,4] becomes one dim of 24.
//
// Kernels iterate with Runs, which hands out stretches of consecutive output
// elements along the innermost dim; in such a run each input either advances
// by one element per output element (InnerStride 1) or stays on the same
// element (InnerStride 0). Same and Scalar spot the common cases up front.
type Broadcast struct {
	// Shape is the output shape; Size its element count.
	Shape []int64
	Size  int

	dims    []int   // collapsed dims, outermost first; never empty
	strides [][]int // per input, per collapsed dim, in elements (0: repeated)
	same    []bool  // input laid out exactly like the output
	scalar  []bool  // input has one element
}

// NewBroadcast plans the multidirectional broadcast of the given shapes.
func NewBroadcast(shapes ...[]int64) (*Broadcast, error) {
	out, err := ir.BroadcastConcrete(shapes...)
	if err != nil {
		return nil, err
	}
	return NewBroadcastTo(out, shapes...)
}

// NewBroadcastTo plans the unidirectional broadcast of every input shape to
// out (each input must be broadcastable to out without changing it).
func NewBroadcastTo(out []int64, shapes ...[]int64) (*Broadcast, error) {
	rank := len(out)
	b := &Broadcast{Shape: append([]int64{}, out...), Size: ir.NumElements(out)}
	for _, d := range out {
		if d < 0 {
			return nil, fmt.Errorf("negative dimension in shape %v", out)
		}
	}
	// Per-input strides over the full output rank.
	full := make([][]int, len(shapes))
	for i, s := range shapes {
		if len(s) > rank {
			return nil, fmt.Errorf("shape %v has higher rank than broadcast result %v", s, out)
		}
		st := make([]int, rank)
		acc := 1
		for k := len(s) - 1; k >= 0; k-- {
			d := s[k]
			od := out[rank-len(s)+k]
			switch {
			case d == od:
				if d != 1 {
					st[rank-len(s)+k] = acc
				}
			case d == 1:
			default:
				return nil, fmt.Errorf("shape %v cannot broadcast to %v", s, out)
			}
			acc *= int(d)
		}
		full[i] = st
	}
	// Collapse: drop size-1 dims, merge neighbours with compatible strides.
	var dims []int
	strides := make([][]int, len(shapes))
	for k := 0; k < rank; k++ {
		d := int(out[k])
		if d == 1 {
			continue
		}
		if n := len(dims); n > 0 {
			merge := true
			for i := range shapes {
				if strides[i][n-1] != full[i][k]*d {
					merge = false
					break
				}
			}
			if merge {
				dims[n-1] *= d
				for i := range shapes {
					strides[i][n-1] = full[i][k]
				}
				continue
			}
		}
		dims = append(dims, d)
		for i := range shapes {
			strides[i] = append(strides[i], full[i][k])
		}
	}
	if len(dims) == 0 {
		dims = []int{1}
		for i := range shapes {
			strides[i] = []int{0}
		}
	}
	b.dims, b.strides = dims, strides
	b.same = make([]bool, len(shapes))
	b.scalar = make([]bool, len(shapes))
	for i, s := range shapes {
		n := ir.NumElements(s)
		b.scalar[i] = n == 1
		same := n == b.Size
		acc := 1
		for k := len(dims) - 1; k >= 0 && same; k-- {
			if dims[k] != 1 && strides[i][k] != acc {
				same = false
			}
			acc *= dims[k]
		}
		b.same[i] = same
	}
	return b, nil
}

// NumInputs returns how many input shapes the plan was made for.
func (b *Broadcast) NumInputs() int { return len(b.strides) }

// Same reports whether input i has the output's elements in the output's
// order (its flat index equals the output's flat index).
func (b *Broadcast) Same(i int) bool { return b.same[i] }

// Scalar reports whether input i has a single element.
func (b *Broadcast) Scalar(i int) bool { return b.scalar[i] }

// AllSame reports whether every input is laid out like the output.
func (b *Broadcast) AllSame() bool {
	for _, s := range b.same {
		if !s {
			return false
		}
	}
	return true
}

// Inner returns the length of the innermost collapsed dim: the longest run
// Runs can hand out.
func (b *Broadcast) Inner() int { return b.dims[len(b.dims)-1] }

// InnerStride returns 1 if input i advances with the output along the
// innermost collapsed dim and 0 if it repeats one element there.
func (b *Broadcast) InnerStride(i int) int {
	if b.strides[i][len(b.dims)-1] != 0 {
		return 1
	}
	return 0
}

// Offset returns the flat index into input i of the element that feeds
// output element out (the slow, general mapping; loops should use Runs).
func (b *Broadcast) Offset(i, out int) int {
	off := 0
	st := b.strides[i]
	for k := len(b.dims) - 1; k >= 0 && out > 0; k-- {
		d := b.dims[k]
		off += (out % d) * st[k]
		out /= d
	}
	return off
}

// Runs calls fn for consecutive stretches of the output range [lo, hi):
// output elements [out, out+n) are fed by input i starting at offs[i] and
// advancing InnerStride(i) per element. offs is reused between calls.
func (b *Broadcast) Runs(lo, hi int, fn func(out, n int, offs []int)) {
	if hi > b.Size {
		hi = b.Size
	}
	if lo >= hi {
		return
	}
	nd := len(b.dims)
	ni := len(b.strides)
	buf := runsBufs.Get().(*runsBuf)
	defer runsBufs.Put(buf)
	idx, offs := buf.get(nd, ni)
	// Multi-index and input offsets of lo.
	rem := lo
	for k := nd - 1; k >= 0; k-- {
		idx[k] = rem % b.dims[k]
		rem /= b.dims[k]
		for i := 0; i < ni; i++ {
			offs[i] += idx[k] * b.strides[i][k]
		}
	}
	last := nd - 1
	inner := b.dims[last]
	pos := lo
	for pos < hi {
		n := inner - idx[last]
		if n > hi-pos {
			n = hi - pos
		}
		fn(pos, n, offs)
		pos += n
		if pos >= hi {
			return
		}
		for i := 0; i < ni; i++ {
			offs[i] += n * b.strides[i][last]
		}
		idx[last] += n
		for k := last; k > 0 && idx[k] == b.dims[k]; k-- {
			idx[k] = 0
			idx[k-1]++
			for i := 0; i < ni; i++ {
				offs[i] += b.strides[i][k-1] - b.dims[k]*b.strides[i][k]
			}
		}
	}
}

// runsBuf holds Runs' multi-index and input offsets. The offsets are
// handed to a callback, so they would escape to the heap if made per
// call; runsBufs recycles them instead.
type runsBuf struct{ idx, offs []int }

var runsBufs = recycle.Pool{New: func() any { return new(runsBuf) }}

// get returns a zeroed multi-index of nd dims and ni zeroed offsets.
func (r *runsBuf) get(nd, ni int) (idx, offs []int) {
	if cap(r.idx) < nd {
		r.idx = make([]int, nd)
	}
	if cap(r.offs) < ni {
		r.offs = make([]int, ni)
	}
	idx, offs = r.idx[:nd], r.offs[:ni]
	clear(idx)
	clear(offs)
	return idx, offs
}

// LegacyBroadcastShape returns the shape to use for B under the broadcast
// rules of opset < 7 binary ops (attribute broadcast=1): B's dims line up
// with A's starting at axis (by default so that B's last dim matches A's),
// and the result reshapes B to A's rank with 1s elsewhere.
func LegacyBroadcastShape(a, b []int64, axis int64, hasAxis bool) ([]int64, error) {
	ra, rb := len(a), len(b)
	if rb > ra {
		return nil, fmt.Errorf("legacy broadcast: B has rank %d > rank %d of A", rb, ra)
	}
	start := ra - rb
	if hasAxis {
		ax := axis
		if ax < 0 {
			ax += int64(ra)
		}
		if ax < 0 || ax+int64(rb) > int64(ra) {
			return nil, fmt.Errorf("legacy broadcast: axis %d does not fit B %v into A %v", axis, b, a)
		}
		start = int(ax)
	}
	// A 1-element B broadcasts anywhere.
	if ir.NumElements(b) == 1 {
		return []int64{}, nil
	}
	out := make([]int64, ra)
	for i := range out {
		out[i] = 1
	}
	for i, d := range b {
		if d != a[start+i] && d != 1 {
			return nil, fmt.Errorf("legacy broadcast: B %v does not match A %v at axis %d", b, a, start)
		}
		out[start+i] = d
	}
	return out, nil
}
