package kernels

import (
	"github.com/nncc/nncc/ir"
)

// Einsum: a general Einstein summation over any number of operands, with
// implicit or explicit output, ellipsis broadcasting and repeated labels
// (diagonals). It is the direct loop: for every output element, sum over
// every combination of the contracted labels the product of the operands'
// elements. Size-1 dimensions broadcast against the label's size.

func init() {
	Register("", "Einsum", buildEinsum)
}

func buildEinsum(b *Build) (Func, error) {
	eq := b.Attrs().String("equation", "")
	level := b.Level
	if ranks, ok := einsumStaticRanks(b); ok {
		if _, err := ir.ParseEinsum(eq, ranks); err != nil {
			return nil, b.Errorf("%v", err)
		}
	}
	return func(c *Ctx, in []*ir.Tensor) error {
		if len(in) == 0 {
			return c.Errorf("needs at least one input")
		}
		if len(in) == 2 && in[0] != nil && in[1] != nil && in[0].DType == ir.Float32 && in[1].DType == ir.Float32 &&
			in[0].Kind == ir.KindTensor && in[1].Kind == ir.KindTensor {
			g, err := einsumGemmFor(c, eq, in[0], in[1])
			if err != nil {
				return c.Errorf("%v", err)
			}
			if g != nil {
				y, err := c.OutputUninit(0, ir.Float32, g.outShape)
				if err != nil {
					return err
				}
				g.run(c, level, in[0].F32(), in[1].F32(), y.F32())
				return nil
			}
		}
		ranks := make([]int, len(in))
		for i, t := range in {
			if t == nil || t.Kind != ir.KindTensor {
				return c.Errorf("input %d must be a tensor", i)
			}
			if t.DType != in[0].DType {
				return c.Errorf("input %d has dtype %v, expected %v like input 0", i, t.DType, in[0].DType)
			}
			ranks[i] = t.Rank()
		}
		spec, err := ir.ParseEinsum(eq, ranks)
		if err != nil {
			return c.Errorf("%v", err)
		}
		size := make([]int, spec.NumLabels)
		for l := range size {
			size[l] = -1
		}
		for i, labels := range spec.In {
			for k, l := range labels {
				d := int(in[i].Shape[k])
				switch {
				case size[l] < 0 || size[l] == 1:
					size[l] = d
				case d != 1 && d != size[l]:
					return c.Errorf("input %d dimension %d has size %d, but its label has size %d elsewhere", i, k, d, size[l])
				}
			}
		}
		// Loop order: output labels, then the contracted ones.
		inOut := make([]bool, spec.NumLabels)
		var order []int
		outShape := make([]int64, len(spec.Out))
		for k, l := range spec.Out {
			inOut[l] = true
			order = append(order, l)
			outShape[k] = int64(size[l])
		}
		for l, s := range size {
			if s >= 0 && !inOut[l] {
				order = append(order, l)
			}
		}
		pos := make([]int, spec.NumLabels)
		for k, l := range order {
			pos[l] = k
		}
		// strides[i][k]: step of operand i when loop label k advances.
		strides := make([][]int, len(in))
		for i, labels := range spec.In {
			strides[i] = make([]int, len(order))
			st := 1
			for k := len(labels) - 1; k >= 0; k-- {
				d := int(in[i].Shape[k])
				if d != 1 || size[labels[k]] == 1 {
					strides[i][pos[labels[k]]] += st
				}
				st *= d
			}
		}
		loop := make([]int, len(order))
		for k, l := range order {
			loop[k] = size[l]
		}
		e := einsumLoop{sizes: loop, nOut: len(spec.Out), strides: strides}
		y, err := c.OutputUninit(0, in[0].DType, outShape)
		if err != nil {
			return err
		}
		switch in[0].Data.(type) {
		case []float32:
			einsumFloat[float32](e, in, y)
		case []float64:
			einsumFloat[float64](e, in, y)
		case []ir.F16:
			einsumFloat[ir.F16](e, in, y)
		case []ir.BF16:
			einsumFloat[ir.BF16](e, in, y)
		case []int8:
			einsumInt[int8](e, in, y)
		case []int16:
			einsumInt[int16](e, in, y)
		case []int32:
			einsumInt[int32](e, in, y)
		case []int64:
			einsumInt[int64](e, in, y)
		case []uint8:
			einsumInt[uint8](e, in, y)
		case []uint16:
			einsumInt[uint16](e, in, y)
		case []uint32:
			einsumInt[uint32](e, in, y)
		case []uint64:
			einsumInt[uint64](e, in, y)
		default:
			return c.Errorf("unsupported dtype %v", in[0].DType)
		}
		return nil
	}, nil
}

func einsumStaticRanks(b *Build) ([]int, bool) {
	ranks := make([]int, len(b.InTypes))
	for i, t := range b.InTypes {
		if t == nil || !t.RankKnown {
			return nil, false
		}
		ranks[i] = len(t.Shape)
	}
	return ranks, len(ranks) > 0
}

// einsumLoop is the loop nest: sizes of the loop labels (output labels
// first), and per operand the stride of each loop label.
type einsumLoop struct {
	sizes   []int
	nOut    int
	strides [][]int
}

// each calls body(o, offs) for each output element o with the operand
// offsets of every combination of the contracted labels, via visit.
func (e einsumLoop) each(visit func(o int, offs []int, last int, lastStrides []int)) {
	nOps := len(e.strides)
	nLoop := len(e.sizes)
	outN := 1
	for _, s := range e.sizes[:e.nOut] {
		outN *= s
	}
	// The innermost loop label is handed to visit as a count and strides
	// so the innermost product loop is tight.
	last, lastStrides := 1, make([]int, nOps)
	inner := e.sizes[e.nOut:]
	if len(inner) > 0 {
		last = inner[len(inner)-1]
		for i := range lastStrides {
			lastStrides[i] = e.strides[i][nLoop-1]
		}
		inner = inner[:len(inner)-1]
	}
	for _, s := range e.sizes {
		if s == 0 {
			if outN > 0 {
				for o := 0; o < outN; o++ {
					visit(o, nil, 0, lastStrides)
				}
			}
			return
		}
	}
	idx := make([]int, nLoop)
	offs := make([]int, nOps)
	base := make([]int, nOps)
	for o := 0; o < outN; o++ {
		copy(offs, base)
		innerN := 1
		for _, s := range inner {
			innerN *= s
		}
		for it := 0; it < innerN; it++ {
			visit(o, offs, last, lastStrides)
			for k := e.nOut + len(inner) - 1; k >= e.nOut; k-- {
				idx[k]++
				for i := range offs {
					offs[i] += e.strides[i][k]
				}
				if idx[k] < e.sizes[k] {
					break
				}
				for i := range offs {
					offs[i] -= e.strides[i][k] * e.sizes[k]
				}
				idx[k] = 0
			}
		}
		for k := e.nOut - 1; k >= 0; k-- {
			idx[k]++
			for i := range base {
				base[i] += e.strides[i][k]
			}
			if idx[k] < e.sizes[k] {
				break
			}
			for i := range base {
				base[i] -= e.strides[i][k] * e.sizes[k]
			}
			idx[k] = 0
		}
	}
}

func einsumFloat[T rnFloat](e einsumLoop, in []*ir.Tensor, yt *ir.Tensor) {
	xs := make([][]T, len(in))
	for i, t := range in {
		xs[i] = t.Data.([]T)
	}
	y := yt.Data.([]T)
	acc := make([]float64, len(y))
	e.each(func(o int, offs []int, last int, ls []int) {
		s := 0.0
		for k := 0; k < last; k++ {
			p := 1.0
			for i, x := range xs {
				p *= rnGet(x[offs[i]+k*ls[i]])
			}
			s += p
		}
		acc[o] += s
	})
	for i, a := range acc {
		y[i] = rnPut[T](a)
	}
}

func einsumInt[T rnInt](e einsumLoop, in []*ir.Tensor, yt *ir.Tensor) {
	xs := make([][]T, len(in))
	for i, t := range in {
		xs[i] = t.Data.([]T)
	}
	y := yt.Data.([]T)
	clear(y)
	e.each(func(o int, offs []int, last int, ls []int) {
		var s T
		for k := 0; k < last; k++ {
			p := T(1)
			for i, x := range xs {
				p *= x[offs[i]+k*ls[i]]
			}
			s += p
		}
		y[o] += s
	})
}
