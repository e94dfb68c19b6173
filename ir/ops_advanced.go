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
