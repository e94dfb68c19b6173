package ir

// Op table rows of the blocked channel layout NCHWc (domain "nncc"), which
// only the layout pass (passes/layout_nchwc.go) creates. A tensor [N, C,
// H, W] in NCHWc with block b is stored as [N, ceil(C/b), H, W, b]: element
// (n, c, h, w) sits at [n, c/b, h, w, c%b]. Channels past C in the last
// block ("padding channels") hold finite values that carry no meaning:
// the reorders and convolutions write zero there, elementwise ops and
// pooling map them to other finite values, and every consumer ignores
// them (convolutions multiply them by zero weights, ReorderFromNCHWc drops
// them). Every op below records its block in the int attribute "block".
//
//	nncc.ReorderToNCHWc(X)             [N, C, H, W] → [N, ceil(C/b), H, W, b], padding zero
//	nncc.ReorderFromNCHWc(X)           [N, Cb, H, W, b] → [N, channels, H, W]
//	                                   (attribute "channels": the true C)
//	nncc.ConvNCHWc(X, W, B?, R?)       act(Conv(X, W, B) + R) with W in ONNX
//	                                   layout [M, C, kh, kw] (group 1, 2-D);
//	                                   X is NCHWc, or plain NCHW (rank 4, a
//	                                   first layer with few channels); Y and
//	                                   R are NCHWc [N, ceil(M/b), OH, OW, b].
//	                                   Attributes: kernel_shape, strides,
//	                                   dilations, explicit pads (no auto_pad)
//	                                   and FusedConv's activation attributes.
//	nncc.MaxPoolNCHWc(X)               MaxPool (2-D, one output) per channel,
//	                                   attributes as MaxPool's (explicit pads)
//	nncc.AveragePoolNCHWc(X)           AveragePool likewise (count_include_pad)
//	nncc.GlobalAveragePoolNCHWc(X)     [N, Cb, H, W, b] → [N, Cb, 1, 1, b]
//	nncc.ConcatNCHWc(X1, …, Xk)        channel Concat of NCHWc tensors whose
//	                                   true channel counts (attribute
//	                                   "input_channels", one per input) need not be
//	                                   multiples of b: → [N, ceil(Σc/b), H, W,
//	                                   b], input i's channels placed after
//	                                   those of inputs before it, padding zero;
//	                                   an absent input i stands for
//	                                   input_channels[i] zero channels (a
//	                                   channel Pad written as a Concat with
//	                                   zeros); at least one must be present

import "math"

// NCHWcBlocks is the number of blocks of size block holding c channels.
func NCHWcBlocks(c, block int64) int64 { return (c + block - 1) / block }

var nchwcWindowAttrs = []AttrSpec{
	{Name: "block", Kind: AttrInt, Required: true},
	{Name: "kernel_shape", Kind: AttrInts, Required: true},
	{Name: "strides", Kind: AttrInts},
	{Name: "dilations", Kind: AttrInts},
	{Name: "pads", Kind: AttrInts},
}

func init() {
	RegisterOp(
		&OpSchema{Domain: FusedDomain, Name: "ReorderToNCHWc", MinOpset: 1, MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{{Name: "block", Kind: AttrInt, Required: true}},
			Infer: inferReorderToNCHWc},
		&OpSchema{Domain: FusedDomain, Name: "ReorderFromNCHWc", MinOpset: 1, MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{{Name: "block", Kind: AttrInt, Required: true}, {Name: "channels", Kind: AttrInt, Required: true}},
			Infer: inferReorderFromNCHWc},
		&OpSchema{Domain: FusedDomain, Name: "ConvNCHWc", MinOpset: 1, MinInputs: 2, MaxInputs: 4, MinOutputs: 1, MaxOutputs: 1,
			Attrs: append(append(append([]AttrSpec{}, nchwcWindowAttrs...), fusedActAttrs...), ExactSumsAttr),
			Infer: inferConvNCHWc},
		&OpSchema{Domain: FusedDomain, Name: "MaxPoolNCHWc", MinOpset: 1, MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1,
			Attrs: append(append([]AttrSpec{}, nchwcWindowAttrs...), AttrSpec{Name: "ceil_mode", Kind: AttrInt}),
			Infer: inferPoolNCHWc},
		&OpSchema{Domain: FusedDomain, Name: "AveragePoolNCHWc", MinOpset: 1, MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1,
			Attrs: append(append([]AttrSpec{}, nchwcWindowAttrs...),
				AttrSpec{Name: "ceil_mode", Kind: AttrInt}, AttrSpec{Name: "count_include_pad", Kind: AttrInt}),
			Infer: inferPoolNCHWc},
		&OpSchema{Domain: FusedDomain, Name: "GlobalAveragePoolNCHWc", MinOpset: 1, MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{{Name: "block", Kind: AttrInt, Required: true}},
			Infer: inferGlobalPoolNCHWc},
		&OpSchema{Domain: FusedDomain, Name: "ConcatNCHWc", MinOpset: 1, MinInputs: 0, MaxInputs: -1, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{{Name: "block", Kind: AttrInt, Required: true}, {Name: "input_channels", Kind: AttrInts, Required: true}},
			Infer: inferConcatNCHWc},
	)
}

// nchwcBlock reads and checks the "block" attribute.
func nchwcBlock(c *InferCtx) (int64, error) {
	b := c.Attrs().Int("block", 0)
	if b <= 0 || b > 64 {
		return 0, c.Errorf("block %d must be in 1..64", b)
	}
	return b, nil
}

// nchwcInput checks that input i is a float32 NCHWc tensor of block b
// (rank 5 with last dim b) and returns its shape (nil when unranked).
func nchwcInput(c *InferCtx, i int, b int64) (Shape, error) {
	if err := c.RequireDType(i, Float32); err != nil {
		return nil, err
	}
	x := c.In[i]
	if !x.RankKnown {
		return nil, nil
	}
	if len(x.Shape) != 5 {
		return nil, c.Errorf("input %d must be NCHWc (rank 5), got shape %v", i, x.Shape)
	}
	if d := x.Shape[4]; d.Known() && d.Size != b {
		return nil, c.Errorf("input %d has block %v, the node's block is %d", i, d, b)
	}
	return x.Shape, nil
}

func inferReorderToNCHWc(c *InferCtx) error {
	b, err := nchwcBlock(c)
	if err != nil {
		return err
	}
	if err := c.RequireDType(0, Float32); err != nil {
		return err
	}
	x := c.In[0]
	if !x.RankKnown {
		c.SetOut(0, UnrankedOf(Float32))
		return nil
	}
	if len(x.Shape) != 4 {
		return c.Errorf("input must be NCHW (rank 4), got shape %v", x.Shape)
	}
	cb := UnknownDim
	if d := x.Shape[1]; d.Known() {
		cb = D(NCHWcBlocks(d.Size, b))
	}
	c.SetOut(0, TensorOf(Float32, Shape{x.Shape[0], cb, x.Shape[2], x.Shape[3], D(b)}))
	return nil
}

func inferReorderFromNCHWc(c *InferCtx) error {
	b, err := nchwcBlock(c)
	if err != nil {
		return err
	}
	ch := c.Attrs().Int("channels", 0)
	if ch <= 0 {
		return c.Errorf("channels %d must be positive", ch)
	}
	s, err := nchwcInput(c, 0, b)
	if err != nil {
		return err
	}
	if s == nil {
		c.SetOut(0, UnrankedOf(Float32))
		return nil
	}
	if d := s[1]; d.Known() && d.Size != NCHWcBlocks(ch, b) {
		return c.Errorf("%d channels need %d blocks of %d, input has %d", ch, NCHWcBlocks(ch, b), b, d.Size)
	}
	c.SetOut(0, TensorOf(Float32, Shape{s[0], D(ch), s[2], s[3]}))
	return nil
}

// nchwcSpatial computes the output's spatial dims of a 2-D window op on
// input spatial dims h, w.
func nchwcSpatial(c *InferCtx, h, w Dim) (Shape, error) {
	a := c.Attrs()
	k := a.Ints("kernel_shape", nil)
	if len(k) != 2 {
		return nil, c.Errorf("kernel_shape %v must have 2 values", k)
	}
	if a.String("auto_pad", "NOTSET") != "NOTSET" {
		return nil, c.Errorf("auto_pad must be resolved into pads")
	}
	wa, err := ParseWindowAttrs(a, 2, k)
	if err != nil {
		return nil, c.Errorf("%v", err)
	}
	out := Shape{UnknownDim, UnknownDim}
	for i, d := range []Dim{h, w} {
		if d.Known() {
			o, _, _, err := wa.Axis(i, d.Size)
			if err != nil {
				return nil, c.Errorf("%v", err)
			}
			if o <= 0 {
				return nil, c.Errorf("spatial axis %d: empty output", i)
			}
			out[i] = D(o)
		}
	}
	return out, nil
}

func inferConvNCHWc(c *InferCtx) error {
	if err := CheckFusedActivation(c.Attrs()); err != nil {
		return c.Errorf("%v", err)
	}
	b, err := nchwcBlock(c)
	if err != nil {
		return err
	}
	if err := c.RequireDType(0, Float32); err != nil {
		return err
	}
	if err := c.RequireSameDType(0, 1, 2, 3); err != nil {
		return err
	}
	x, w := c.In[0], c.In[1]
	if !w.RankKnown || len(w.Shape) != 4 || !w.Shape[0].Known() || !w.Shape[1].Known() {
		return c.Errorf("weight W must be [M, C, kh, kw] with known M and C, got %v", w.Shape)
	}
	m, ch := w.Shape[0].Size, w.Shape[1].Size
	if k := c.Attrs().Ints("kernel_shape", nil); len(k) != 2 ||
		(w.Shape[2].Known() && w.Shape[2].Size != k[0]) || (w.Shape[3].Known() && w.Shape[3].Size != k[1]) {
		return c.Errorf("kernel_shape %v does not match weight shape %v", k, w.Shape)
	}
	if !x.RankKnown {
		c.SetOut(0, UnrankedOf(Float32))
		return nil
	}
	switch len(x.Shape) {
	case 4: // plain NCHW input
		if d := x.Shape[1]; d.Known() && d.Size != ch {
			return c.Errorf("input has %d channels, W expects %d", d.Size, ch)
		}
	case 5:
		if d := x.Shape[4]; d.Known() && d.Size != b {
			return c.Errorf("input has block %v, the node's block is %d", d, b)
		}
		if d := x.Shape[1]; d.Known() && d.Size != NCHWcBlocks(ch, b) {
			return c.Errorf("input has %d channel blocks, W's %d channels need %d", d.Size, ch, NCHWcBlocks(ch, b))
		}
	default:
		return c.Errorf("input must be NCHW or NCHWc (rank 4 or 5), got shape %v", x.Shape)
	}
	sp, err := nchwcSpatial(c, x.Shape[2], x.Shape[3])
	if err != nil {
		return err
	}
	out := Shape{x.Shape[0], D(NCHWcBlocks(m, b)), sp[0], sp[1], D(b)}
	if c.Has(2) && c.In[2].RankKnown && (len(c.In[2].Shape) != 1 || (c.In[2].Shape[0].Known() && c.In[2].Shape[0].Size != m)) {
		return c.Errorf("bias B has shape %v, expected [%d]", c.In[2].Shape, m)
	}
	if c.Has(3) && c.In[3].RankKnown {
		r := c.In[3].Shape
		if len(r) != 5 {
			return c.Errorf("residual R must be NCHWc like the output %v, got %v", out, r)
		}
		for i, d := range r {
			if d.Known() && out[i].Known() && d.Size != out[i].Size {
				return c.Errorf("residual R has shape %v, the output %v", r, out)
			}
		}
	}
	c.SetOut(0, TensorOf(Float32, out))
	return nil
}

func inferPoolNCHWc(c *InferCtx) error {
	b, err := nchwcBlock(c)
	if err != nil {
		return err
	}
	s, err := nchwcInput(c, 0, b)
	if err != nil {
		return err
	}
	if s == nil {
		c.SetOut(0, UnrankedOf(Float32))
		return nil
	}
	sp, err := nchwcSpatial(c, s[2], s[3])
	if err != nil {
		return err
	}
	c.SetOut(0, TensorOf(Float32, Shape{s[0], s[1], sp[0], sp[1], s[4]}))
	return nil
}

func inferGlobalPoolNCHWc(c *InferCtx) error {
	b, err := nchwcBlock(c)
	if err != nil {
		return err
	}
	s, err := nchwcInput(c, 0, b)
	if err != nil {
		return err
	}
	if s == nil {
		c.SetOut(0, UnrankedOf(Float32))
		return nil
	}
	c.SetOut(0, TensorOf(Float32, Shape{s[0], s[1], D(1), D(1), s[4]}))
	return nil
}

func inferConcatNCHWc(c *InferCtx) error {
	b, err := nchwcBlock(c)
	if err != nil {
		return err
	}
	ch := c.Attrs().Ints("input_channels", nil)
	if len(ch) != len(c.In) {
		return c.Errorf("input_channels has %d values for %d inputs", len(ch), len(c.In))
	}
	total := int64(0)
	var out Shape
	for i, ci := range ch {
		if ci <= 0 {
			return c.Errorf("input_channels[%d] = %d must be positive", i, ci)
		}
		if ci > math.MaxInt64-total {
			return c.Errorf("input_channels sum past %d", int64(math.MaxInt64))
		}
		total += ci
		if !c.Has(i) {
			continue // ci zero channels
		}
		s, err := nchwcInput(c, i, b)
		if err != nil {
			return err
		}
		if s == nil {
			continue
		}
		if d := s[1]; d.Known() && d.Size != NCHWcBlocks(ci, b) {
			return c.Errorf("input %d: %d channels need %d blocks of %d, input has %d", i, ci, NCHWcBlocks(ci, b), b, d.Size)
		}
		if out == nil {
			out = Shape{s[0], UnknownDim, s[2], s[3], D(b)}
		}
	}
	if out == nil {
		for i := range c.In {
			if c.Has(i) {
				c.SetOut(0, UnrankedOf(Float32))
				return nil
			}
		}
		return c.Errorf("at least one input must be a tensor (an absent input is zero channels)")
	}
	out[1] = D(NCHWcBlocks(total, b))
	c.SetOut(0, TensorOf(Float32, out))
	return nil
}
