package kernels

import (
	"fmt"
	"math"

	"github.com/nncc/nncc/ir"
)

// attnBias is the additive attention bias of one run, evaluated a row at a
// time. It sums, per (batch, head, query, key):
//   - attn_mask, broadcast right-aligned to (batch, q_heads, q_seq, total);
//     a boolean mask contributes 0 (attend) or -inf, any other dtype its
//     value; keys past the mask's last dimension get -inf;
//   - the causal frontier (is_causal): key j is visible to query i iff
//     j <= i + offset, offset being the past length, or
//     nonpad_kv_seqlen[b] - q_seq for an external cache, or 0;
//   - the sliding window (opset 25) around the absolute position offset+i;
//   - the padding of an external cache: keys j >= nonpad_kv_seqlen[b].
type attnBias struct {
	cfg *attnConfig
	d   *attnDims

	mask      []float64 // nil when there is no attn_mask
	mStride   [3]int    // strides over batch, head, query (0 = broadcast)
	mLast     int       // the mask's last dimension
	nonpad    []int64   // nil without nonpad_kv_seqlen
	hasWindow bool
}

func newAttnBias(cfg *attnConfig, d *attnDims, mask, nonpad *ir.Tensor) (*attnBias, error) {
	ab := &attnBias{cfg: cfg, d: d, hasWindow: cfg.left >= 0 || cfg.right >= 0}
	if mask != nil {
		r := mask.Rank()
		if r < 1 || r > 4 {
			return nil, fmt.Errorf("attn_mask must have rank 1 to 4, got shape %v", mask.Shape)
		}
		f, err := advFloats(mask)
		if err != nil {
			return nil, fmt.Errorf("attn_mask: %v", err)
		}
		if mask.DType == ir.Bool {
			for i, x := range f {
				if x != 0 {
					f[i] = 0
				} else {
					f[i] = math.Inf(-1)
				}
			}
		}
		ab.mask = f
		ab.mLast = int(mask.Shape[r-1])
		if ab.mLast > d.total {
			return nil, fmt.Errorf("attn_mask shape %v: last dimension exceeds the total sequence length %d", mask.Shape, d.total)
		}
		target := [3]int{d.batch, d.qHeads, d.qSeq}
		stride := ab.mLast
		for a := 2; a >= 0; a-- {
			ma := a - (4 - r)
			if ma < 0 {
				continue
			}
			md := int(mask.Shape[ma])
			switch {
			case md == 1:
			case md == target[a]:
				ab.mStride[a] = stride
			default:
				return nil, fmt.Errorf("attn_mask shape %v does not broadcast to (%d, %d, %d, %d)", mask.Shape, d.batch, d.qHeads, d.qSeq, d.total)
			}
			stride *= md
		}
	}
	if nonpad != nil {
		v, err := advInts(nonpad, "nonpad_kv_seqlen")
		if err != nil {
			return nil, err
		}
		if len(v) != d.batch || nonpad.Rank() != 1 {
			return nil, fmt.Errorf("nonpad_kv_seqlen must have shape (%d), got %v", d.batch, nonpad.Shape)
		}
		ab.nonpad = v
	}
	return ab, nil
}

// offset is the number of valid keys before query 0 of batch b.
func (ab *attnBias) offset(b int) int64 {
	switch {
	case ab.d.past > 0:
		return int64(ab.d.past)
	case ab.nonpad != nil:
		return ab.nonpad[b] - int64(ab.d.qSeq)
	}
	return 0
}

// row writes the bias of (b, h, i) into dst (length total) and reports
// whether every key is masked out (-inf).
func (ab *attnBias) row(b, h, i int, dst []float64) bool {
	ninf := math.Inf(-1)
	clear(dst)
	if ab.mask != nil {
		base := b*ab.mStride[0] + h*ab.mStride[1] + i*ab.mStride[2]
		copy(dst, ab.mask[base:base+ab.mLast])
		for j := ab.mLast; j < len(dst); j++ {
			dst[j] = ninf
		}
	}
	pos := int64(i) + ab.offset(b)
	for j := range dst {
		jj := int64(j)
		if ab.cfg.isCausal && jj > pos {
			dst[j] += ninf
		}
		if ab.hasWindow {
			diff := pos - jj
			if (ab.cfg.left >= 0 && diff > ab.cfg.left) || (ab.cfg.right >= 0 && -diff > ab.cfg.right) {
				dst[j] += ninf
			}
		}
		if ab.nonpad != nil && jj >= ab.nonpad[b] {
			dst[j] += ninf
		}
	}
	for _, x := range dst {
		if !math.IsInf(x, -1) {
			return false
		}
	}
	return true
}
