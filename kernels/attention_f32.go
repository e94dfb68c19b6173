package kernels

import (
	"fmt"
	"math"

	"github.com/nncc/nncc/ir"
)

// The float32 path of ONNX Attention: the common inference case — float32
// Q, K and V, no KV cache, only Y wanted, no sliding window, a float32 or
// boolean attn_mask covering every key — runs on the float32 attention
// core (fused_attention_core.go) that nncc.FusedAttention uses, reading Q,
// K and V in place in either layout and writing Y directly. Grouped-query
// heads are a split of the head axis into (kv head, group member) atoms,
// the group member having stride 0 in K and V. Everything else takes the
// float64 path in attention.go.

// attnFloat32 runs the float32 path and reports whether it applied.
func attnFloat32(c *Ctx, cfg *attnConfig, in []*ir.Tensor, d *attnDims) (bool, error) {
	q, k, v := in[0], in[1], in[2]
	mask := attnInput(in, 3)
	if q.DType != ir.Float32 || k.DType != ir.Float32 || v.DType != ir.Float32 || d.past > 0 ||
		attnInput(in, 4) != nil || attnInput(in, 6) != nil || advWants(c, 1) || advWants(c, 2) || advWants(c, 3) ||
		(cfg.softmaxPrecision != ir.Undefined && cfg.softmaxPrecision != ir.Float32) || cfg.left >= 0 || cfg.right >= 0 {
		return false, nil
	}
	if mask != nil && ((mask.DType != ir.Float32 && mask.DType != ir.Bool) || mask.Rank() < 1 || mask.Rank() > 4 || int(mask.Shape[mask.Rank()-1]) != d.total) {
		return false, nil
	}
	st, _ := c.state.(*attnF32State)
	if st == nil {
		st = &attnF32State{}
		st.scratch = c.ScratchF32 // bound once: a method value per Run would allocate
		c.state = st
	}
	if !st.valid || !st.matches(d, mask) {
		st.valid = false
		if err := st.plan(cfg, *d, mask); err != nil {
			return false, c.Errorf("%v", err)
		}
		st.valid = true
	}
	o := attnOperands{q: q.F32(), k: k.F32(), v: v.F32()}
	if mask != nil {
		if mask.DType == ir.Bool {
			o.c = mask.Data.([]bool)
		} else {
			o.m = mask.F32()
		}
	}
	y, err := c.OutputUninit(0, ir.Float32, st.yShape[:st.yRank])
	if err != nil {
		return false, err
	}
	o.y = y.F32()
	g := &st.g
	if err := runAttnF32(g, o, c.Pool, st.scratch); err != nil {
		return false, c.Errorf("%v", err)
	}
	return true, nil
}

// attnF32State is what the float32 path keeps between Runs (Ctx.state):
// the geometry it validated and planned for the last dims and attn_mask
// layout, so that a Run whose shapes repeat only binds its operands.
type attnF32State struct {
	valid   bool
	d       attnDims
	mdt     ir.DType // the mask's dtype (Undefined: no mask)
	mrank   int
	mdims   [4]int64
	g       attnGeom
	yShape  [4]int64
	yRank   int
	scratch func(n int) []float32
}

// matches reports whether the state was planned for d and mask.
func (st *attnF32State) matches(d *attnDims, mask *ir.Tensor) bool {
	if st.d != *d {
		return false
	}
	if mask == nil {
		return st.mdt == ir.Undefined
	}
	return st.mdt == mask.DType && st.mrank == mask.Rank() && sameShape(st.mdims[:st.mrank], mask.Shape)
}

// plan validates and plans the geometry for d and mask (of rank 1 to 4,
// checked by the caller) and records them as the state's key.
func (st *attnF32State) plan(cfg *attnConfig, d attnDims, mask *ir.Tensor) error {
	group := d.qHeads / d.kvHeads
	sq, sk, dk, dv := d.qSeq, d.kvSeq, d.headK, d.headV
	st.g = attnGeom{batch: []int{d.batch, d.kvHeads, group}, sq: sq, sk: sk, dk: dk, dv: dv,
		softcap: float32(cfg.softcap), causal: cfg.isCausal, zeroMasked: true}
	g := &st.g
	if cfg.softcap <= 0 {
		g.softcap = 0
	}
	scale := cfg.scale
	if !cfg.hasScale {
		scale = 1 / math.Sqrt(float64(dk))
	}
	g.scale = float32(scale)
	// place returns the strides of a (batch, heads, seq, size) operand
	// stored as 4-D or as 3-D (batch, seq, heads·size); grouped marks
	// K and V, whose heads are the kv heads.
	place := func(heads, seq, size int, grouped bool) attnStrides {
		var sb, sh, ss int
		if d.rank3 {
			sb, sh, ss = seq*heads*size, size, heads*size
		} else {
			sb, sh, ss = heads*seq*size, seq*size, size
		}
		if grouped {
			return attnStrides{batch: []int{sb, sh, 0}, seq: ss, dim: 1}
		}
		return attnStrides{batch: []int{sb, sh * group, sh}, seq: ss, dim: 1}
	}
	g.q = place(d.qHeads, sq, dk, false)
	g.k = place(d.kvHeads, sk, dk, true)
	g.v = place(d.kvHeads, sk, dv, true)
	g.y = place(d.qHeads, sq, dv, false)
	st.mdt, st.mrank = ir.Undefined, 0
	if mask != nil {
		// Right-aligned broadcast of attn_mask to (batch, q_heads, q_seq, total).
		r := mask.Rank()
		var str [3]int
		target := [3]int{d.batch, d.qHeads, d.qSeq}
		stride := d.total
		for a := 2; a >= 0; a-- {
			ma := a - (4 - r)
			if ma < 0 {
				continue
			}
			md := int(mask.Shape[ma])
			switch {
			case md == 1:
			case md == target[a]:
				str[a] = stride
			default:
				return fmt.Errorf("attn_mask shape %v does not broadcast to (%d, %d, %d, %d)", mask.Shape, d.batch, d.qHeads, d.qSeq, d.total)
			}
			stride *= md
		}
		ms := attnStrides{batch: []int{str[0], str[1] * group, str[1]}, seq: str[2], dim: 1}
		if mask.DType == ir.Bool {
			g.hasCond, g.c, g.keep, g.condAddsInf = true, ms, true, true
		} else {
			g.hasMask, g.m = true, ms
		}
		st.mdt, st.mrank = mask.DType, r
		copy(st.mdims[:], mask.Shape)
	}
	if err := g.finish(cfg.level); err != nil {
		return err
	}
	if d.rank3 {
		st.yShape, st.yRank = [4]int64{int64(d.batch), int64(sq), int64(d.qHeads * dv)}, 3
	} else {
		st.yShape, st.yRank = [4]int64{int64(d.batch), int64(d.qHeads), int64(sq), int64(dv)}, 4
	}
	st.d = d
	return nil
}
