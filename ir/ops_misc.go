package ir

import "fmt"

// Op table rows for recent ops no other group covers: SwiGLU (opset 28),
// CausalConvWithState and LinearAttention (opset 27), and
// ai.onnx.preview FlexAttention.

func init() {
	RegisterOp(
		&OpSchema{
			Name: "SwiGLU", MinOpset: 28,
			MinInputs: 2, MaxInputs: 2, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{{Name: "alpha", Kind: AttrFloat}},
			Infer: inferSwiGLU,
		},
		&OpSchema{
			Name: "CausalConvWithState", MinOpset: 27,
			MinInputs: 2, MaxInputs: 4, MinOutputs: 1, MaxOutputs: 2,
			Attrs: []AttrSpec{{Name: "activation", Kind: AttrString}},
			Infer: inferCausalConvWithState,
		},
		&OpSchema{
			Name: "LinearAttention", MinOpset: 27,
			MinInputs: 3, MaxInputs: 6, MinOutputs: 1, MaxOutputs: 2,
			Attrs: []AttrSpec{
				{Name: "chunk_size", Kind: AttrInt},
				{Name: "kv_num_heads", Kind: AttrInt, Required: true},
				{Name: "q_num_heads", Kind: AttrInt, Required: true},
				{Name: "scale", Kind: AttrFloat},
				{Name: "update_rule", Kind: AttrString},
			},
			Infer: inferLinearAttention,
		},
		&OpSchema{
			Domain: "ai.onnx.preview", Name: "FlexAttention", MinOpset: 1,
			MinInputs: 3, MaxInputs: 3, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{
				{Name: "prob_mod", Kind: AttrGraph},
				{Name: "scale", Kind: AttrFloat},
				{Name: "score_mod", Kind: AttrGraph},
				{Name: "softmax_precision", Kind: AttrInt},
			},
			Infer: inferFlexAttention,
		},
	)
}

// inferSwiGLU: A and B have identical shapes (no broadcasting); Y too.
func inferSwiGLU(c *InferCtx) error {
	if err := c.RequireDType(0, FloatTypes...); err != nil {
		return err
	}
	if err := c.RequireSameDType(0, 1); err != nil {
		return err
	}
	a, b := c.In[0], c.In[1]
	out := *a
	if a.RankKnown && b.RankKnown {
		if len(a.Shape) != len(b.Shape) {
			return c.Errorf("A has shape %v but B has %v; SwiGLU does not broadcast", a.Shape, b.Shape)
		}
		out.Shape = append(Shape{}, a.Shape...)
		for i, d := range a.Shape {
			e := b.Shape[i]
			switch {
			case d.Known() && e.Known() && d.Size != e.Size:
				return c.Errorf("A has shape %v but B has %v; SwiGLU does not broadcast", a.Shape, b.Shape)
			case !d.Known() && e.Known():
				out.Shape[i] = e
			}
		}
	} else if b.RankKnown {
		out = *b
	}
	c.SetOut(0, out)
	return nil
}

// inferCausalConvWithState: output has the input's type; present_state is
// (batch, channels, k-1) with k the weight's last dim.
func inferCausalConvWithState(c *InferCtx) error {
	if err := c.RequireDType(0, Float32, Float16, BFloat16); err != nil {
		return err
	}
	if err := c.RequireSameDType(0, 1, 2, 3); err != nil {
		return err
	}
	x, w := c.In[0], c.In[1]
	if x.RankKnown && len(x.Shape) != 3 {
		return c.Errorf("input must have shape (batch, channels, length), got %v", x.Shape)
	}
	if w.RankKnown && len(w.Shape) != 3 {
		return c.Errorf("weight must have shape (channels, 1, k), got %v", w.Shape)
	}
	c.SetOut(0, *x)
	state := Shape{UnknownDim, UnknownDim, UnknownDim}
	if x.RankKnown {
		state[0], state[1] = x.Shape[0], x.Shape[1]
	}
	if w.RankKnown && w.Shape[2].Known() {
		if w.Shape[2].Size < 1 {
			return c.Errorf("kernel size must be at least 1, got %d", w.Shape[2].Size)
		}
		state[2] = D(w.Shape[2].Size - 1)
	}
	c.SetOut(1, TensorOf(x.DType, state))
	return nil
}

// inferLinearAttention: output (B, T, H_q·d_v); present_state
// (B, H_kv, d_k, d_v) in past_state's type (the query's when absent), with
// d_k = query.shape[-1]/H_q and d_v = value.shape[-1]/H_kv.
func inferLinearAttention(c *InferCtx) error {
	for _, i := range []int{0, 1, 2, 3, 4, 5} {
		if err := c.RequireDType(i, Float32, Float16, BFloat16); err != nil {
			return err
		}
	}
	if err := c.RequireSameDType(0, 1, 2, 4, 5); err != nil {
		return err
	}
	hq, hkv := c.Attrs().Int("q_num_heads", 0), c.Attrs().Int("kv_num_heads", 0)
	if hq <= 0 || hkv <= 0 || hq%hkv != 0 {
		return c.Errorf("q_num_heads (%d) must be a positive multiple of kv_num_heads (%d)", hq, hkv)
	}
	q, v := c.In[0], c.In[2]
	out := Shape{UnknownDim, UnknownDim, UnknownDim}
	state := Shape{UnknownDim, D(hkv), UnknownDim, UnknownDim}
	if q.RankKnown {
		if len(q.Shape) != 3 {
			return c.Errorf("query must be rank 3 (B, T, H*D), got %v", q.Shape)
		}
		out[0], out[1], state[0] = q.Shape[0], q.Shape[1], q.Shape[0]
		if d := q.Shape[2]; d.Known() {
			if d.Size%hq != 0 {
				return c.Errorf("query's last dim %d is not divisible by q_num_heads %d", d.Size, hq)
			}
			state[2] = D(d.Size / hq)
		}
	}
	if v.RankKnown {
		if len(v.Shape) != 3 {
			return c.Errorf("value must be rank 3 (B, T, H*D), got %v", v.Shape)
		}
		if d := v.Shape[2]; d.Known() {
			if d.Size%hkv != 0 {
				return c.Errorf("value's last dim %d is not divisible by kv_num_heads %d", d.Size, hkv)
			}
			out[2] = D(d.Size / hkv * hq)
			state[3] = D(d.Size / hkv)
		}
	}
	c.SetOut(0, TensorOf(q.DType, out))
	sdt := q.DType
	if c.Has(3) {
		sdt = c.In[3].DType
	}
	c.SetOut(1, TensorOf(sdt, state))
	return nil
}

// FlexAttentionPrecision returns the dtype FlexAttention computes scores
// and probabilities in: softmax_precision when set (float or double), else
// double for double inputs and float otherwise.
func FlexAttentionPrecision(a Attrs, in DType) (DType, error) {
	if a.Has("softmax_precision") {
		switch p := DType(a.Int("softmax_precision", 0)); p {
		case Float32, Float64:
			return p, nil
		default:
			return p, fmt.Errorf("softmax_precision %v must be float or double", p)
		}
	}
	if in == Float64 {
		return Float64, nil
	}
	return Float32, nil
}

// inferFlexAttention: Y (B, Hq, L, Dv); the modifier subgraphs see scores of
// shape (B, Hq, L, S) in the softmax precision.
func inferFlexAttention(c *InferCtx) error {
	if err := c.RequireDType(0, FloatTypes...); err != nil {
		return err
	}
	if err := c.RequireSameDType(0, 1, 2); err != nil {
		return err
	}
	q, k, v := c.In[0], c.In[1], c.In[2]
	for i, t := range []*Type{q, k, v} {
		if t.RankKnown && len(t.Shape) != 4 {
			return c.Errorf("input %d must be rank 4, got %v", i, t.Shape)
		}
	}
	prec, err := FlexAttentionPrecision(c.Attrs(), q.DType)
	if err != nil {
		return c.Errorf("%v", err)
	}
	at := func(t *Type, i int) Dim {
		if t.RankKnown {
			return t.Shape[i]
		}
		return UnknownDim
	}
	scores := TensorOf(prec, Shape{at(q, 0), at(q, 1), at(q, 2), at(k, 2)})
	for _, name := range []string{"score_mod", "prob_mod"} {
		if g := c.Attrs().Graph(name); g != nil {
			if len(g.Inputs) != 1 || len(g.Outputs) != 1 {
				return c.Errorf("%s must have one input and one output", name)
			}
			InferBody(g, []Type{scores})
		}
	}
	c.SetOut(0, TensorOf(q.DType, Shape{at(q, 0), at(q, 1), at(q, 2), at(v, 3)}))
	return nil
}
