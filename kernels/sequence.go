package kernels

import "github.com/nncc/nncc/ir"

// The basic sequence ops: SequenceConstruct, SequenceEmpty, SequenceAt,
// SequenceInsert, SequenceErase and SequenceLength.
//
// A sequence is an ir.Tensor of KindSequence whose Items are the element
// tensors and whose DType is their element type. Tensors are never written
// after they are made, so sequences share their items with their inputs
// and outputs: inserting or erasing copies the item list, not the items.

func init() {
	Register("", "SequenceConstruct", buildSequenceConstruct)
	Register("", "SequenceEmpty", buildSequenceEmpty)
	Register("", "SequenceAt", buildSequenceAt)
	Register("", "SequenceInsert", buildSequenceInsert)
	Register("", "SequenceErase", buildSequenceErase)
	Register("", "SequenceLength", buildSequenceLength)
}

// seqNew returns a sequence of dtype dt holding items.
func seqNew(dt ir.DType, items []*ir.Tensor) *ir.Tensor {
	return &ir.Tensor{Kind: ir.KindSequence, DType: dt, Shape: []int64{}, Items: items}
}

// seqInput checks that input i is a sequence.
func seqInput(c *Ctx, in []*ir.Tensor, i int) (*ir.Tensor, error) {
	s := in[i]
	if s == nil || s.Kind != ir.KindSequence {
		return nil, c.Errorf("input %d must be a sequence, got %v", i, s)
	}
	return s, nil
}

func buildSequenceConstruct(b *Build) (Func, error) {
	return func(c *Ctx, in []*ir.Tensor) error {
		items := make([]*ir.Tensor, len(in))
		for i, t := range in {
			if t == nil || t.Kind != ir.KindTensor {
				return c.Errorf("input %d must be a tensor, got %v", i, t)
			}
			if t.DType != in[0].DType {
				return c.Errorf("input %d has dtype %v, input 0 has %v", i, t.DType, in[0].DType)
			}
			items[i] = t
		}
		c.SetOutput(0, seqNew(in[0].DType, items))
		return nil
	}, nil
}

func buildSequenceEmpty(b *Build) (Func, error) {
	dt := ir.DType(b.Attrs().Int("dtype", int64(ir.Float32)))
	if !dt.Valid() {
		return nil, b.Errorf("dtype %d is not a known element type", int64(dt))
	}
	return func(c *Ctx, in []*ir.Tensor) error {
		c.SetOutput(0, seqNew(dt, nil))
		return nil
	}, nil
}

func buildSequenceAt(b *Build) (Func, error) {
	return func(c *Ctx, in []*ir.Tensor) error {
		s, err := seqInput(c, in, 0)
		if err != nil {
			return err
		}
		p, err := cfPosition(in[1], len(s.Items), false)
		if err != nil {
			return c.Errorf("%v", err)
		}
		c.SetOutput(0, s.Items[p])
		return nil
	}, nil
}

func buildSequenceInsert(b *Build) (Func, error) {
	return func(c *Ctx, in []*ir.Tensor) error {
		s, err := seqInput(c, in, 0)
		if err != nil {
			return err
		}
		t := in[1]
		if t.Kind != ir.KindTensor {
			return c.Errorf("input 1 must be a tensor, got a %v", t.Kind)
		}
		if t.DType != s.DType {
			return c.Errorf("cannot insert a %v tensor into a sequence of %v", t.DType, s.DType)
		}
		p := len(s.Items)
		if len(in) > 2 && in[2] != nil {
			if p, err = cfPosition(in[2], len(s.Items), true); err != nil {
				return c.Errorf("%v", err)
			}
		}
		limit := cfLimit(c)
		if p == len(s.Items) {
			if out, total := seqAppend(c, s, t); out != nil {
				if total > limit {
					return seqTooLarge(c, limit)
				}
				seqRemember(c, out, total)
				c.SetOutput(0, out)
				return nil
			}
		}
		if err := seqCheckTotal(c, s.Items, t); err != nil {
			return err
		}
		// Room to grow, so that a Loop appending to the result appends in
		// place (sequence_append.go).
		items := make([]*ir.Tensor, 0, max(2*len(s.Items), 4))
		items = append(append(append(items, s.Items[:p]...), t), s.Items[p:]...)
		out := seqNew(s.DType, items)
		seqRemember(c, out, seqTotal(items))
		c.SetOutput(0, out)
		return nil
	}, nil
}

// seqCheckTotal bounds a sequence that grows by t: its tensors together
// may hold at most the element limit, as one tensor may. Without it a
// Loop inserting a small tensor per iteration builds a sequence of any
// size though no one tensor is large.
func seqCheckTotal(c *Ctx, items []*ir.Tensor, t *ir.Tensor) error {
	limit := cfLimit(c)
	total := int64(t.Len())
	for _, it := range items {
		if total += int64(it.Len()); total > limit {
			break
		}
	}
	if total > limit {
		return seqTooLarge(c, limit)
	}
	return nil
}

func seqTooLarge(c *Ctx, limit int64) error {
	return c.Errorf("the sequence would hold more than %d elements (limit MaxTensorElements)", limit)
}

func buildSequenceErase(b *Build) (Func, error) {
	return func(c *Ctx, in []*ir.Tensor) error {
		s, err := seqInput(c, in, 0)
		if err != nil {
			return err
		}
		if len(s.Items) == 0 {
			return c.Errorf("cannot erase from an empty sequence")
		}
		p := len(s.Items) - 1
		if len(in) > 1 && in[1] != nil {
			if p, err = cfPosition(in[1], len(s.Items), false); err != nil {
				return c.Errorf("%v", err)
			}
		}
		items := make([]*ir.Tensor, 0, len(s.Items)-1)
		items = append(append(items, s.Items[:p]...), s.Items[p+1:]...)
		c.SetOutput(0, seqNew(s.DType, items))
		return nil
	}, nil
}

func buildSequenceLength(b *Build) (Func, error) {
	return func(c *Ctx, in []*ir.Tensor) error {
		s, err := seqInput(c, in, 0)
		if err != nil {
			return err
		}
		out, err := c.OutputUninit(0, ir.Int64, []int64{})
		if err != nil {
			return err
		}
		out.I64()[0] = int64(len(s.Items))
		return nil
	}, nil
}
