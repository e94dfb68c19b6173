package kernels

import (
	"github.com/nncc/nncc/ir"
)

// nncc.FusedAttention (see ir/ops_attention_fused.go): the "attention"
// pass's fused scaled dot-product attention. The geometry is fixed by the
// node's attributes, so it is validated once here and every run only
// checks the operand lengths before the float32 core (fused_attention_core.go)
// reads them.

func init() { Register(ir.FusedDomain, "FusedAttention", buildFusedAttention) }

func buildFusedAttention(b *Build) (Func, error) {
	a := b.Attrs()
	sizes := a.Ints("sizes", nil)
	if len(sizes) != 4 {
		return nil, b.Errorf("sizes must be [sq, sk, dk, dv], got %v", sizes)
	}
	batch := a.Ints("batch", nil)
	g := &attnGeom{
		sq: int(sizes[0]), sk: int(sizes[1]), dk: int(sizes[2]), dv: int(sizes[3]),
		scale:     a.Float("scale", 1),
		fill:      a.Float("fill", 0),
		keep:      a.Int("keep", 1) != 0,
		maskFirst: a.Int("mask_first", 0) != 0,
		causal:    a.Int("causal", 0) != 0,
		causalOff: int(a.Int("causal_offset", 0)),
	}
	for _, n := range batch {
		g.batch = append(g.batch, int(n))
	}
	strides := func(name string) (attnStrides, error) {
		l := a.Ints(name, nil)
		if len(l) != len(batch)+3 {
			return attnStrides{}, b.Errorf("%s %v needs %d entries", name, l, len(batch)+3)
		}
		s := attnStrides{off: int(l[0]), seq: int(l[len(l)-2]), dim: int(l[len(l)-1])}
		for _, x := range l[1 : len(l)-2] {
			s.batch = append(s.batch, int(x))
		}
		return s, nil
	}
	var err error
	if g.q, err = strides("q_layout"); err != nil {
		return nil, err
	}
	if g.k, err = strides("k_layout"); err != nil {
		return nil, err
	}
	if g.v, err = strides("v_layout"); err != nil {
		return nil, err
	}
	if g.y, err = strides("y_layout"); err != nil {
		return nil, err
	}
	if a.Has("mask_layout") {
		g.hasMask = true
		if g.m, err = strides("mask_layout"); err != nil {
			return nil, err
		}
	}
	if a.Has("cond_layout") {
		g.hasCond = true
		if g.c, err = strides("cond_layout"); err != nil {
			return nil, err
		}
	}
	if err := g.finish(b.Level); err != nil {
		return nil, b.Errorf("%v", err)
	}
	yShape := a.Ints("y_shape", nil)
	yLen, err := ir.CheckedNumElements(yShape, DefaultMaxElements)
	if err != nil {
		return nil, b.Errorf("y_shape: %v", err)
	}
	if int64(g.yLen) > yLen {
		return nil, b.Errorf("y_layout reaches element %d of an output of %d", g.yLen-1, yLen)
	}
	covers := attnCovers(g, int(yLen))
	return func(c *Ctx, in []*ir.Tensor) error {
		if in[0] == nil || in[1] == nil || in[2] == nil {
			return c.Errorf("Q, K and V are required")
		}
		opt := func(i int) *ir.Tensor {
			if i < len(in) {
				return in[i]
			}
			return nil
		}
		if (opt(3) != nil) != g.hasMask || (opt(4) != nil) != g.hasCond {
			return c.Errorf("the mask and condition inputs must match mask_layout and cond_layout")
		}
		o := attnOperands{}
		for i, dst := range []*[]float32{&o.q, &o.k, &o.v, &o.m} {
			t := opt(i)
			if t == nil {
				continue
			}
			d, ok := t.Data.([]float32)
			if !ok {
				return c.Errorf("input %d has dtype %v, expected float", i, t.DType)
			}
			*dst = d
		}
		if g.hasCond {
			d, ok := in[4].Data.([]bool)
			if !ok {
				return c.Errorf("input 4 has dtype %v, expected bool", in[4].DType)
			}
			o.c = d
		}
		var y *ir.Tensor
		var err error
		if covers {
			y, err = c.OutputUninit(0, ir.Float32, yShape)
		} else {
			y, err = c.Output(0, ir.Float32, yShape)
		}
		if err != nil {
			return err
		}
		o.y = y.F32()
		if err := runAttnF32(g, o, c.Pool, c.ScratchF32); err != nil {
			return c.Errorf("%v", err)
		}
		return nil
	}, nil
}

// attnCovers reports whether Y's layout writes each of the n elements of
// the output exactly once (its atoms, ordered by stride, form a mixed-radix
// numbering of [0, n)), so the output need not be cleared first.
func attnCovers(g *attnGeom, n int) bool {
	if g.y.off != 0 {
		return false
	}
	type atom struct{ size, stride int }
	atoms := []atom{{g.sq, g.y.seq}, {g.dv, g.y.dim}}
	for a, s := range g.batch {
		atoms = append(atoms, atom{s, g.y.batch[a]})
	}
	want := 1
	for len(atoms) > 0 {
		// the atom with the smallest stride among those of size > 1
		best := -1
		for i, at := range atoms {
			if at.size > 1 && (best < 0 || at.stride < atoms[best].stride) {
				best = i
			}
		}
		if best < 0 {
			break
		}
		at := atoms[best]
		if at.stride != want {
			return false
		}
		want *= at.size
		atoms = append(atoms[:best], atoms[best+1:]...)
	}
	return want == n
}
