package kernels

import (
	"errors"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/nncc/nncc/ir"
)

// Pad (constant, reflect, edge and wrap modes; negative pads crop) and
// CenterCropPad (crop or zero-pad each axis around its centre).

func init() {
	Register("", "Pad", buildPad)
	Register("", "CenterCropPad", buildCenterCropPad)
}

// Padding modes.
const (
	mvPadConstant = iota
	mvPadReflect
	mvPadEdge
	mvPadWrap
)

// mvMaxPad bounds a pad amount so that shape arithmetic cannot overflow.
const mvMaxPad = 1 << 48

var mvPadModes = map[string]int{"constant": mvPadConstant, "reflect": mvPadReflect, "edge": mvPadEdge, "wrap": mvPadWrap}

func buildPad(b *Build) (Func, error) {
	a := b.Attrs()
	modeName := a.String("mode", "constant")
	mode, ok := mvPadModes[modeName]
	if !ok || (mode == mvPadWrap && b.Node.Opset > 0 && b.Node.Opset < 19) {
		return nil, b.Errorf("mode %q is not supported (constant, reflect, edge, and wrap from opset 19)", modeName)
	}
	fromAttr := a.Has("pads") || a.Has("paddings")
	attrPads := a.Ints("pads", a.Ints("paddings", nil))
	value := float64(a.Float("value", 0))
	var memo planMemo[*padPlan] // steady-state Runs reuse the output shape and maps
	var attrFill padFill
	return func(c *Ctx, in []*ir.Tensor) error {
		x, err := mvTensor(c, in, 0)
		if err != nil {
			return err
		}
		var kb memoKey
		key, memoOK := memoShape(kb[:0], x.Shape), true
		if !fromAttr {
			key, memoOK = memoInts(key, attnInput(in, 1))
			if memoOK {
				key, memoOK = memoInts(key, attnInput(in, 3))
			}
		}
		p, err := memo.lookup(key, memoOK, func() (*padPlan, error) { return planPad(c, in, x, fromAttr, attrPads, mode) })
		if err != nil {
			return err
		}
		var fill any
		switch {
		case fromAttr:
			if mode == mvPadConstant {
				if fill, err = attrFill.get(x.DType, value); err != nil {
					return c.Errorf("%v", err)
				}
			}
		case len(in) > 2 && in[2] != nil && in[2].Len() > 0:
			if in[2].DType != x.DType {
				return c.Errorf("constant_value has dtype %v, data %v", in[2].DType, x.DType)
			}
			fill = in[2].Data
		default:
			fill = zeroScalar(x.DType)
		}
		y, err := c.OutputUninit(0, x.DType, p.out)
		if err != nil || y.Len() == 0 {
			return err
		}
		if p.mapsErr != nil {
			return c.Errorf("%v", p.mapsErr)
		}
		var f mvSlice
		if fill != nil {
			f = mvOf(fill)
		}
		if p.fast != nil && padWords(p.fast, y.Data, x.Data, fill) {
			return nil
		}
		maps, err := p.mapped()
		if err != nil {
			return c.Errorf("%v", err)
		}
		mvMapped(mvOf(y.Data), mvOf(x.Data), p.out, maps, f)
		return nil
	}, nil
}

// padPlan is Pad's per-shape plan: the output shape, the fast path's
// plan (nil when it does not apply) and mvMapped's per-axis source maps
// (or why they cannot be made). The maps hold one entry per output index
// of every axis, 8 bytes for each index of a padded axis whatever the
// element size, so they are made only where the fast path cannot run:
// when it has no plan (eagerly, for the error) or for element types it
// cannot move as words (strings, on first use).
type padPlan struct {
	out       []int64
	in, begin []int64
	mode      int
	fast      *padFast
	mapsOnce  sync.Once
	maps      [][]int
	mapsErr   error
}

// mapped returns mvMapped's maps, making them on first use.
func (p *padPlan) mapped() ([][]int, error) {
	p.mapsOnce.Do(func() {
		if p.maps == nil && p.mapsErr == nil {
			p.maps, p.mapsErr = mvPadMaps(p.in, p.out, p.begin, p.mode)
		}
	})
	return p.maps, p.mapsErr
}

// planPad resolves the pads of a Pad step and plans it.
func planPad(c *Ctx, in []*ir.Tensor, x *ir.Tensor, fromAttr bool, attrPads []int64, mode int) (*padPlan, error) {
	r := len(x.Shape)
	pads := attrPads
	var axes []int64
	if !fromAttr {
		var ok bool
		var err error
		if pads, ok, err = mvInts(c, in, 1); err != nil {
			return nil, err
		} else if !ok {
			return nil, c.Errorf("input 1 (pads) is missing")
		}
		if axes, _, err = mvInts(c, in, 3); err != nil {
			return nil, err
		}
	}
	begin, end, err := ir.PadSpec(r, pads, axes)
	if err != nil {
		return nil, c.Errorf("%v", err)
	}
	out := make([]int64, r)
	for i := range out {
		if max(begin[i], end[i], -begin[i], -end[i]) > mvMaxPad {
			return nil, c.Errorf("pads %v are out of range", pads)
		}
		out[i] = x.Shape[i] + begin[i] + end[i]
		if out[i] < 0 {
			return nil, c.Errorf("pads %v make axis %d negative", pads, i)
		}
	}
	if err := c.checkOutputShape(0, out); err != nil {
		return nil, err
	}
	return newPadPlan(x.Shape, out, begin, mode), nil
}

// newPadPlan plans padding input shape in to out with leading pads begin
// in mode: the fast path's plan where it can be made, else mvMapped's maps
// or the error that they cannot be (none of either for an empty output).
func newPadPlan(in, out, begin []int64, mode int) *padPlan {
	p := &padPlan{out: out, in: slices.Clone(in), begin: slices.Clone(begin), mode: mode}
	if ir.NumElements(out) > 0 {
		if p.fast = planPadFast(in, out, begin, mode); p.fast == nil {
			p.maps, p.mapsErr = mvPadMaps(in, out, begin, mode)
		}
	}
	return p
}

// padFill remembers the attribute form's fill value as a one-element
// slice of the dtype last seen.
type padFill struct {
	p atomic.Pointer[padFillEntry]
}

type padFillEntry struct {
	dt   ir.DType
	data any
}

// get returns value as a one-element slice of dtype dt (never modified).
func (f *padFill) get(dt ir.DType, value float64) (any, error) {
	if e := f.p.Load(); e != nil && e.dt == dt {
		return e.data, nil
	}
	d, err := mvScalar(dt, value)
	if err != nil {
		return nil, err
	}
	f.p.Store(&padFillEntry{dt: dt, data: d})
	return d, nil
}

// zeroScalars holds a one-element zero slice per dtype, the default fill
// of Pad's constant mode; they are only ever read.
var zeroScalars sync.Map // ir.DType → any

// zeroScalar returns a shared one-element zero slice of dtype dt.
func zeroScalar(dt ir.DType) any {
	if v, ok := zeroScalars.Load(dt); ok {
		return v
	}
	v, _ := zeroScalars.LoadOrStore(dt, ir.MakeSlice(dt, 1))
	return v
}

// mvPadMaps builds the per-axis source offsets for mvMapped: output index o
// of axis a reads input index o-begin[a], mapped back into range by mode
// (-1 marks a constant fill).
func mvPadMaps(in, out, begin []int64, mode int) ([][]int, error) {
	st := mvStrides(in)
	maps := make([][]int, len(in))
	for a := range in {
		n := in[a]
		m := make([]int, out[a])
		for o := range m {
			p := int64(o) - begin[a]
			if p < 0 || p >= n {
				switch p = padSource(p, n, mode); p {
				case -1:
					m[o] = -1
					continue
				case padSourceEmpty:
					return nil, errPadEmpty
				}
			}
			m[o] = int(p) * st[a]
		}
		maps[a] = m
	}
	return maps, nil
}

var errPadEmpty = errors.New("cannot pad an empty axis in reflect, edge or wrap mode")

func buildCenterCropPad(b *Build) (Func, error) {
	attrAxes := b.Attrs().Ints("axes", nil)
	var memo planMemo[*padPlan] // steady-state Runs reuse the output shape and plan
	return func(c *Ctx, in []*ir.Tensor) error {
		x, err := mvTensor(c, in, 0)
		if err != nil {
			return err
		}
		var kb memoKey
		key, memoOK := memoInts(memoShape(kb[:0], x.Shape), attnInput(in, 1))
		p, err := memo.lookup(key, memoOK, func() (*padPlan, error) { return planCenterCropPad(c, in, x, attrAxes) })
		if err != nil {
			return err
		}
		y, err := c.OutputUninit(0, x.DType, p.out)
		if err != nil || y.Len() == 0 {
			return err
		}
		if p.mapsErr != nil {
			return c.Errorf("%v", p.mapsErr)
		}
		fill := zeroScalar(x.DType)
		if p.fast != nil && padWords(p.fast, y.Data, x.Data, fill) {
			return nil
		}
		maps, err := p.mapped()
		if err != nil {
			return c.Errorf("%v", err)
		}
		mvMapped(mvOf(y.Data), mvOf(x.Data), p.out, maps, mvOf(fill))
		return nil
	}, nil
}

// planCenterCropPad resolves CenterCropPad's output shape and the
// (negative or positive) start of x in it per axis, and the fast path's
// plan.
func planCenterCropPad(c *Ctx, in []*ir.Tensor, x *ir.Tensor, attrAxes []int64) (*padPlan, error) {
	shape, ok, err := mvInts(c, in, 1)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, c.Errorf("input 1 (shape) is missing")
	}
	r := len(x.Shape)
	axes := attrAxes
	if axes == nil {
		axes = make([]int64, r)
		for i := range axes {
			axes[i] = int64(i)
		}
	}
	if len(shape) != len(axes) {
		return nil, c.Errorf("shape has %d values for %d axes", len(shape), len(axes))
	}
	out := append([]int64{}, x.Shape...)
	begin := make([]int64, r)
	for i, a := range axes {
		ax, err := mvAxis(a, r)
		if err != nil {
			return nil, c.Errorf("%v", err)
		}
		t := shape[i]
		if t < 0 || t > mvMaxPad {
			return nil, c.Errorf("shape %v has a negative dim", shape)
		}
		if d := x.Shape[ax]; d > t {
			begin[ax] = -((d - t) / 2)
		} else {
			begin[ax] = (t - d) / 2
		}
		out[ax] = t
	}
	if err := c.checkOutputShape(0, out); err != nil {
		return nil, err
	}
	return newPadPlan(x.Shape, out, begin, mvPadConstant), nil
}
