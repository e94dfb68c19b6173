package ir

import (
	"fmt"
	"math"
)

// Op table rows for the shape and data-movement ops: reshaping, transposes,
// concatenation and splitting, slicing, gathers and scatters, padding,
// broadcasting, index-producing ops and constants. The kernels live in
// kernels/movement_*.go.
//
// Every row covers all opset versions of its op: where an attribute turned
// into an input (Reshape's shape, Squeeze's axes, Slice's starts, Pad's
// pads, TopK's k, ...), Infer and the kernel read whichever form the node
// carries, so the frontend need not rewrite old forms.

func init() {
	RegisterOp(
		&OpSchema{Name: "Reshape", MinOpset: 1, MinInputs: 1, MaxInputs: 2, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{{Name: "shape", Kind: AttrInts}, {Name: "consumed_inputs", Kind: AttrInts}, {Name: "allowzero", Kind: AttrInt}},
			Infer: inferReshape},
		&OpSchema{Name: "Flatten", MinOpset: 1, MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{{Name: "axis", Kind: AttrInt}}, Infer: inferFlatten},
		&OpSchema{Name: "Squeeze", MinOpset: 1, MinInputs: 1, MaxInputs: 2, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{{Name: "axes", Kind: AttrInts}}, Infer: inferSqueeze},
		&OpSchema{Name: "Unsqueeze", MinOpset: 1, MinInputs: 1, MaxInputs: 2, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{{Name: "axes", Kind: AttrInts}}, Infer: inferUnsqueeze},
		&OpSchema{Name: "Transpose", MinOpset: 1, MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{{Name: "perm", Kind: AttrInts}}, Infer: inferTranspose},
		&OpSchema{Name: "Concat", MinOpset: 1, MinInputs: 1, MaxInputs: -1, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{{Name: "axis", Kind: AttrInt}}, Infer: inferConcat},
		&OpSchema{Name: "Split", MinOpset: 1, MinInputs: 1, MaxInputs: 2, MinOutputs: 1, MaxOutputs: -1,
			Attrs: []AttrSpec{{Name: "axis", Kind: AttrInt}, {Name: "split", Kind: AttrInts}, {Name: "num_outputs", Kind: AttrInt}},
			Infer: inferSplit},
		&OpSchema{Name: "Slice", MinOpset: 1, MinInputs: 1, MaxInputs: 5, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{{Name: "starts", Kind: AttrInts}, {Name: "ends", Kind: AttrInts}, {Name: "axes", Kind: AttrInts}},
			Infer: inferSlice},
		&OpSchema{Name: "Gather", MinOpset: 1, MinInputs: 2, MaxInputs: 2, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{{Name: "axis", Kind: AttrInt}}, Infer: inferGather},
		&OpSchema{Name: "GatherElements", MinOpset: 11, MinInputs: 2, MaxInputs: 2, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{{Name: "axis", Kind: AttrInt}}, Infer: inferGatherElements},
		&OpSchema{Name: "GatherND", MinOpset: 11, MinInputs: 2, MaxInputs: 2, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{{Name: "batch_dims", Kind: AttrInt}}, Infer: inferGatherND},
		&OpSchema{Name: "ScatterElements", MinOpset: 11, MinInputs: 3, MaxInputs: 3, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{{Name: "axis", Kind: AttrInt}, {Name: "reduction", Kind: AttrString}}, Infer: inferScatter},
		&OpSchema{Name: "Scatter", MinOpset: 9, MaxOpset: 10, MinInputs: 3, MaxInputs: 3, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{{Name: "axis", Kind: AttrInt}}, Infer: inferScatter},
		&OpSchema{Name: "ScatterND", MinOpset: 11, MinInputs: 3, MaxInputs: 3, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{{Name: "reduction", Kind: AttrString}}, Infer: inferScatter},
		&OpSchema{Name: "TensorScatter", MinOpset: 24, MinInputs: 2, MaxInputs: 3, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{{Name: "axis", Kind: AttrInt}, {Name: "mode", Kind: AttrString}}, Infer: inferScatter},
		&OpSchema{Name: "Expand", MinOpset: 8, MinInputs: 2, MaxInputs: 2, MinOutputs: 1, MaxOutputs: 1, Infer: inferExpand},
		&OpSchema{Name: "Tile", MinOpset: 1, MinInputs: 2, MaxInputs: 3, MinOutputs: 1, MaxOutputs: 1, Infer: inferTile},
		&OpSchema{Name: "Pad", MinOpset: 1, MinInputs: 1, MaxInputs: 4, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{{Name: "mode", Kind: AttrString}, {Name: "pads", Kind: AttrInts}, {Name: "paddings", Kind: AttrInts}, {Name: "value", Kind: AttrFloat}},
			Infer: inferPad},
		&OpSchema{Name: "CenterCropPad", MinOpset: 18, MinInputs: 2, MaxInputs: 2, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{{Name: "axes", Kind: AttrInts}}, Infer: inferCenterCropPad},
		&OpSchema{Name: "Shape", MinOpset: 1, MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{{Name: "start", Kind: AttrInt}, {Name: "end", Kind: AttrInt}}, Infer: inferShapeOp},
		&OpSchema{Name: "Size", MinOpset: 1, MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1, Infer: inferSize},
		&OpSchema{Name: "ConstantOfShape", MinOpset: 9, MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{{Name: "value", Kind: AttrTensor}}, Infer: inferConstantOfShape},
		&OpSchema{Name: "Constant", MinOpset: 1, MinInputs: 0, MaxInputs: 0, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{{Name: "value", Kind: AttrTensor}, {Name: "sparse_value", Kind: AttrSparseTensor},
				{Name: "value_float", Kind: AttrFloat}, {Name: "value_floats", Kind: AttrFloats},
				{Name: "value_int", Kind: AttrInt}, {Name: "value_ints", Kind: AttrInts},
				{Name: "value_string", Kind: AttrString}, {Name: "value_strings", Kind: AttrStrings}},
			Infer: inferConstant},
		&OpSchema{Name: "Identity", MinOpset: 1, MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1, Infer: InferSameAsInput(0)},
		&OpSchema{Name: "Range", MinOpset: 11, MinInputs: 3, MaxInputs: 3, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{{Name: "stash_type", Kind: AttrInt}}, Infer: inferRange},
		&OpSchema{Name: "OneHot", MinOpset: 9, MinInputs: 3, MaxInputs: 3, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{{Name: "axis", Kind: AttrInt}}, Infer: inferOneHot},
		&OpSchema{Name: "NonZero", MinOpset: 9, MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1, Infer: inferNonZero},
		&OpSchema{Name: "TopK", MinOpset: 1, MinInputs: 1, MaxInputs: 2, MinOutputs: 2, MaxOutputs: 2,
			Attrs: []AttrSpec{{Name: "axis", Kind: AttrInt}, {Name: "k", Kind: AttrInt}, {Name: "largest", Kind: AttrInt}, {Name: "sorted", Kind: AttrInt}},
			Infer: inferTopK},
		&OpSchema{Name: "ArgMax", MinOpset: 1, MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1,
			Attrs: mvArgAttrs, Infer: inferArgMinMax},
		&OpSchema{Name: "ArgMin", MinOpset: 1, MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1,
			Attrs: mvArgAttrs, Infer: inferArgMinMax},
		&OpSchema{Name: "Trilu", MinOpset: 14, MinInputs: 1, MaxInputs: 2, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{{Name: "upper", Kind: AttrInt}}, Infer: InferSameAsInput(0)},
		&OpSchema{Name: "DepthToSpace", MinOpset: 1, MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{{Name: "blocksize", Kind: AttrInt, Required: true}, {Name: "mode", Kind: AttrString}},
			Infer: inferDepthToSpace},
		&OpSchema{Name: "SpaceToDepth", MinOpset: 1, MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{{Name: "blocksize", Kind: AttrInt, Required: true}}, Infer: inferSpaceToDepth},
		&OpSchema{Name: "Compress", MinOpset: 9, MinInputs: 2, MaxInputs: 2, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{{Name: "axis", Kind: AttrInt}}, Infer: inferCompress},
		&OpSchema{Name: "Unique", MinOpset: 11, MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 4,
			Attrs: []AttrSpec{{Name: "axis", Kind: AttrInt}, {Name: "sorted", Kind: AttrInt}}, Infer: inferUnique},
		&OpSchema{Name: "ReverseSequence", MinOpset: 10, MinInputs: 2, MaxInputs: 2, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{{Name: "batch_axis", Kind: AttrInt}, {Name: "time_axis", Kind: AttrInt}}, Infer: InferSameAsInput(0)},
		&OpSchema{Name: "EyeLike", MinOpset: 9, MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{{Name: "dtype", Kind: AttrInt}, {Name: "k", Kind: AttrInt}}, Infer: inferEyeLike},
		&OpSchema{Name: "Dropout", MinOpset: 1, MinInputs: 1, MaxInputs: 3, MinOutputs: 1, MaxOutputs: 2,
			Attrs: []AttrSpec{{Name: "ratio", Kind: AttrFloat}, {Name: "is_test", Kind: AttrInt}, {Name: "consumed_inputs", Kind: AttrInts}, {Name: "seed", Kind: AttrInt}},
			Infer: inferDropout},
		&OpSchema{Name: "BitCast", MinOpset: 26, MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{{Name: "to", Kind: AttrInt, Required: true}}, Infer: inferBitCast},
		&OpSchema{Name: "Col2Im", MinOpset: 18, MinInputs: 3, MaxInputs: 3, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{{Name: "dilations", Kind: AttrInts}, {Name: "pads", Kind: AttrInts}, {Name: "strides", Kind: AttrInts}},
			Infer: inferCol2Im},
	)
}

var mvArgAttrs = []AttrSpec{{Name: "axis", Kind: AttrInt}, {Name: "keepdims", Kind: AttrInt}, {Name: "select_last_index", Kind: AttrInt}}

// ---- helpers ----

// mvIn returns input i's type or an error naming it.
func mvIn(c *InferCtx, i int) (*Type, error) {
	if !c.Has(i) {
		return nil, c.Errorf("input %d is missing", i)
	}
	return c.In[i], nil
}

// mvUnknownDims returns a shape of n unknown dims.
func mvUnknownDims(n int) Shape {
	s := make(Shape, n)
	for i := range s {
		s[i] = UnknownDim
	}
	return s
}

// mvMaxRank bounds ranks inferred from the length of a shape-like input,
// so a hostile declared type cannot make inference allocate without limit.
const mvMaxRank = 4096

// mvShapeInputLen returns the length of 1-D shape-like input i when its
// static shape says so.
func mvShapeLenOK(c *InferCtx, i int) bool { _, ok := mvShapeInputLen(c, i); return ok }

func mvShapeInputLen(c *InferCtx, i int) (int, bool) {
	if !c.Has(i) {
		return 0, false
	}
	t := c.In[i]
	if !t.RankKnown || len(t.Shape) != 1 || !t.Shape[0].Known() || t.Shape[0].Size > mvMaxRank {
		return 0, false
	}
	return int(t.Shape[0].Size), true
}

// mvDimProduct multiplies dims. The result is unknown if any dim is,
// except that a single symbolic dim times 1s stays that symbol.
func mvDimProduct(s Shape) Dim {
	n := int64(1)
	var sym *Dim
	unknown := 0
	for i, d := range s {
		if !d.Known() {
			unknown++
			sym = &s[i]
			continue
		}
		n *= d.Size
	}
	switch {
	case unknown == 0:
		return D(n)
	case unknown == 1 && n == 1:
		return *sym
	case n == 0:
		return D(0)
	}
	return UnknownDim
}

// mvConstOrAttr returns integer values from constant input i when present,
// else from attribute name. ok is false when the input is present but not
// constant; given is false when neither form is there.
func mvConstOrAttr(c *InferCtx, i int, name string) (v []int64, given, ok bool) {
	if c.Has(i) {
		v, ok := c.ConstInts(i)
		return v, true, ok
	}
	if c.Node.Attrs.Has(name) {
		return c.Node.Attrs.Ints(name, nil), true, true
	}
	return nil, false, true
}

// ---- shape computations shared with the kernels ----

// ReshapeTarget resolves a Reshape shape spec against the input shape: 0
// copies the input dim at that position (unless allowZero), -1 is inferred
// from the element count.
func ReshapeTarget(in, spec []int64, allowZero bool) ([]int64, error) {
	out := make([]int64, len(spec))
	infer := -1
	known := int64(1)
	for i, s := range spec {
		switch {
		case s == -1:
			if infer >= 0 {
				return nil, fmt.Errorf("shape %v has more than one -1", spec)
			}
			infer = i
			continue
		case s == 0 && !allowZero:
			if i >= len(in) {
				return nil, fmt.Errorf("shape %v copies dim %d but the input has rank %d", spec, i, len(in))
			}
			s = in[i]
		case s < 0:
			return nil, fmt.Errorf("shape %v has a negative dim %d", spec, s)
		}
		if s != 0 && known > math.MaxInt64/s {
			return nil, fmt.Errorf("shape %v has too many elements", spec)
		}
		out[i] = s
		known *= s
	}
	total := int64(NumElements(in))
	if infer >= 0 {
		if allowZero && known == 0 {
			return nil, fmt.Errorf("shape %v has both 0 and -1 with allowzero set", spec)
		}
		if known == 0 || total%known != 0 {
			return nil, fmt.Errorf("cannot reshape %v (%d elements) to %v", in, total, spec)
		}
		out[infer] = total / known
		known *= out[infer]
	}
	if known != total {
		return nil, fmt.Errorf("cannot reshape %v (%d elements) to %v", in, total, spec)
	}
	return out, nil
}

// SliceRange clamps a Slice start/end pair for an axis of size dim and
// returns the effective start, step and element count, following the
// Slice-10+ specification text.
func SliceRange(dim, start, end, step int64) (s int64, n int64, err error) {
	if step == 0 {
		return 0, 0, fmt.Errorf("slice step is 0")
	}
	if start < 0 {
		start += dim
	}
	if end < 0 {
		end += dim
	}
	if step > 0 {
		start = mvClamp(start, 0, dim)
		end = mvClamp(end, 0, dim)
		if end > start {
			n = (end-start-1)/step + 1
		}
	} else {
		start = mvClamp(start, 0, dim-1)
		end = mvClamp(end, -1, dim-1)
		if start > end {
			if step == math.MinInt64 {
				n = 1
			} else {
				n = (start-end-1)/(-step) + 1
			}
		}
	}
	return start, n, nil
}

func mvClamp(v, lo, hi int64) int64 {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

// SplitSizes computes the part sizes of Split along an axis of size dim for
// nOut outputs. split is the explicit list (nil when absent); numOutputs
// (opset 18+, 0 when absent) requests ceil-sized chunks with a smaller last.
func SplitSizes(dim int64, nOut int, split []int64, numOutputs int64) ([]int64, error) {
	if split != nil {
		if len(split) != nOut {
			return nil, fmt.Errorf("split has %d entries for %d outputs", len(split), nOut)
		}
		sum := int64(0)
		for _, s := range split {
			if s < 0 {
				return nil, fmt.Errorf("split %v has a negative size", split)
			}
			sum += s
		}
		if sum != dim {
			return nil, fmt.Errorf("split %v sums to %d, the axis has %d", split, sum, dim)
		}
		return split, nil
	}
	if nOut <= 0 {
		return nil, fmt.Errorf("split needs at least one output")
	}
	out := make([]int64, nOut)
	if numOutputs > 0 {
		if int64(nOut) != numOutputs {
			return nil, fmt.Errorf("num_outputs is %d but the node has %d outputs", numOutputs, nOut)
		}
		chunk := (dim + numOutputs - 1) / numOutputs
		rest := dim
		for i := range out {
			out[i] = min(chunk, rest)
			rest -= out[i]
		}
		if out[nOut-1] == 0 && dim >= numOutputs {
			return nil, fmt.Errorf("cannot split %d into %d parts", dim, numOutputs)
		}
		return out, nil
	}
	if dim%int64(nOut) != 0 {
		return nil, fmt.Errorf("axis of size %d does not split evenly into %d outputs", dim, nOut)
	}
	for i := range out {
		out[i] = dim / int64(nOut)
	}
	return out, nil
}

// RangeCount is Range's element count: max(ceil((limit-start)/delta), 0).
func RangeCount(start, limit, delta float64) (int64, error) {
	if delta == 0 {
		return 0, fmt.Errorf("range delta is 0")
	}
	n := math.Ceil((limit - start) / delta)
	if math.IsNaN(n) || n < 0 {
		return 0, nil
	}
	if n > 1<<40 {
		return 0, fmt.Errorf("range has too many elements (%g)", n)
	}
	return int64(n), nil
}

// RangeCountInt is RangeCount for integer inputs, exact.
func RangeCountInt(start, limit, delta int64) (int64, error) {
	if delta == 0 {
		return 0, fmt.Errorf("range delta is 0")
	}
	// Work in uint64 so that limit-start cannot overflow: the distance
	// between two int64s always fits.
	if (delta > 0 && limit <= start) || (delta < 0 && limit >= start) {
		return 0, nil
	}
	var dist, step uint64
	if delta > 0 {
		dist, step = uint64(limit)-uint64(start), uint64(delta)
	} else {
		dist, step = uint64(start)-uint64(limit), -uint64(delta)
	}
	n := dist / step
	if dist%step != 0 {
		n++
	}
	if n > math.MaxInt64 {
		return 0, fmt.Errorf("range [%d, %d) step %d has too many elements", start, limit, delta)
	}
	return int64(n), nil
}

// PadSpec resolves Pad's pads (and opset 18's axes) into per-axis begin
// and end amounts for a tensor of the given rank.
func PadSpec(rank int, pads, axes []int64) (begin, end []int64, err error) {
	if axes == nil {
		axes = make([]int64, rank)
		for i := range axes {
			axes[i] = int64(i)
		}
	}
	if len(pads) != 2*len(axes) {
		return nil, nil, fmt.Errorf("pads has %d values, expected %d (2 per axis)", len(pads), 2*len(axes))
	}
	begin = make([]int64, rank)
	end = make([]int64, rank)
	for i, a := range axes {
		ax, err := NormAxis(a, rank)
		if err != nil {
			return nil, nil, err
		}
		begin[ax] = pads[i]
		end[ax] = pads[len(axes)+i]
	}
	return begin, end, nil
}

// ShapeSliceBounds returns Shape's clamped [start, end) for a given rank.
func ShapeSliceBounds(rank int, start, end int64, hasEnd bool) (int, int) {
	r := int64(rank)
	if !hasEnd {
		end = r
	}
	if start < 0 {
		start += r
	}
	if end < 0 {
		end += r
	}
	start = mvClamp(start, 0, r)
	end = mvClamp(end, 0, r)
	if end < start {
		end = start
	}
	return int(start), int(end)
}

// ---- Infer functions ----

func inferReshape(c *InferCtx) error {
	x, err := mvIn(c, 0)
	if err != nil {
		return err
	}
	var spec []int64
	if c.Node.Attrs.Has("shape") && !c.Has(1) {
		spec = c.Node.Attrs.Ints("shape", nil)
	} else {
		if !c.Has(1) {
			return c.Errorf("input 1 (shape) is missing")
		}
		v, ok := c.ConstInts(1)
		if !ok {
			if k, ok := mvShapeInputLen(c, 1); ok {
				c.SetOut(0, TensorOf(x.DType, mvUnknownDims(k)))
			} else {
				c.SetOut(0, UnrankedOf(x.DType))
			}
			return nil
		}
		spec = v
	}
	allowZero := c.Node.Attrs.Int("allowzero", 0) != 0
	if x.RankKnown {
		if in, ok := x.Shape.Concrete(); ok {
			out, err := ReshapeTarget(in, spec, allowZero)
			if err != nil {
				return c.Errorf("%v", err)
			}
			c.SetOut(0, TensorType(x.DType, out...))
			return nil
		}
	}
	out := make(Shape, len(spec))
	for i, s := range spec {
		switch {
		case s == 0 && !allowZero:
			if x.RankKnown && i < len(x.Shape) {
				out[i] = x.Shape[i]
			} else if x.RankKnown {
				return c.Errorf("shape %v copies dim %d but the input has rank %d", spec, i, len(x.Shape))
			} else {
				out[i] = UnknownDim
			}
		case s < 0:
			out[i] = UnknownDim
		default:
			out[i] = D(s)
		}
	}
	c.SetOut(0, TensorOf(x.DType, out))
	return nil
}

func inferFlatten(c *InferCtx) error {
	x, err := mvIn(c, 0)
	if err != nil {
		return err
	}
	if !x.RankKnown {
		c.SetOut(0, TensorOf(x.DType, mvUnknownDims(2)))
		return nil
	}
	r := len(x.Shape)
	axis := c.Node.Attrs.Int("axis", 1)
	if axis < 0 {
		axis += int64(r)
	}
	if axis < 0 || axis > int64(r) {
		return c.Errorf("axis %d is out of range for rank %d", c.Node.Attrs.Int("axis", 1), r)
	}
	c.SetOut(0, TensorOf(x.DType, Shape{mvDimProduct(x.Shape[:axis]), mvDimProduct(x.Shape[axis:])}))
	return nil
}

func inferSqueeze(c *InferCtx) error {
	x, err := mvIn(c, 0)
	if err != nil {
		return err
	}
	axes, given, ok := mvConstOrAttr(c, 1, "axes")
	if !ok || !x.RankKnown {
		c.SetOut(0, UnrankedOf(x.DType))
		return nil
	}
	r := len(x.Shape)
	drop := make([]bool, r)
	if given {
		for _, a := range axes {
			ax, err := NormAxis(a, r)
			if err != nil {
				return c.Errorf("%v", err)
			}
			if d := x.Shape[ax]; d.Known() && d.Size != 1 {
				return c.Errorf("cannot squeeze axis %d of size %d", a, d.Size)
			}
			drop[ax] = true
		}
	} else {
		for i, d := range x.Shape {
			if !d.Known() {
				c.SetOut(0, UnrankedOf(x.DType))
				return nil
			}
			drop[i] = d.Size == 1
		}
	}
	var out Shape
	for i, d := range x.Shape {
		if !drop[i] {
			out = append(out, d)
		}
	}
	c.SetOut(0, TensorOf(x.DType, append(Shape{}, out...)))
	return nil
}

// UnsqueezeShape inserts 1s at axes (normalised against the output rank).
func UnsqueezeShape(in []int64, axes []int64) ([]int64, error) {
	r := len(in) + len(axes)
	ins := make([]bool, r)
	for _, a := range axes {
		ax, err := NormAxis(a, r)
		if err != nil {
			return nil, err
		}
		if ins[ax] {
			return nil, fmt.Errorf("axes %v repeat axis %d", axes, a)
		}
		ins[ax] = true
	}
	out := make([]int64, r)
	j := 0
	for i := range out {
		if ins[i] {
			out[i] = 1
		} else {
			out[i] = in[j]
			j++
		}
	}
	return out, nil
}

func inferUnsqueeze(c *InferCtx) error {
	x, err := mvIn(c, 0)
	if err != nil {
		return err
	}
	axes, given, ok := mvConstOrAttr(c, 1, "axes")
	if !given {
		return c.Errorf("axes are required")
	}
	if !x.RankKnown {
		c.SetOut(0, UnrankedOf(x.DType))
		return nil
	}
	if !ok {
		if k, ok := mvShapeInputLen(c, 1); ok {
			c.SetOut(0, TensorOf(x.DType, mvUnknownDims(len(x.Shape)+k)))
		} else {
			c.SetOut(0, UnrankedOf(x.DType))
		}
		return nil
	}
	// Run the concrete computation on dim positions, then map back.
	pos := make([]int64, len(x.Shape))
	for i := range pos {
		pos[i] = int64(i) + 2 // never 1, so inserted dims are recognisable
	}
	o, err := UnsqueezeShape(pos, axes)
	if err != nil {
		return c.Errorf("%v", err)
	}
	out := make(Shape, len(o))
	for i, p := range o {
		if p == 1 {
			out[i] = D(1)
		} else {
			out[i] = x.Shape[p-2]
		}
	}
	c.SetOut(0, TensorOf(x.DType, out))
	return nil
}

// TransposePerm returns the permutation of a Transpose node (default:
// reversed axes), validated for rank r.
func TransposePerm(perm []int64, r int) ([]int, error) {
	p := make([]int, r)
	if perm == nil {
		for i := range p {
			p[i] = r - 1 - i
		}
		return p, nil
	}
	if len(perm) != r {
		return nil, fmt.Errorf("perm %v has %d entries for rank %d", perm, len(perm), r)
	}
	seen := make([]bool, r)
	for i, v := range perm {
		if v < 0 {
			v += int64(r)
		}
		if v < 0 || v >= int64(r) || seen[v] {
			return nil, fmt.Errorf("perm %v is not a permutation of 0..%d", perm, r-1)
		}
		seen[v] = true
		p[i] = int(v)
	}
	return p, nil
}

func inferTranspose(c *InferCtx) error {
	x, err := mvIn(c, 0)
	if err != nil {
		return err
	}
	if !x.RankKnown {
		if perm := c.Node.Attrs.Ints("perm", nil); perm != nil {
			c.SetOut(0, TensorOf(x.DType, mvUnknownDims(len(perm))))
		} else {
			c.SetOut(0, UnrankedOf(x.DType))
		}
		return nil
	}
	p, err := TransposePerm(c.Node.Attrs.Ints("perm", nil), len(x.Shape))
	if err != nil {
		return c.Errorf("%v", err)
	}
	out := make(Shape, len(p))
	for i, a := range p {
		out[i] = x.Shape[a]
	}
	c.SetOut(0, TensorOf(x.DType, out))
	return nil
}

// mvMergeDim combines two dims that must be equal.
func mvMergeDim(a, b Dim) (Dim, error) {
	switch {
	case a.Known() && b.Known():
		if a.Size != b.Size {
			return a, fmt.Errorf("dims %d and %d differ", a.Size, b.Size)
		}
		return a, nil
	case a.Known():
		return a, nil
	case b.Known():
		return b, nil
	case a.Param != "":
		return a, nil
	}
	return b, nil
}

func inferConcat(c *InferCtx) error {
	def := int64(1)
	if c.Node.Opset >= 4 {
		def = 0
		if !c.Node.Attrs.Has("axis") {
			return c.Errorf("attribute axis is required")
		}
	}
	axis := c.Node.Attrs.Int("axis", def)
	var dt DType
	rank := -1
	for i := range c.In {
		if c.In[i] == nil {
			continue
		}
		if dt == Undefined {
			dt = c.In[i].DType
		} else if c.In[i].DType != dt {
			return c.Errorf("input %d has dtype %v, expected %v", i, c.In[i].DType, dt)
		}
		if c.In[i].RankKnown {
			rank = len(c.In[i].Shape)
		}
	}
	if rank < 0 {
		c.SetOut(0, UnrankedOf(dt))
		return nil
	}
	ax, err := NormAxis(axis, rank)
	if err != nil {
		return c.Errorf("%v", err)
	}
	out := mvUnknownDims(rank)
	sum := D(0)
	first := true
	for i, t := range c.In {
		if t == nil {
			continue
		}
		if !t.RankKnown {
			sum = UnknownDim
			continue
		}
		if len(t.Shape) != rank {
			return c.Errorf("input %d has rank %d, expected %d", i, len(t.Shape), rank)
		}
		for d := range t.Shape {
			if d == ax {
				continue
			}
			if first {
				out[d] = t.Shape[d]
				continue
			}
			m, err := mvMergeDim(out[d], t.Shape[d])
			if err != nil {
				return c.Errorf("input %d: axis %d: %v", i, d, err)
			}
			out[d] = m
		}
		first = false
		if sum.Known() && t.Shape[ax].Known() {
			sum = D(sum.Size + t.Shape[ax].Size)
		} else {
			sum = UnknownDim
		}
	}
	out[ax] = sum
	c.SetOut(0, TensorOf(dt, out))
	return nil
}

func inferSplit(c *InferCtx) error {
	x, err := mvIn(c, 0)
	if err != nil {
		return err
	}
	n := len(c.Out)
	if !x.RankKnown {
		for i := 0; i < n; i++ {
			c.SetOut(i, UnrankedOf(x.DType))
		}
		return nil
	}
	ax, err := NormAxis(c.Node.Attrs.Int("axis", 0), len(x.Shape))
	if err != nil {
		return c.Errorf("%v", err)
	}
	split, _, known := mvConstOrAttr(c, 1, "split")
	if len(split) == 0 {
		split = nil // an empty split input means "not given"
	}
	numOut := c.Node.Attrs.Int("num_outputs", 0)
	if numOut > 0 && split != nil {
		return c.Errorf("split and num_outputs are both given")
	}
	sizes := make([]Dim, n)
	for i := range sizes {
		sizes[i] = UnknownDim
	}
	switch {
	case !known: // split sizes come at run time
	case x.Shape[ax].Known():
		v, err := SplitSizes(x.Shape[ax].Size, n, split, numOut)
		if err != nil {
			return c.Errorf("%v", err)
		}
		for i := range v {
			sizes[i] = D(v[i])
		}
	case split != nil:
		if len(split) != n {
			return c.Errorf("split has %d entries for %d outputs", len(split), n)
		}
		for i := range split {
			sizes[i] = D(split[i])
		}
	}
	for i := 0; i < n; i++ {
		s := append(Shape{}, x.Shape...)
		s[ax] = sizes[i]
		c.SetOut(i, TensorOf(x.DType, s))
	}
	return nil
}

// SliceArgs holds Slice's starts/ends/axes/steps, taken from inputs
// (opset 10+) or attributes (opset 1-9); Axes and Steps may be nil.
type SliceArgs struct {
	Starts, Ends, Axes, Steps []int64
}

func inferSlice(c *InferCtx) error {
	x, err := mvIn(c, 0)
	if err != nil {
		return err
	}
	if !x.RankKnown {
		c.SetOut(0, UnrankedOf(x.DType))
		return nil
	}
	r := len(x.Shape)
	var a SliceArgs
	known := true
	if c.Node.Attrs.Has("starts") || c.Node.Attrs.Has("ends") {
		a.Starts = c.Node.Attrs.Ints("starts", nil)
		a.Ends = c.Node.Attrs.Ints("ends", nil)
		a.Axes = c.Node.Attrs.Ints("axes", nil)
	} else {
		var ok bool
		for i, dst := range []*[]int64{&a.Starts, &a.Ends, &a.Axes, &a.Steps} {
			if !c.Has(i + 1) {
				continue
			}
			if *dst, ok = c.ConstInts(i + 1); !ok {
				known = false
			}
		}
	}
	out := append(Shape{}, x.Shape...)
	if !known {
		if a.Axes == nil { // which axes are sliced is not known
			c.SetOut(0, TensorOf(x.DType, mvUnknownDims(r)))
			return nil
		}
		for _, ax := range a.Axes {
			i, err := NormAxis(ax, r)
			if err != nil {
				return c.Errorf("%v", err)
			}
			out[i] = UnknownDim
		}
		c.SetOut(0, TensorOf(x.DType, out))
		return nil
	}
	axes, _, _, counts, err := mvSliceDims(x.Shape, a)
	if err != nil {
		return c.Errorf("%v", err)
	}
	for i, ax := range axes {
		if counts[i] < 0 {
			out[ax] = UnknownDim
		} else {
			out[ax] = D(counts[i])
		}
	}
	c.SetOut(0, TensorOf(x.DType, out))
	return nil
}

// mvSliceDims validates Slice arguments against a static shape and
// returns, per sliced axis, its index, effective start, step and count (-1
// when the dim is not known).
func mvSliceDims(shape Shape, a SliceArgs) (axes []int, starts, steps, counts []int64, err error) {
	r := len(shape)
	if err := a.check(); err != nil {
		return nil, nil, nil, nil, err
	}
	n := len(a.Starts)
	seen := make([]bool, r)
	for i := 0; i < n; i++ {
		ax := int64(i)
		if a.Axes != nil {
			ax = a.Axes[i]
		}
		k, err := NormAxis(ax, r)
		if err != nil {
			return nil, nil, nil, nil, err
		}
		if seen[k] {
			return nil, nil, nil, nil, fmt.Errorf("axis %d is sliced twice", ax)
		}
		seen[k] = true
		step := int64(1)
		if a.Steps != nil {
			step = a.Steps[i]
		}
		axes = append(axes, k)
		steps = append(steps, step)
		if !shape[k].Known() {
			if step == 0 {
				return nil, nil, nil, nil, fmt.Errorf("slice step is 0")
			}
			starts = append(starts, 0)
			counts = append(counts, -1)
			continue
		}
		s, cnt, err := SliceRange(shape[k].Size, a.Starts[i], a.Ends[i], step)
		if err != nil {
			return nil, nil, nil, nil, err
		}
		starts = append(starts, s)
		counts = append(counts, cnt)
	}
	return axes, starts, steps, counts, nil
}

// check reports slice arguments whose lengths disagree.
func (a SliceArgs) check() error {
	n := len(a.Starts)
	switch {
	case len(a.Ends) != n:
		return fmt.Errorf("starts has %d values, ends %d", n, len(a.Ends))
	case a.Axes != nil && len(a.Axes) != n:
		return fmt.Errorf("axes has %d values, starts %d", len(a.Axes), n)
	case a.Steps != nil && len(a.Steps) != n:
		return fmt.Errorf("steps has %d values, starts %d", len(a.Steps), n)
	}
	return nil
}

// ResolveSlice is mvSliceDims for a concrete shape: per axis of the
// input it returns the effective start, step and output size.
func ResolveSlice(shape []int64, a SliceArgs) (starts, steps, outShape []int64, err error) {
	r := len(shape)
	buf := make([]int64, 3*r)
	starts, steps, outShape = buf[:r:r], buf[r:2*r:2*r], buf[2*r:]
	if err := ResolveSliceInto(shape, a, starts, steps, outShape); err != nil {
		return nil, nil, nil, err
	}
	return starts, steps, outShape, nil
}

// ResolveSliceInto is ResolveSlice writing into starts, steps and
// outShape (each len(shape) long) without allocating, for kernels that
// resolve a slice on every Run (a Loop body whose starts change).
func ResolveSliceInto(shape []int64, a SliceArgs, starts, steps, outShape []int64) error {
	if err := a.check(); err != nil {
		return err
	}
	r := len(shape)
	for i := range r {
		starts[i], steps[i], outShape[i] = 0, 0, shape[i] // step 0: not sliced yet
	}
	for i := range a.Starts {
		ax := int64(i)
		if a.Axes != nil {
			ax = a.Axes[i]
		}
		k, err := NormAxis(ax, r)
		if err != nil {
			return err
		}
		if steps[k] != 0 {
			return fmt.Errorf("axis %d is sliced twice", ax)
		}
		step := int64(1)
		if a.Steps != nil {
			step = a.Steps[i]
		}
		st, cnt, err := SliceRange(shape[k], a.Starts[i], a.Ends[i], step)
		if err != nil {
			return err
		}
		starts[k], steps[k], outShape[k] = st, step, cnt
	}
	for i := range steps {
		if steps[i] == 0 {
			steps[i] = 1
		}
	}
	return nil
}

func inferGather(c *InferCtx) error {
	x, err := mvIn(c, 0)
	if err != nil {
		return err
	}
	idx, err := mvIn(c, 1)
	if err != nil {
		return err
	}
	if err := c.RequireDType(1, Int32, Int64); err != nil {
		return err
	}
	if !x.RankKnown || !idx.RankKnown {
		c.SetOut(0, UnrankedOf(x.DType))
		return nil
	}
	ax, err := NormAxis(c.Node.Attrs.Int("axis", 0), len(x.Shape))
	if err != nil {
		return c.Errorf("%v", err)
	}
	out := append(Shape{}, x.Shape[:ax]...)
	out = append(out, idx.Shape...)
	out = append(out, x.Shape[ax+1:]...)
	c.SetOut(0, TensorOf(x.DType, out))
	return nil
}

func inferGatherElements(c *InferCtx) error {
	x, err := mvIn(c, 0)
	if err != nil {
		return err
	}
	idx, err := mvIn(c, 1)
	if err != nil {
		return err
	}
	if err := c.RequireDType(1, Int32, Int64); err != nil {
		return err
	}
	if x.RankKnown && idx.RankKnown && len(x.Shape) != len(idx.Shape) {
		return c.Errorf("data has rank %d, indices rank %d", len(x.Shape), len(idx.Shape))
	}
	if !idx.RankKnown {
		c.SetOut(0, UnrankedOf(x.DType))
		return nil
	}
	c.SetOut(0, TensorOf(x.DType, append(Shape{}, idx.Shape...)))
	return nil
}

func inferGatherND(c *InferCtx) error {
	x, err := mvIn(c, 0)
	if err != nil {
		return err
	}
	idx, err := mvIn(c, 1)
	if err != nil {
		return err
	}
	if err := c.RequireDType(1, Int64); err != nil {
		return err
	}
	b := int(c.Node.Attrs.Int("batch_dims", 0))
	if !x.RankKnown || !idx.RankKnown || len(idx.Shape) == 0 || !idx.Shape[len(idx.Shape)-1].Known() {
		c.SetOut(0, UnrankedOf(x.DType))
		return nil
	}
	q := len(idx.Shape)
	k := int(idx.Shape[q-1].Size)
	if b < 0 || b >= q || b >= len(x.Shape) {
		return c.Errorf("batch_dims %d is out of range", b)
	}
	if b+k > len(x.Shape) {
		return c.Errorf("indices last dim %d plus batch_dims %d exceeds data rank %d", k, b, len(x.Shape))
	}
	out := append(Shape{}, idx.Shape[:q-1]...)
	out = append(out, x.Shape[b+k:]...)
	c.SetOut(0, TensorOf(x.DType, out))
	return nil
}

func inferScatter(c *InferCtx) error {
	x, err := mvIn(c, 0)
	if err != nil {
		return err
	}
	if err := c.RequireSameDType(0, len(c.In)-1); err != nil && c.Node.Op != "TensorScatter" {
		return err
	}
	c.SetOut(0, *x)
	return nil
}

func inferExpand(c *InferCtx) error {
	x, err := mvIn(c, 0)
	if err != nil {
		return err
	}
	if _, err := mvIn(c, 1); err != nil {
		return err
	}
	spec, ok := c.ConstInts(1)
	var target Shape
	switch {
	case ok:
		for _, d := range spec {
			if d < 0 {
				return c.Errorf("shape %v has a negative dim %d", spec, d)
			}
		}
		target = KnownShape(spec)
	case mvShapeLenOK(c, 1):
		k, _ := mvShapeInputLen(c, 1)
		target = mvUnknownDims(k)
	default:
		c.SetOut(0, UnrankedOf(x.DType))
		return nil
	}
	if !x.RankKnown {
		if len(target) == 0 {
			c.SetOut(0, UnrankedOf(x.DType))
			return nil
		}
		// The output rank is at least len(target) but may be larger.
		c.SetOut(0, UnrankedOf(x.DType))
		return nil
	}
	out, err := BroadcastShapes(x.Shape, target)
	if err != nil {
		return c.Errorf("%v", err)
	}
	c.SetOut(0, TensorOf(x.DType, out))
	return nil
}

func inferTile(c *InferCtx) error {
	x, err := mvIn(c, 0)
	if err != nil {
		return err
	}
	if !x.RankKnown {
		c.SetOut(0, UnrankedOf(x.DType))
		return nil
	}
	r := len(x.Shape)
	out := append(Shape{}, x.Shape...)
	if c.Has(2) { // Tile-1: scalar tiles and axis inputs
		t, ok1 := c.ConstInts(1)
		a, ok2 := c.ConstInts(2)
		if !ok1 || !ok2 {
			c.SetOut(0, TensorOf(x.DType, mvUnknownDims(r)))
			return nil
		}
		if len(t) != 1 || len(a) != 1 {
			return c.Errorf("tiles and axis must be scalars")
		}
		ax, err := NormAxis(a[0], r)
		if err != nil {
			return c.Errorf("%v", err)
		}
		if out[ax].Known() {
			out[ax] = D(out[ax].Size * t[0])
		} else {
			out[ax] = UnknownDim
		}
		c.SetOut(0, TensorOf(x.DType, out))
		return nil
	}
	reps, ok := c.ConstInts(1)
	if !ok {
		c.SetOut(0, TensorOf(x.DType, mvUnknownDims(r)))
		return nil
	}
	if len(reps) != r {
		return c.Errorf("repeats has %d values for rank %d", len(reps), r)
	}
	for i, k := range reps {
		if k < 0 {
			return c.Errorf("repeats %v has a negative value", reps)
		}
		switch {
		case k == 1:
		case out[i].Known():
			out[i] = D(out[i].Size * k)
		case k == 0:
			out[i] = D(0)
		default:
			out[i] = UnknownDim
		}
	}
	c.SetOut(0, TensorOf(x.DType, out))
	return nil
}

func inferPad(c *InferCtx) error {
	x, err := mvIn(c, 0)
	if err != nil {
		return err
	}
	if !x.RankKnown {
		c.SetOut(0, UnrankedOf(x.DType))
		return nil
	}
	r := len(x.Shape)
	var pads, axes []int64
	switch {
	case c.Node.Attrs.Has("pads") || c.Node.Attrs.Has("paddings"):
		pads = c.Node.Attrs.Ints("pads", c.Node.Attrs.Ints("paddings", nil))
	case c.Has(1):
		v, ok := c.ConstInts(1)
		if !ok {
			c.SetOut(0, TensorOf(x.DType, mvUnknownDims(r)))
			return nil
		}
		pads = v
		if c.Has(3) {
			a, ok := c.ConstInts(3)
			if !ok {
				c.SetOut(0, TensorOf(x.DType, mvUnknownDims(r)))
				return nil
			}
			axes = a
		}
	default:
		return c.Errorf("pads are missing")
	}
	begin, end, err := PadSpec(r, pads, axes)
	if err != nil {
		return c.Errorf("%v", err)
	}
	out := append(Shape{}, x.Shape...)
	for i := range out {
		if begin[i] == 0 && end[i] == 0 {
			continue
		}
		if out[i].Known() {
			n := out[i].Size + begin[i] + end[i]
			if n < 0 {
				return c.Errorf("pads %v make axis %d negative", pads, i)
			}
			out[i] = D(n)
		} else {
			out[i] = UnknownDim
		}
	}
	c.SetOut(0, TensorOf(x.DType, out))
	return nil
}

func inferCenterCropPad(c *InferCtx) error {
	x, err := mvIn(c, 0)
	if err != nil {
		return err
	}
	if _, err := mvIn(c, 1); err != nil {
		return err
	}
	if !x.RankKnown {
		c.SetOut(0, UnrankedOf(x.DType))
		return nil
	}
	r := len(x.Shape)
	shape, ok := c.ConstInts(1)
	axes := c.Node.Attrs.Ints("axes", nil)
	out := append(Shape{}, x.Shape...)
	if axes == nil {
		axes = make([]int64, r)
		for i := range axes {
			axes[i] = int64(i)
		}
	}
	if ok && len(shape) != len(axes) {
		return c.Errorf("shape has %d values for %d axes", len(shape), len(axes))
	}
	for i, a := range axes {
		ax, err := NormAxis(a, r)
		if err != nil {
			return c.Errorf("%v", err)
		}
		if ok {
			out[ax] = D(shape[i])
		} else {
			out[ax] = UnknownDim
		}
	}
	c.SetOut(0, TensorOf(x.DType, out))
	return nil
}

func inferShapeOp(c *InferCtx) error {
	x, err := mvIn(c, 0)
	if err != nil {
		return err
	}
	if !x.RankKnown {
		c.SetOut(0, TensorOf(Int64, Shape{UnknownDim}))
		return nil
	}
	s, e := ShapeSliceBounds(len(x.Shape), c.Node.Attrs.Int("start", 0), c.Node.Attrs.Int("end", 0), c.Node.Attrs.Has("end"))
	c.SetOut(0, TensorType(Int64, int64(e-s)))
	return nil
}

func inferSize(c *InferCtx) error {
	if _, err := mvIn(c, 0); err != nil {
		return err
	}
	c.SetOut(0, TensorType(Int64))
	return nil
}

func inferConstantOfShape(c *InferCtx) error {
	if _, err := mvIn(c, 0); err != nil {
		return err
	}
	dt := Float32
	if v := c.Node.Attrs.Tensor("value"); v != nil {
		if v.Len() != 1 {
			return c.Errorf("value must hold one element, it has %d", v.Len())
		}
		dt = v.DType
	}
	if v, ok := c.ConstInts(0); ok {
		for _, d := range v {
			if d < 0 {
				return c.Errorf("shape %v has a negative dim", v)
			}
		}
		c.SetOut(0, TensorType(dt, v...))
		return nil
	}
	if k, ok := mvShapeInputLen(c, 0); ok {
		c.SetOut(0, TensorOf(dt, mvUnknownDims(k)))
		return nil
	}
	c.SetOut(0, UnrankedOf(dt))
	return nil
}

// ConstantValue returns the tensor a Constant node produces, from whichever
// of its value attributes is set.
func ConstantValue(n *Node) (*Tensor, error) {
	var out *Tensor
	count := 0
	for _, a := range n.Attrs {
		count++
		switch a.Name {
		case "value":
			out = a.T
		case "sparse_value":
			if a.T == nil || a.T.Kind != KindTensor {
				return nil, fmt.Errorf("sparse_value was not densified by the frontend")
			}
			out = a.T
		case "value_float":
			out = Scalar(a.F)
		case "value_floats":
			out = FromSlice(append([]float32{}, a.Floats...))
		case "value_int":
			out = Scalar(a.I)
		case "value_ints":
			out = FromSlice(append([]int64{}, a.Ints...))
		case "value_string":
			out = Scalar(a.S)
		case "value_strings":
			out = FromSlice(append([]string{}, a.Strings...))
		}
	}
	if count != 1 || out == nil {
		return nil, fmt.Errorf("Constant needs exactly one value attribute, it has %d", count)
	}
	return out, nil
}

func inferConstant(c *InferCtx) error {
	v, err := ConstantValue(c.Node)
	if err != nil {
		return c.Errorf("%v", err)
	}
	c.SetOut(0, TypeOfTensor(v))
	return nil
}

// RangeLen computes Range's element count from scalar tensors.
func RangeLen(start, limit, delta *Tensor) (int64, error) {
	if start.Len() != 1 || limit.Len() != 1 || delta.Len() != 1 {
		return 0, fmt.Errorf("start, limit and delta must be scalars")
	}
	if start.DType.IsInt() {
		s, err1 := start.Int64s()
		l, err2 := limit.Int64s()
		d, err3 := delta.Int64s()
		if err1 != nil || err2 != nil || err3 != nil {
			return 0, fmt.Errorf("start, limit and delta must share an integer dtype")
		}
		return RangeCountInt(s[0], l[0], d[0])
	}
	return RangeCount(start.Float64At(0), limit.Float64At(0), delta.Float64At(0))
}

func inferRange(c *InferCtx) error {
	s, err := mvIn(c, 0)
	if err != nil {
		return err
	}
	if err := c.RequireSameDType(0, 1, 2); err != nil {
		return err
	}
	if err := c.RequireDType(0, Float32, Float64, Int16, Int32, Int64, Float16, BFloat16); err != nil {
		return err
	}
	if c.Const[0] != nil && c.Const[1] != nil && c.Const[2] != nil {
		n, err := RangeLen(c.Const[0], c.Const[1], c.Const[2])
		if err != nil {
			return c.Errorf("%v", err)
		}
		c.SetOut(0, TensorType(s.DType, n))
		return nil
	}
	c.SetOut(0, TensorOf(s.DType, Shape{UnknownDim}))
	return nil
}

func inferOneHot(c *InferCtx) error {
	idx, err := mvIn(c, 0)
	if err != nil {
		return err
	}
	if _, err := mvIn(c, 1); err != nil {
		return err
	}
	vals, err := mvIn(c, 2)
	if err != nil {
		return err
	}
	if !idx.RankKnown {
		c.SetOut(0, UnrankedOf(vals.DType))
		return nil
	}
	r := len(idx.Shape) + 1
	ax, err := NormAxis(c.Node.Attrs.Int("axis", -1), r)
	if err != nil {
		return c.Errorf("%v", err)
	}
	depth := UnknownDim
	if t := c.Const[1]; t != nil && t.Len() == 1 {
		d := t.Float64At(0)
		if d < 1 {
			return c.Errorf("depth %g must be positive", d)
		}
		depth = D(int64(d))
	}
	out := append(Shape{}, idx.Shape[:ax]...)
	out = append(out, depth)
	out = append(out, idx.Shape[ax:]...)
	c.SetOut(0, TensorOf(vals.DType, out))
	return nil
}

func inferNonZero(c *InferCtx) error {
	x, err := mvIn(c, 0)
	if err != nil {
		return err
	}
	if !x.RankKnown {
		c.SetOut(0, TensorOf(Int64, mvUnknownDims(2)))
		return nil
	}
	c.SetOut(0, TensorOf(Int64, Shape{D(int64(len(x.Shape))), UnknownDim}))
	return nil
}

func inferTopK(c *InferCtx) error {
	x, err := mvIn(c, 0)
	if err != nil {
		return err
	}
	if !x.RankKnown {
		c.SetOut(0, UnrankedOf(x.DType))
		c.SetOut(1, UnrankedOf(Int64))
		return nil
	}
	ax, err := NormAxis(c.Node.Attrs.Int("axis", -1), len(x.Shape))
	if err != nil {
		return c.Errorf("%v", err)
	}
	k := UnknownDim
	if c.Has(1) {
		if v, ok := c.ConstInts(1); ok {
			if len(v) != 1 || v[0] < 0 {
				return c.Errorf("K must be one non-negative value, got %v", v)
			}
			k = D(v[0])
		}
	} else if c.Node.Attrs.Has("k") {
		k = D(c.Node.Attrs.Int("k", 0))
	} else {
		return c.Errorf("K is missing")
	}
	if k.Known() && x.Shape[ax].Known() && k.Size > x.Shape[ax].Size {
		return c.Errorf("K %d exceeds axis size %d", k.Size, x.Shape[ax].Size)
	}
	out := append(Shape{}, x.Shape...)
	out[ax] = k
	c.SetOut(0, TensorOf(x.DType, out))
	c.SetOut(1, TensorOf(Int64, append(Shape{}, out...)))
	return nil
}

func inferArgMinMax(c *InferCtx) error {
	x, err := mvIn(c, 0)
	if err != nil {
		return err
	}
	keep := c.Node.Attrs.Int("keepdims", 1) != 0
	if !x.RankKnown {
		c.SetOut(0, UnrankedOf(Int64))
		return nil
	}
	ax, err := NormAxis(c.Node.Attrs.Int("axis", 0), len(x.Shape))
	if err != nil {
		return c.Errorf("%v", err)
	}
	out := append(Shape{}, x.Shape...)
	if keep {
		out[ax] = D(1)
	} else {
		out = append(out[:ax], out[ax+1:]...)
	}
	c.SetOut(0, TensorOf(Int64, out))
	return nil
}

func inferDepthToSpace(c *InferCtx) error {
	x, err := mvIn(c, 0)
	if err != nil {
		return err
	}
	b := c.Node.Attrs.Int("blocksize", 0)
	if b <= 0 || b > MaxBlockSize {
		return c.Errorf("blocksize %d must be in [1, %d]", b, MaxBlockSize)
	}
	if m := c.Node.Attrs.String("mode", "DCR"); m != "DCR" && m != "CRD" {
		return c.Errorf("mode %q is not DCR or CRD", m)
	}
	if !x.RankKnown {
		c.SetOut(0, TensorOf(x.DType, mvUnknownDims(4)))
		return nil
	}
	if len(x.Shape) != 4 {
		return c.Errorf("input must have rank 4, has %d", len(x.Shape))
	}
	out := append(Shape{}, x.Shape...)
	if d := x.Shape[1]; d.Known() {
		if d.Size%(b*b) != 0 {
			return c.Errorf("channels %d are not divisible by blocksize² %d", d.Size, b*b)
		}
		out[1] = D(d.Size / (b * b))
	} else {
		out[1] = UnknownDim
	}
	for _, i := range []int{2, 3} {
		if d := x.Shape[i]; d.Known() {
			out[i] = D(d.Size * b)
		} else {
			out[i] = UnknownDim
		}
	}
	c.SetOut(0, TensorOf(x.DType, out))
	return nil
}

// MaxBlockSize bounds the blocksize of DepthToSpace and SpaceToDepth:
// blocksize² then fits an int64, and a larger block could only divide
// tensors of no elements.
const MaxBlockSize = 1<<31 - 1

func inferSpaceToDepth(c *InferCtx) error {
	x, err := mvIn(c, 0)
	if err != nil {
		return err
	}
	b := c.Node.Attrs.Int("blocksize", 0)
	if b <= 0 || b > MaxBlockSize {
		return c.Errorf("blocksize %d must be in [1, %d]", b, MaxBlockSize)
	}
	if !x.RankKnown {
		c.SetOut(0, TensorOf(x.DType, mvUnknownDims(4)))
		return nil
	}
	if len(x.Shape) != 4 {
		return c.Errorf("input must have rank 4, has %d", len(x.Shape))
	}
	out := append(Shape{}, x.Shape...)
	if d := x.Shape[1]; d.Known() {
		out[1] = D(d.Size * b * b)
	} else {
		out[1] = UnknownDim
	}
	for _, i := range []int{2, 3} {
		if d := x.Shape[i]; d.Known() {
			if d.Size%b != 0 {
				return c.Errorf("axis %d of size %d is not divisible by blocksize %d", i, d.Size, b)
			}
			out[i] = D(d.Size / b)
		} else {
			out[i] = UnknownDim
		}
	}
	c.SetOut(0, TensorOf(x.DType, out))
	return nil
}

func inferCompress(c *InferCtx) error {
	x, err := mvIn(c, 0)
	if err != nil {
		return err
	}
	if _, err := mvIn(c, 1); err != nil {
		return err
	}
	if err := c.RequireDType(1, Bool); err != nil {
		return err
	}
	if !c.Node.Attrs.Has("axis") {
		c.SetOut(0, TensorOf(x.DType, Shape{UnknownDim}))
		return nil
	}
	if !x.RankKnown {
		c.SetOut(0, UnrankedOf(x.DType))
		return nil
	}
	ax, err := NormAxis(c.Node.Attrs.Int("axis", 0), len(x.Shape))
	if err != nil {
		return c.Errorf("%v", err)
	}
	out := append(Shape{}, x.Shape...)
	out[ax] = UnknownDim
	c.SetOut(0, TensorOf(x.DType, out))
	return nil
}

func inferUnique(c *InferCtx) error {
	x, err := mvIn(c, 0)
	if err != nil {
		return err
	}
	hasAxis := c.Node.Attrs.Has("axis")
	switch {
	case !hasAxis:
		c.SetOut(0, TensorOf(x.DType, Shape{UnknownDim}))
		n := UnknownDim
		if x.RankKnown {
			n = mvDimProduct(x.Shape)
		}
		c.SetOut(2, TensorOf(Int64, Shape{n}))
	case !x.RankKnown:
		c.SetOut(0, UnrankedOf(x.DType))
		c.SetOut(2, TensorOf(Int64, Shape{UnknownDim}))
	default:
		ax, err := NormAxis(c.Node.Attrs.Int("axis", 0), len(x.Shape))
		if err != nil {
			return c.Errorf("%v", err)
		}
		out := append(Shape{}, x.Shape...)
		out[ax] = UnknownDim
		c.SetOut(0, TensorOf(x.DType, out))
		c.SetOut(2, TensorOf(Int64, Shape{x.Shape[ax]}))
	}
	c.SetOut(1, TensorOf(Int64, Shape{UnknownDim}))
	c.SetOut(3, TensorOf(Int64, Shape{UnknownDim}))
	return nil
}

func inferEyeLike(c *InferCtx) error {
	x, err := mvIn(c, 0)
	if err != nil {
		return err
	}
	dt := x.DType
	if c.Node.Attrs.Has("dtype") {
		dt = DType(c.Node.Attrs.Int("dtype", 0))
		if !dt.Valid() || dt == String {
			return c.Errorf("dtype %v is not supported", dt)
		}
	}
	if x.RankKnown && len(x.Shape) != 2 {
		return c.Errorf("input must have rank 2, has %d", len(x.Shape))
	}
	if !x.RankKnown {
		c.SetOut(0, TensorOf(dt, mvUnknownDims(2)))
		return nil
	}
	c.SetOut(0, TensorOf(dt, append(Shape{}, x.Shape...)))
	return nil
}

func inferDropout(c *InferCtx) error {
	x, err := mvIn(c, 0)
	if err != nil {
		return err
	}
	c.SetOut(0, *x)
	mdt := Bool
	if c.Node.Opset < 10 {
		mdt = x.DType
	}
	if x.RankKnown {
		c.SetOut(1, TensorOf(mdt, append(Shape{}, x.Shape...)))
	} else {
		c.SetOut(1, UnrankedOf(mdt))
	}
	return nil
}

// BitCastCompatible reports whether from and to have the same bit width
// and neither is a string.
func BitCastCompatible(from, to DType) bool {
	if !from.Valid() || !to.Valid() || from == String || to == String {
		return false
	}
	return from.Info().Bits == to.Info().Bits
}

func inferBitCast(c *InferCtx) error {
	x, err := mvIn(c, 0)
	if err != nil {
		return err
	}
	to := DType(c.Node.Attrs.Int("to", 0))
	if !BitCastCompatible(x.DType, to) {
		return c.Errorf("cannot bitcast %v to %v: bit widths differ or a type is unsupported", x.DType, to)
	}
	t := *x
	t.DType = to
	t.Shape = append(Shape{}, x.Shape...)
	c.SetOut(0, t)
	return nil
}

func inferCol2Im(c *InferCtx) error {
	x, err := mvIn(c, 0)
	if err != nil {
		return err
	}
	img, ok1 := c.ConstInts(1)
	blk, ok2 := c.ConstInts(2)
	n, ch := UnknownDim, UnknownDim
	if x.RankKnown {
		if len(x.Shape) != 3 {
			return c.Errorf("input must have rank 3, has %d", len(x.Shape))
		}
		n = x.Shape[0]
		if ok2 && x.Shape[1].Known() {
			p := int64(1)
			for _, b := range blk {
				p *= b
			}
			if p <= 0 || x.Shape[1].Size%p != 0 {
				return c.Errorf("input dim 1 (%d) is not divisible by the block size product %d", x.Shape[1].Size, p)
			}
			ch = D(x.Shape[1].Size / p)
		}
	}
	if !ok1 {
		if k, ok := mvShapeInputLen(c, 1); ok {
			c.SetOut(0, TensorOf(x.DType, append(Shape{n, ch}, mvUnknownDims(k)...)))
		} else {
			c.SetOut(0, UnrankedOf(x.DType))
		}
		return nil
	}
	out := Shape{n, ch}
	out = append(out, KnownShape(img)...)
	c.SetOut(0, TensorOf(x.DType, out))
	return nil
}
