package kernels

import (
	"cmp"
	"slices"

	"github.com/nncc/nncc/ir"
)

// topKLanes is TopK on storage whose Go type orders as its dtype does
// (argTyped's types): for every lane of x it writes the k largest (or
// smallest) values in order, ties by the lower index first, to vals and
// their indices to idx (both with the lanes' axis of size k), in
// cmp.Compare's order (NaN below every number): the order the widened
// keys give, without widening. order is scratch of at least the axis
// length. A small k selects through a heap of k entries (O(n log k))
// instead of sorting the lane.
func topKLanes[T cmp.Ordered](x, vals []T, idx []int64, L mvLanes, k int, largest bool, order []int64) {
	order = order[:L.n]
	for o := 0; o < L.outer; o++ {
		for i := 0; i < L.inner; i++ {
			base := o*L.n*L.inner + i
			at := func(j int64) T { return x[base+int(j)*L.inner] }
			// better reports whether lane entry a comes before entry b.
			better := func(a, b int64) bool {
				c := cmp.Compare(at(a), at(b))
				if !largest {
					c = -c
				}
				return c > 0 || (c == 0 && a < b)
			}
			sel := order[:0]
			if k*8 < L.n {
				// A heap of the k best so far, the worst on top.
				for j := range int64(L.n) {
					if len(sel) < k {
						sel = append(sel, j)
						topKUp(sel, len(sel)-1, better)
					} else if k > 0 && better(j, sel[0]) {
						sel[0] = j
						topKDown(sel, 0, better)
					}
				}
			} else {
				for j := range int64(L.n) {
					sel = append(sel, j)
				}
			}
			slices.SortFunc(sel, func(a, b int64) int {
				if better(a, b) {
					return -1
				}
				return 1
			})
			for j := 0; j < k; j++ {
				pos := (o*k+j)*L.inner + i
				idx[pos] = sel[j]
				vals[pos] = at(sel[j])
			}
		}
	}
}

// topKUp and topKDown keep h a heap whose top is the entry every other
// entry comes before (better).
func topKUp(h []int64, i int, better func(a, b int64) bool) {
	for i > 0 {
		p := (i - 1) / 2
		if !better(h[p], h[i]) {
			return
		}
		h[p], h[i] = h[i], h[p]
		i = p
	}
}

func topKDown(h []int64, i int, better func(a, b int64) bool) {
	for {
		w, l, r := i, 2*i+1, 2*i+2
		if l < len(h) && better(h[w], h[l]) {
			w = l
		}
		if r < len(h) && better(h[w], h[r]) {
			w = r
		}
		if w == i {
			return
		}
		h[i], h[w] = h[w], h[i]
		i = w
	}
}

// topKTyped runs topKLanes on x's storage into vals (of x's dtype) when
// its Go element type orders as its dtype does, and reports whether it
// did; other dtypes go through mvKeys.
func topKTyped(x, vals *ir.Tensor, idx []int64, L mvLanes, k int, largest bool, order []int64) bool {
	switch d := x.Data.(type) {
	case []float32:
		topKLanes(d, vals.Data.([]float32), idx, L, k, largest, order)
	case []float64:
		topKLanes(d, vals.Data.([]float64), idx, L, k, largest, order)
	case []int64:
		topKLanes(d, vals.Data.([]int64), idx, L, k, largest, order)
	case []int32:
		topKLanes(d, vals.Data.([]int32), idx, L, k, largest, order)
	case []int8:
		if x.DType != ir.Int8 {
			return false
		}
		topKLanes(d, vals.Data.([]int8), idx, L, k, largest, order)
	case []uint8:
		if x.DType != ir.Uint8 {
			return false
		}
		topKLanes(d, vals.Data.([]uint8), idx, L, k, largest, order)
	case []uint64:
		topKLanes(d, vals.Data.([]uint64), idx, L, k, largest, order)
	default:
		return false
	}
	return true
}
