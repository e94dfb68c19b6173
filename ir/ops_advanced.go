package ir

import (
	"fmt"
	"math"
)

// Op table rows of the "advanced" group: attention, rotary embedding,
// resizing, grid sampling, region ops, non-max suppression and signal
// processing. Their kernels live in kernels/attention*.go, resize*.go,
// gridsample.go, roi*.go, nms.go, affine_grid.go, signal_*.go, image*.go.

func init() {
	RegisterOp(
		&OpSchema{Name: "Attention", MinOpset: 23, MinInputs: 3, MaxInputs: 7, MinOutputs: 1, MaxOutputs: 4,
			Attrs: []AttrSpec{
				{Name: "is_causal", Kind: AttrInt},
				{Name: "kv_num_heads", Kind: AttrInt},
				{Name: "q_num_heads", Kind: AttrInt},
				{Name: "qk_matmul_output_mode", Kind: AttrInt},
				{Name: "scale", Kind: AttrFloat},
				{Name: "softcap", Kind: AttrFloat},
				{Name: "softmax_precision", Kind: AttrInt},
				{Name: "left_window_size", Kind: AttrInt},
				{Name: "right_window_size", Kind: AttrInt},
			},
			Infer: inferAttention},
		&OpSchema{Name: "RotaryEmbedding", MinOpset: 23, MinInputs: 3, MaxInputs: 4, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{
				{Name: "interleaved", Kind: AttrInt},
				{Name: "num_heads", Kind: AttrInt},
				{Name: "rotary_embedding_dim", Kind: AttrInt},
			},
			Infer: inferRotary},
		&OpSchema{Name: "Resize", MinOpset: 10, MinInputs: 1, MaxInputs: 4, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{
				{Name: "antialias", Kind: AttrInt},
				{Name: "axes", Kind: AttrInts},
				{Name: "coordinate_transformation_mode", Kind: AttrString},
				{Name: "cubic_coeff_a", Kind: AttrFloat},
				{Name: "exclude_outside", Kind: AttrInt},
				{Name: "extrapolation_value", Kind: AttrFloat},
				{Name: "keep_aspect_ratio_policy", Kind: AttrString},
				{Name: "mode", Kind: AttrString},
				{Name: "nearest_mode", Kind: AttrString},
			},
			Infer: inferResize},
		&OpSchema{Name: "Upsample", MinOpset: 7, MinInputs: 1, MaxInputs: 2, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{
				{Name: "mode", Kind: AttrString},
				{Name: "scales", Kind: AttrFloats},
			},
			Infer: inferResize},
		&OpSchema{Name: "GridSample", MinOpset: 16, MinInputs: 2, MaxInputs: 2, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{
				{Name: "align_corners", Kind: AttrInt},
				{Name: "mode", Kind: AttrString},
				{Name: "padding_mode", Kind: AttrString},
			},
			Infer: inferGridSample},
		&OpSchema{Name: "AffineGrid", MinOpset: 20, MinInputs: 2, MaxInputs: 2, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{{Name: "align_corners", Kind: AttrInt}},
			Infer: inferAffineGrid},
		&OpSchema{Name: "NonMaxSuppression", MinOpset: 10, MinInputs: 2, MaxInputs: 5, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{{Name: "center_point_box", Kind: AttrInt}},
			Infer: inferNMS},
		&OpSchema{Name: "RoiAlign", MinOpset: 10, MinInputs: 3, MaxInputs: 3, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{
				{Name: "coordinate_transformation_mode", Kind: AttrString},
				{Name: "mode", Kind: AttrString},
				{Name: "output_height", Kind: AttrInt},
				{Name: "output_width", Kind: AttrInt},
				{Name: "sampling_ratio", Kind: AttrInt},
				{Name: "spatial_scale", Kind: AttrFloat},
			},
			Infer: inferRoiAlign},
		&OpSchema{Name: "MaxRoiPool", MinOpset: 1, MinInputs: 2, MaxInputs: 2, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{
				{Name: "pooled_shape", Kind: AttrInts, Required: true},
				{Name: "spatial_scale", Kind: AttrFloat},
			},
			Infer: inferMaxRoiPool},
		&OpSchema{Name: "DFT", MinOpset: 17, MinInputs: 1, MaxInputs: 3, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{
				{Name: "axis", Kind: AttrInt},
				{Name: "inverse", Kind: AttrInt},
				{Name: "onesided", Kind: AttrInt},
			},
			Infer: inferDFT},
		&OpSchema{Name: "STFT", MinOpset: 17, MinInputs: 2, MaxInputs: 4, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{{Name: "onesided", Kind: AttrInt}},
			Infer: inferSTFT},
		advWindowRow("HannWindow"),
		advWindowRow("HammingWindow"),
		advWindowRow("BlackmanWindow"),
		&OpSchema{Name: "MelWeightMatrix", MinOpset: 17, MinInputs: 5, MaxInputs: 5, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{{Name: "output_datatype", Kind: AttrInt}},
			Infer: inferMel},
		&OpSchema{Name: "ImageDecoder", MinOpset: 20, MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{{Name: "pixel_format", Kind: AttrString}},
			Infer: inferImageDecoder},
	)
}

// advDim helpers do arithmetic on static dims; an unknown operand gives an
// unknown result.
func advDimAdd(a, b Dim) Dim {
	if a.Known() && b.Known() {
		return D(a.Size + b.Size)
	}
	return UnknownDim
}

func advDimMul(a, b Dim) Dim {
	if a.Known() && b.Known() {
		return D(a.Size * b.Size)
	}
	if (a.Known() && a.Size == 0) || (b.Known() && b.Size == 0) {
		return D(0)
	}
	if a.Known() && a.Size == 1 {
		return b
	}
	if b.Known() && b.Size == 1 {
		return a
	}
	return UnknownDim
}

// advDimDiv divides a by n exactly; it reports false when a is known and
// not a multiple of n.
func advDimDiv(a Dim, n int64) (Dim, bool) {
	if n == 1 {
		return a, true
	}
	if !a.Known() || n <= 0 {
		return UnknownDim, true
	}
	if a.Size%n != 0 {
		return UnknownDim, false
	}
	return D(a.Size / n), true
}

func inferAttention(c *InferCtx) error {
	q, k, v := c.In[0], c.In[1], c.In[2]
	for i := 0; i < 3; i++ {
		if err := c.RequireDType(i, FloatTypes...); err != nil {
			return err
		}
	}
	if err := c.RequireSameDType(0, 1, 4); err != nil {
		return err
	}
	if err := c.RequireSameDType(2, 5); err != nil {
		return err
	}
	if c.Has(6) {
		if err := c.RequireDType(6, Int64); err != nil {
			return err
		}
	}
	dt, vdt := q.DType, v.DType
	a := c.Attrs()
	if !q.RankKnown || !k.RankKnown || !v.RankKnown {
		c.SetOut(0, UnrankedOf(dt))
		c.SetOut(1, TensorOf(dt, Shape{UnknownDim, UnknownDim, UnknownDim, UnknownDim}))
		c.SetOut(2, TensorOf(vdt, Shape{UnknownDim, UnknownDim, UnknownDim, UnknownDim}))
		c.SetOut(3, TensorOf(dt, Shape{UnknownDim, UnknownDim, UnknownDim, UnknownDim}))
		return nil
	}
	r := q.Rank()
	if r != 3 && r != 4 {
		return c.Errorf("Q must be 3-D or 4-D, got rank %d", r)
	}
	if k.Rank() != r || v.Rank() != r {
		return c.Errorf("Q, K and V must have the same rank, got %d, %d, %d", r, k.Rank(), v.Rank())
	}
	var batch, qHeads, qSeq, kvHeads, kvSeq, headK, headV Dim
	if r == 4 {
		batch, qHeads, qSeq = q.Shape[0], q.Shape[1], q.Shape[2]
		kvHeads, kvSeq, headK, headV = k.Shape[1], k.Shape[2], k.Shape[3], v.Shape[3]
	} else {
		qh, kvh := a.Int("q_num_heads", 0), a.Int("kv_num_heads", 0)
		if qh <= 0 || kvh <= 0 {
			return c.Errorf("3-D inputs need positive q_num_heads and kv_num_heads attributes")
		}
		batch, qSeq, kvSeq = q.Shape[0], q.Shape[1], k.Shape[1]
		qHeads, kvHeads = D(qh), D(kvh)
		var ok bool
		if headK, ok = advDimDiv(k.Shape[2], kvh); !ok {
			return c.Errorf("K hidden size %v is not a multiple of kv_num_heads %d", k.Shape[2], kvh)
		}
		if headV, ok = advDimDiv(v.Shape[2], kvh); !ok {
			return c.Errorf("V hidden size %v is not a multiple of kv_num_heads %d", v.Shape[2], kvh)
		}
		if _, ok = advDimDiv(q.Shape[2], qh); !ok {
			return c.Errorf("Q hidden size %v is not a multiple of q_num_heads %d", q.Shape[2], qh)
		}
	}
	total := kvSeq
	if c.Has(4) {
		p := c.In[4]
		if p.RankKnown && p.Rank() == 4 {
			total = advDimAdd(p.Shape[2], kvSeq)
		} else {
			total = UnknownDim
		}
	}
	if r == 4 {
		c.SetOut(0, TensorOf(dt, Shape{batch, qHeads, qSeq, headV}))
	} else {
		c.SetOut(0, TensorOf(dt, Shape{batch, qSeq, advDimMul(qHeads, headV)}))
	}
	c.SetOut(1, TensorOf(dt, Shape{batch, kvHeads, total, headK}))
	c.SetOut(2, TensorOf(vdt, Shape{batch, kvHeads, total, headV}))
	c.SetOut(3, TensorOf(dt, Shape{batch, qHeads, qSeq, total}))
	return nil
}

func inferRotary(c *InferCtx) error {
	if err := c.RequireDType(0, Float32, Float16, BFloat16); err != nil {
		return err
	}
	if err := c.RequireSameDType(0, 1, 2); err != nil {
		return err
	}
	if err := c.RequireDType(3, Int64); err != nil {
		return err
	}
	if r := c.In[0].Rank(); r >= 0 && r != 3 && r != 4 {
		return c.Errorf("input must be 3-D or 4-D, got rank %d", r)
	}
	c.SetOut(0, *c.In[0])
	return nil
}

// ResizeInputs names the inputs of a Resize or Upsample node by its version:
// the index of roi, scales and sizes, -1 where that version has none.
func ResizeInputs(op string, opset int64) (roi, scales, sizes int) {
	switch {
	case opset == 0: // a graph built in Go: the current form
		if op == "Upsample" {
			return -1, 1, -1
		}
		return 1, 2, 3
	case op == "Upsample" && opset < 9:
		return -1, -1, -1 // scales is an attribute
	case op == "Upsample" || opset < 11:
		return -1, 1, -1
	}
	return 1, 2, 3
}

// ResizeShape computes the output shape of Resize/Upsample from the input
// shape and either scales or sizes (the other empty), given for the listed
// axes (nil = every axis, in order), under keep_aspect_ratio_policy. It also
// returns the scale factor of every axis used to map coordinates.
func ResizeShape(in []int64, scales []float32, sizes []int64, axes []int64, policy string) ([]int64, []float64, error) {
	r := len(in)
	ax := make([]int, 0, r)
	if axes == nil {
		for i := 0; i < r; i++ {
			ax = append(ax, i)
		}
	} else {
		seen := make([]bool, r)
		for _, a := range axes {
			n, err := NormAxis(a, r)
			if err != nil {
				return nil, nil, err
			}
			if seen[n] {
				return nil, nil, fmt.Errorf("axis %d repeated in axes %v", a, axes)
			}
			seen[n] = true
			ax = append(ax, n)
		}
	}
	out := append([]int64{}, in...)
	factor := make([]float64, r)
	for i := range factor {
		factor[i] = 1
	}
	switch {
	case len(scales) > 0 && len(sizes) > 0:
		return nil, nil, fmt.Errorf("only one of scales and sizes may be given")
	case len(scales) > 0:
		if len(scales) != len(ax) {
			return nil, nil, fmt.Errorf("%d scales for %d axes", len(scales), len(ax))
		}
		for i, a := range ax {
			s := float64(scales[i])
			if !(s > 0) || math.IsInf(s, 0) {
				return nil, nil, fmt.Errorf("scale %v must be positive and finite", scales[i])
			}
			factor[a] = s
			out[a] = int64(math.Floor(s * float64(in[a])))
		}
	case len(sizes) > 0:
		if len(sizes) != len(ax) {
			return nil, nil, fmt.Errorf("%d sizes for %d axes", len(sizes), len(ax))
		}
		for i, a := range ax {
			if sizes[i] < 0 {
				return nil, nil, fmt.Errorf("size %d is negative", sizes[i])
			}
			if in[a] == 0 {
				if sizes[i] != 0 {
					return nil, nil, fmt.Errorf("cannot resize an empty axis %d to %d", a, sizes[i])
				}
				continue
			}
			out[a] = sizes[i]
			factor[a] = float64(sizes[i]) / float64(in[a])
		}
		if policy != "" && policy != "stretch" {
			var s float64
			for i, a := range ax {
				f := factor[a]
				switch {
				case i == 0:
					s = f
				case policy == "not_larger":
					s = math.Min(s, f)
				case policy == "not_smaller":
					s = math.Max(s, f)
				}
			}
			if policy != "not_larger" && policy != "not_smaller" {
				return nil, nil, fmt.Errorf("keep_aspect_ratio_policy %q is not stretch, not_larger or not_smaller", policy)
			}
			for _, a := range ax {
				factor[a] = s
				out[a] = int64(s*float64(in[a]) + 0.5)
			}
		}
	default:
		return nil, nil, fmt.Errorf("one of scales and sizes must be given")
	}
	return out, factor, nil
}

func inferResize(c *InferCtx) error {
	x := c.In[0]
	n := c.Node
	if !x.RankKnown {
		c.SetOut(0, UnrankedOf(x.DType))
		return nil
	}
	r := x.Rank()
	_, si, zi := ResizeInputs(n.Op, n.Opset)
	var scales []float32
	var sizes []int64
	known := false
	if si < 0 {
		scales = n.Attrs.Floats("scales", nil)
		known = true
	} else {
		scalesKnown := !c.Has(si) || c.Const[si] != nil
		sizesKnown := zi < 0 || !c.Has(zi) || c.Const[zi] != nil
		if c.Has(si) && c.Const[si] != nil {
			if f, ok := c.Const[si].Data.([]float32); ok {
				scales = f
			}
		}
		if zi >= 0 && c.Has(zi) && c.Const[zi] != nil {
			sizes, _ = c.ConstInts(zi)
		}
		if scalesKnown && len(scales) == 0 && c.Has(si) && c.Const[si] != nil && c.Const[si].Len() > 0 {
			return c.Errorf("scales must be float")
		}
		known = scalesKnown && sizesKnown
	}
	in, ok := x.Shape.Concrete()
	if known && ok {
		out, _, err := ResizeShape(in, scales, sizes, n.Attrs.Ints("axes", nil), n.Attrs.String("keep_aspect_ratio_policy", "stretch"))
		if err != nil {
			return c.Errorf("%v", err)
		}
		c.SetOut(0, TensorOf(x.DType, KnownShape(out)))
		return nil
	}
	if known && len(sizes) == 0 && len(scales) > 0 {
		if shape, ok := resizeScaledShape(x.Shape, scales, n.Attrs.Ints("axes", nil)); ok {
			c.SetOut(0, TensorOf(x.DType, shape))
			return nil
		}
	}
	shape := make(Shape, r)
	for i := range shape {
		shape[i] = UnknownDim
	}
	if axes := n.Attrs.Ints("axes", nil); axes != nil {
		copy(shape, x.Shape)
		for _, a := range axes {
			if k, err := NormAxis(a, r); err == nil {
				shape[k] = UnknownDim
			}
		}
	}
	c.SetOut(0, TensorOf(x.DType, shape))
	return nil
}

// resizeScaledShape is Resize's output shape from constant scales when
// some input dimensions are symbolic: each output dimension depends only
// on its own input dimension (floor(d·scale)), so a concrete dimension
// gets its size, a symbolic one with scale 1 stays the same symbol (the
// batch of an upsampling network), and any other is unknown. ok is false
// when the scales do not fit the rank; the caller then infers nothing.
func resizeScaledShape(in Shape, scales []float32, axes []int64) (Shape, bool) {
	r := len(in)
	sub := make([]int64, r)
	for i, d := range in {
		sub[i] = 1
		if d.Known() {
			sub[i] = d.Size
		}
	}
	out, factor, err := ResizeShape(sub, scales, nil, axes, "stretch")
	if err != nil {
		return nil, false
	}
	shape := make(Shape, r)
	for i, d := range in {
		switch {
		case d.Known():
			shape[i] = D(out[i])
		case factor[i] == 1:
			shape[i] = d
		default:
			shape[i] = UnknownDim
		}
	}
	return shape, true
}

func inferGridSample(c *InferCtx) error {
	x, g := c.In[0], c.In[1]
	if err := c.RequireDType(1, FloatTypes...); err != nil {
		return err
	}
	if !x.RankKnown || !g.RankKnown {
		c.SetOut(0, UnrankedOf(x.DType))
		return nil
	}
	r := x.Rank() - 2
	if r < 1 || g.Rank() != r+2 {
		return c.Errorf("X rank %d and grid rank %d do not match (grid must be (N, out dims..., r))", x.Rank(), g.Rank())
	}
	if d := g.Shape[r+1]; d.Known() && d.Size != int64(r) {
		return c.Errorf("grid's last dimension is %d, expected %d", d.Size, r)
	}
	n := x.Shape[0]
	if !n.Known() {
		n = g.Shape[0]
	}
	out := append(Shape{n, x.Shape[1]}, g.Shape[1:r+1]...)
	c.SetOut(0, TensorOf(x.DType, out))
	return nil
}

func inferAffineGrid(c *InferCtx) error {
	if err := c.RequireDType(0, FloatTypes...); err != nil {
		return err
	}
	if err := c.RequireDType(1, Int64); err != nil {
		return err
	}
	dt := c.In[0].DType
	if size, ok := c.ConstInts(1); ok {
		if len(size) != 4 && len(size) != 5 {
			return c.Errorf("size must have 4 or 5 values, got %v", size)
		}
		out := append([]int64{size[0]}, size[2:]...)
		c.SetOut(0, TensorType(dt, append(out, int64(len(size)-2))...))
		return nil
	}
	var r int64 = -1
	if s := c.In[1]; s.RankKnown && s.Rank() == 1 && s.Shape[0].Known() {
		r = s.Shape[0].Size - 2
	} else if t := c.In[0]; t.RankKnown && t.Rank() == 3 && t.Shape[1].Known() {
		r = t.Shape[1].Size
	}
	if r != 2 && r != 3 {
		c.SetOut(0, UnrankedOf(dt))
		return nil
	}
	out := make(Shape, r+2)
	for i := range out {
		out[i] = UnknownDim
	}
	if t := c.In[0]; t.RankKnown && t.Rank() == 3 {
		out[0] = t.Shape[0]
	}
	out[r+1] = D(r)
	c.SetOut(0, TensorOf(dt, out))
	return nil
}

func inferNMS(c *InferCtx) error {
	if err := c.RequireDType(0, Float32); err != nil {
		return err
	}
	if err := c.RequireDType(1, Float32); err != nil {
		return err
	}
	if err := c.RequireDType(2, Int64); err != nil {
		return err
	}
	c.SetOut(0, TensorOf(Int64, Shape{UnknownDim, D(3)}))
	return nil
}

func inferRoiAlign(c *InferCtx) error {
	if err := c.RequireDType(0, FloatTypes...); err != nil {
		return err
	}
	if err := c.RequireSameDType(0, 1); err != nil {
		return err
	}
	if err := c.RequireDType(2, Int64); err != nil {
		return err
	}
	x, rois, bi := c.In[0], c.In[1], c.In[2]
	a := c.Attrs()
	nr := UnknownDim
	if rois.RankKnown && rois.Rank() == 2 {
		nr = rois.Shape[0]
	}
	if !nr.Known() && bi.RankKnown && bi.Rank() == 1 {
		nr = bi.Shape[0]
	}
	ch := UnknownDim
	if x.RankKnown {
		if x.Rank() != 4 {
			return c.Errorf("X must be 4-D, got rank %d", x.Rank())
		}
		ch = x.Shape[1]
	}
	c.SetOut(0, TensorOf(x.DType, Shape{nr, ch, D(a.Int("output_height", 1)), D(a.Int("output_width", 1))}))
	return nil
}

// advConstScalar returns the value of constant integer scalar input i.
func advConstScalar(c *InferCtx, i int) (int64, bool) {
	v, ok := c.ConstInts(i)
	if !ok || len(v) != 1 {
		return 0, false
	}
	return v[0], true
}

func inferDFT(c *InferCtx) error {
	if err := c.RequireDType(0, FloatTypes...); err != nil {
		return err
	}
	x := c.In[0]
	if !x.RankKnown {
		c.SetOut(0, UnrankedOf(x.DType))
		return nil
	}
	r := x.Rank()
	if r < 2 {
		return c.Errorf("input must have rank at least 2, got %d", r)
	}
	a := c.Attrs()
	inverse, onesided := a.Int("inverse", 0) != 0, a.Int("onesided", 0) != 0
	axis, axisKnown := a.Int("axis", 1), true
	if c.Node.Opset == 0 || c.Node.Opset >= 20 {
		axis = -2
		if c.Has(2) {
			axis, axisKnown = advConstScalar(c, 2)
		}
	}
	out := append(Shape{}, x.Shape...)
	switch {
	case inverse && onesided:
		out[r-1] = D(1)
	default:
		out[r-1] = D(2)
	}
	if !axisKnown {
		for i := 0; i < r-1; i++ {
			out[i] = UnknownDim
		}
		c.SetOut(0, TensorOf(x.DType, out))
		return nil
	}
	if axis < 0 {
		axis += int64(r)
	}
	if axis < 0 || axis >= int64(r-1) {
		return c.Errorf("axis out of range for rank %d", r)
	}
	n := UnknownDim
	if c.Has(1) {
		if v, ok := advConstScalar(c, 1); ok {
			n = D(v)
		}
	} else if d := x.Shape[axis]; d.Known() {
		n = d
		if inverse && onesided {
			n = D(2 * (d.Size - 1))
		}
	}
	if onesided && !inverse && n.Known() {
		n = D(n.Size/2 + 1)
	}
	out[axis] = n
	c.SetOut(0, TensorOf(x.DType, out))
	return nil
}

func inferSTFT(c *InferCtx) error {
	if err := c.RequireDType(0, FloatTypes...); err != nil {
		return err
	}
	x := c.In[0]
	out := Shape{UnknownDim, UnknownDim, UnknownDim, D(2)}
	if x.RankKnown {
		if x.Rank() != 3 {
			return c.Errorf("signal must be 3-D, got rank %d", x.Rank())
		}
		out[0] = x.Shape[0]
	}
	frameLen := int64(-1)
	if c.Has(3) {
		if v, ok := advConstScalar(c, 3); ok {
			frameLen = v
		}
	} else if c.Has(2) {
		if w := c.In[2]; w.RankKnown && w.Rank() == 1 && w.Shape[0].Known() {
			frameLen = w.Shape[0].Size
		}
	} else if x.RankKnown && x.Shape[1].Known() {
		frameLen = x.Shape[1].Size
	}
	if frameLen > 0 {
		out[2] = D(frameLen)
		if c.Attrs().Int("onesided", 1) != 0 {
			out[2] = D(frameLen/2 + 1)
		}
		step, ok := advConstScalar(c, 1)
		if ok && step > 0 && x.RankKnown && x.Shape[1].Known() && x.Shape[1].Size >= frameLen {
			out[1] = D(1 + (x.Shape[1].Size-frameLen)/step)
		}
	}
	c.SetOut(0, TensorOf(x.DType, out))
	return nil
}

func advWindowRow(name string) *OpSchema {
	return &OpSchema{Name: name, MinOpset: 17, MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1,
		Attrs: []AttrSpec{
			{Name: "output_datatype", Kind: AttrInt},
			{Name: "periodic", Kind: AttrInt},
		},
		Infer: func(c *InferCtx) error {
			if err := c.RequireDType(0, Int32, Int64); err != nil {
				return err
			}
			dt := DType(c.Attrs().Int("output_datatype", int64(Float32)))
			n := UnknownDim
			if v, ok := advConstScalar(c, 0); ok && v >= 0 {
				n = D(v)
			}
			c.SetOut(0, TensorOf(dt, Shape{n}))
			return nil
		}}
}

func inferMel(c *InferCtx) error {
	for i := 0; i < 3; i++ {
		if err := c.RequireDType(i, Int32, Int64); err != nil {
			return err
		}
	}
	dt := DType(c.Attrs().Int("output_datatype", int64(Float32)))
	out := Shape{UnknownDim, UnknownDim}
	if v, ok := advConstScalar(c, 1); ok && v > 0 {
		out[0] = D(v/2 + 1)
	}
	if v, ok := advConstScalar(c, 0); ok && v >= 0 {
		out[1] = D(v)
	}
	c.SetOut(0, TensorOf(dt, out))
	return nil
}

func inferImageDecoder(c *InferCtx) error {
	if err := c.RequireDType(0, Uint8); err != nil {
		return err
	}
	ch := int64(3)
	if c.Attrs().String("pixel_format", "RGB") == "Grayscale" {
		ch = 1
	}
	c.SetOut(0, TensorOf(Uint8, Shape{UnknownDim, UnknownDim, D(ch)}))
	return nil
}

func inferMaxRoiPool(c *InferCtx) error {
	if err := c.RequireDType(0, FloatTypes...); err != nil {
		return err
	}
	if err := c.RequireSameDType(0, 1); err != nil {
		return err
	}
	x, rois := c.In[0], c.In[1]
	ps := c.Attrs().Ints("pooled_shape", nil)
	if len(ps) != 2 {
		return c.Errorf("pooled_shape must have 2 values, got %v", ps)
	}
	nr, ch := UnknownDim, UnknownDim
	if rois.RankKnown && rois.Rank() == 2 {
		nr = rois.Shape[0]
	}
	if x.RankKnown {
		if x.Rank() != 4 {
			return c.Errorf("X must be 4-D, got rank %d", x.Rank())
		}
		ch = x.Shape[1]
	}
	c.SetOut(0, TensorOf(x.DType, Shape{nr, ch, D(ps[0]), D(ps[1])}))
	return nil
}
