package kernels

import (
	"github.com/nncc/nncc/ir"
)

// Concat and Split: joining tensors along an axis and cutting one apart.

func init() {
	Register("", "Concat", buildConcat)
	Register("", "Split", buildSplit)
}

func buildConcat(b *Build) (Func, error) {
	def := int64(1) // Concat-1 defaults axis to 1; from opset 4 it is required
	if b.Node.Opset >= 4 {
		if !b.Attrs().Has("axis") {
			return nil, b.Errorf("attribute axis is required")
		}
		def = 0
	}
	axis := b.Attrs().Int("axis", def)
	var memo planMemo[concatPlan] // steady-state Runs reuse the checks and output shape
	return func(c *Ctx, in []*ir.Tensor) error {
		var kb memoKey
		key := kb[:0]
		for _, t := range in {
			key = memoTensor(key, t)
		}
		p, err := memo.lookup(key, true, func() (concatPlan, error) { return planConcat(c, in, axis) })
		if err != nil {
			return err
		}
		out, ax, r := p.out, p.axis, len(p.out)
		var first *ir.Tensor
		for _, t := range in {
			if t != nil {
				first = t
				break
			}
		}
		y, err := c.OutputUninit(0, first.DType, out)
		if err != nil {
			return err
		}
		dst := mvOf(y.Data)
		outer := mvProd(out, 0, ax)
		inner := mvProd(out, ax+1, r)
		outChunk := int(out[ax]) * inner
		off := 0
		for _, t := range in {
			if t == nil {
				continue
			}
			chunk := int(t.Shape[ax]) * inner
			src := mvOf(t.Data)
			for o := 0; o < outer && chunk > 0; o++ {
				dst.Copy(o*outChunk+off, src, o*chunk, chunk)
			}
			off += chunk
		}
		return nil
	}, nil
}

// concatPlan is Concat's per-shape plan: the output shape and the
// normalised axis.
type concatPlan struct {
	out  []int64
	axis int
}

// planConcat checks Concat's inputs and returns its output shape.
func planConcat(c *Ctx, in []*ir.Tensor, axis int64) (concatPlan, error) {
	var first *ir.Tensor
	for i, t := range in {
		if t == nil {
			continue
		}
		if t.Kind != ir.KindTensor {
			return concatPlan{}, c.Errorf("input %d is a %v, expected a tensor", i, t.Kind)
		}
		if first == nil {
			first = t
		}
	}
	if first == nil {
		return concatPlan{}, c.Errorf("no inputs")
	}
	r := len(first.Shape)
	ax, err := mvAxis(axis, r)
	if err != nil {
		return concatPlan{}, c.Errorf("%v", err)
	}
	out := append([]int64{}, first.Shape...)
	out[ax] = 0
	for i, t := range in {
		if t == nil {
			continue
		}
		if t.DType != first.DType {
			return concatPlan{}, c.Errorf("input %d has dtype %v, expected %v", i, t.DType, first.DType)
		}
		if len(t.Shape) != r {
			return concatPlan{}, c.Errorf("input %d has shape %v, expected rank %d", i, t.Shape, r)
		}
		for d := range t.Shape {
			if d != ax && t.Shape[d] != first.Shape[d] {
				return concatPlan{}, c.Errorf("input %d has shape %v, incompatible with %v on axis %d", i, t.Shape, first.Shape, d)
			}
		}
		out[ax] += t.Shape[ax]
	}
	return concatPlan{out: out, axis: ax}, nil
}

func buildSplit(b *Build) (Func, error) {
	a := b.Attrs()
	axis := a.Int("axis", 0)
	attrSplit := a.Ints("split", nil)
	numOut := a.Int("num_outputs", 0)
	if numOut > 0 && attrSplit != nil {
		return nil, b.Errorf("split and num_outputs are both given")
	}
	nOut := len(b.Node.Outputs)
	var memo planMemo[splitPlan] // steady-state Runs reuse the sizes and output shapes
	return func(c *Ctx, in []*ir.Tensor) error {
		x, err := mvTensor(c, in, 0)
		if err != nil {
			return err
		}
		var kb memoKey
		key, memoOK := memoInts(memoTensor(kb[:0], x), attnInput(in, 1))
		p, err := memo.lookup(key, memoOK, func() (splitPlan, error) { return planSplit(c, in, x, axis, attrSplit, numOut, nOut) })
		if err != nil {
			return err
		}
		ax, r := p.axis, len(x.Shape)
		src := mvOf(x.Data)
		outer := mvProd(x.Shape, 0, ax)
		inner := mvProd(x.Shape, ax+1, r)
		inChunk := int(x.Shape[ax]) * inner
		off := 0
		for i, shape := range p.shapes {
			y, err := c.OutputUninit(i, x.DType, shape)
			if err != nil {
				return err
			}
			dst := mvOf(y.Data)
			chunk := int(shape[ax]) * inner
			for o := 0; o < outer && chunk > 0; o++ {
				dst.Copy(o*chunk, src, o*inChunk+off, chunk)
			}
			off += chunk
		}
		return nil
	}, nil
}

// splitPlan is Split's per-shape plan: the normalised axis and the output
// shapes.
type splitPlan struct {
	axis   int
	shapes [][]int64
}

// planSplit checks Split's inputs and returns its output shapes.
func planSplit(c *Ctx, in []*ir.Tensor, x *ir.Tensor, axis int64, attrSplit []int64, numOut int64, nOut int) (splitPlan, error) {
	split := attrSplit
	if v, ok, err := mvInts(c, in, 1); err != nil {
		return splitPlan{}, err
	} else if ok && (len(v) > 0 || nOut == 0) {
		split = v
	}
	if numOut > 0 && split != nil {
		return splitPlan{}, c.Errorf("split and num_outputs are both given")
	}
	ax, err := mvAxis(axis, len(x.Shape))
	if err != nil {
		return splitPlan{}, c.Errorf("%v", err)
	}
	sizes, err := ir.SplitSizes(x.Shape[ax], nOut, split, numOut)
	if err != nil {
		return splitPlan{}, c.Errorf("%v", err)
	}
	p := splitPlan{axis: ax, shapes: make([][]int64, len(sizes))}
	for i, s := range sizes {
		p.shapes[i] = append([]int64{}, x.Shape...)
		p.shapes[i][ax] = s
	}
	return p, nil
}
