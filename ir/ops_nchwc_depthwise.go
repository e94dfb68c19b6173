package ir

// The depthwise convolution of the blocked layout NCHWc (see ops_nchwc.go):
//
//	nncc.DepthwiseConvNCHWc(X, W, B?)  act(Conv(X, W, B)) with group = C:
//	                                   X is NCHWc [N, ceil(C/b), H, W, b],
//	                                   W is [C, 1, kh, kw] (one filter per
//	                                   channel), Y is NCHWc [N, ceil(C/b),
//	                                   OH, OW, b]. Attributes as ConvNCHWc's.

func init() {
	RegisterOp(&OpSchema{Domain: FusedDomain, Name: "DepthwiseConvNCHWc", MinOpset: 1, MinInputs: 2, MaxInputs: 3, MinOutputs: 1, MaxOutputs: 1,
		Attrs: append(append([]AttrSpec{}, nchwcWindowAttrs...), fusedActAttrs...),
		Infer: inferDepthwiseConvNCHWc})
}

func inferDepthwiseConvNCHWc(c *InferCtx) error {
	if err := CheckFusedActivation(c.Attrs()); err != nil {
		return c.Errorf("%v", err)
	}
	b, err := nchwcBlock(c)
	if err != nil {
		return err
	}
	if err := c.RequireSameDType(0, 1, 2); err != nil {
		return err
	}
	w := c.In[1]
	if !w.RankKnown || len(w.Shape) != 4 || !w.Shape[0].Known() || !w.Shape[1].Known() || w.Shape[1].Size != 1 {
		return c.Errorf("weight W must be [C, 1, kh, kw] with known C, got %v", w.Shape)
	}
	ch := w.Shape[0].Size
	if k := c.Attrs().Ints("kernel_shape", nil); len(k) != 2 ||
		(w.Shape[2].Known() && w.Shape[2].Size != k[0]) || (w.Shape[3].Known() && w.Shape[3].Size != k[1]) {
		return c.Errorf("kernel_shape %v does not match weight shape %v", k, w.Shape)
	}
	if c.Has(2) && c.In[2].RankKnown && (len(c.In[2].Shape) != 1 || (c.In[2].Shape[0].Known() && c.In[2].Shape[0].Size != ch)) {
		return c.Errorf("bias B has shape %v, expected [%d]", c.In[2].Shape, ch)
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
		return c.Errorf("input has %d channel blocks, W's %d channels need %d", d.Size, ch, NCHWcBlocks(ch, b))
	}
	sp, err := nchwcSpatial(c, s[2], s[3])
	if err != nil {
		return err
	}
	c.SetOut(0, TensorOf(Float32, Shape{s[0], s[1], sp[0], sp[1], s[4]}))
	return nil
}
