package runtime

import "github.com/nncc/nncc/ir"

// detachMemo remembers the item array of the sequence a frame last
// detached and how many of its items are known to live outside the
// frame, so that detaching a sequence that grew by one item since (a Loop
// appending to its carried sequence, kernels/sequence_append.go) checks
// the new item only instead of all of them: O(1) per iteration, not
// O(n). An item outside the frame stays outside: the frame's memory (its
// arena, its kept buffers) never takes over storage that is still
// referenced.
type detachMemo struct {
	base **ir.Tensor // &Items[0] of the array
	n    int
}

// detach makes the sequence or optional v safe to hand out of f before
// f's next Run reuses its memory: each item (at any depth) that lives in
// memory f owns is replaced, in v's own item array, by a copy. The
// values do not change, so every other holder of that array (earlier
// sequences sharing it) sees the same data; items already outside the
// frame are shared, not copied. A header the frame itself keeps is
// cloned whole.
func (f *frame) detach(v *ir.Tensor) *ir.Tensor {
	if v == nil || v.Kind == ir.KindTensor {
		return v
	}
	if f.keepsHeader(v) {
		return v.Clone()
	}
	return detachItems(v, &f.detached, f.owns)
}

// settleItems is detach for a sequence or optional a step made (settle):
// only items in the frame's arena, which later steps overwrite, are
// copied.
func (f *frame) settleItems(v *ir.Tensor) *ir.Tensor {
	return detachItems(v, &f.settled, func(t *ir.Tensor) bool { return aliases(t, f.arena) })
}

// detachItems replaces, in place, the items of v for which inFrame holds
// by copies (nested sequences item by item). memo, when not nil, skips
// the items an earlier call on the same item array checked.
func detachItems(v *ir.Tensor, memo *detachMemo, inFrame func(*ir.Tensor) bool) *ir.Tensor {
	if v == nil || v.Kind == ir.KindTensor || len(v.Items) == 0 {
		return v
	}
	base, from := &v.Items[0], 0
	if memo != nil && memo.base == base && memo.n <= len(v.Items) {
		from = memo.n
	}
	for i := from; i < len(v.Items); i++ {
		it := v.Items[i]
		switch {
		case it == nil || !inFrame(it):
		case it.Kind == ir.KindTensor:
			v.Items[i] = it.Clone()
		default:
			v.Items[i] = detachItems(it, nil, inFrame)
		}
	}
	if memo != nil {
		*memo = detachMemo{base: base, n: len(v.Items)}
	}
	return v
}

// keepsHeader reports whether t itself is a tensor header one of f's
// steps keeps for reuse.
func (f *frame) keepsHeader(t *ir.Tensor) bool {
	for i := range f.ctxs {
		for k := range f.ctxs[i].Kept {
			if kp := &f.ctxs[i].Kept[k]; kp.View == t || kp.Buf == t {
				return true
			}
		}
	}
	return false
}
