package ir

// Op table rows for the string ops: StringNormalizer, StringConcat,
// StringSplit, RegexFullMatch, and TfIdfVectorizer.

func init() {
	RegisterOp(
		&OpSchema{
			Name: "StringNormalizer", MinOpset: 10,
			MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{
				{Name: "case_change_action", Kind: AttrString},
				{Name: "is_case_sensitive", Kind: AttrInt},
				{Name: "locale", Kind: AttrString},
				{Name: "stopwords", Kind: AttrStrings},
			},
			Infer: inferStringNormalizer,
		},
		&OpSchema{
			Name: "StringConcat", MinOpset: 20,
			MinInputs: 2, MaxInputs: 2, MinOutputs: 1, MaxOutputs: 1,
			Infer: inferStringConcat,
		},
		&OpSchema{
			Name: "StringSplit", MinOpset: 20,
			MinInputs: 1, MaxInputs: 1, MinOutputs: 2, MaxOutputs: 2,
			Attrs: []AttrSpec{{Name: "delimiter", Kind: AttrString}, {Name: "maxsplit", Kind: AttrInt}},
			Infer: inferStringSplit,
		},
		&OpSchema{
			Name: "RegexFullMatch", MinOpset: 20,
			MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{{Name: "pattern", Kind: AttrString}},
			Infer: inferRegexFullMatch,
		},
		&OpSchema{
			Name: "TfIdfVectorizer", MinOpset: 9,
			MinInputs: 1, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1,
			Attrs: []AttrSpec{
				{Name: "max_gram_length", Kind: AttrInt, Required: true},
				{Name: "max_skip_count", Kind: AttrInt, Required: true},
				{Name: "min_gram_length", Kind: AttrInt, Required: true},
				{Name: "mode", Kind: AttrString, Required: true},
				{Name: "ngram_counts", Kind: AttrInts, Required: true},
				{Name: "ngram_indexes", Kind: AttrInts, Required: true},
				{Name: "pool_int64s", Kind: AttrInts},
				{Name: "pool_strings", Kind: AttrStrings},
				{Name: "weights", Kind: AttrFloats},
			},
			Infer: inferTfIdf,
		},
	)
}

// inferStringNormalizer: [C] → [C'] and [1, C] → [1, C'], where C' depends
// on how many elements are stop words (at least 1).
func inferStringNormalizer(c *InferCtx) error {
	if err := c.RequireDType(0, String); err != nil {
		return err
	}
	in := c.In[0]
	if !in.RankKnown {
		c.SetOut(0, UnrankedOf(String))
		return nil
	}
	switch len(in.Shape) {
	case 1:
		out := Shape{UnknownDim}
		if len(c.Attrs().Strings("stopwords", nil)) == 0 && in.Shape[0].Known() && in.Shape[0].Size > 0 {
			out[0] = in.Shape[0]
		}
		c.SetOut(0, TensorOf(String, out))
	case 2:
		if in.Shape[0].Known() && in.Shape[0].Size != 1 {
			return c.Errorf("input must have shape [C] or [1, C], got %v", in.Shape)
		}
		out := Shape{D(1), UnknownDim}
		if len(c.Attrs().Strings("stopwords", nil)) == 0 && in.Shape[1].Known() && in.Shape[1].Size > 0 {
			out[1] = in.Shape[1]
		}
		c.SetOut(0, TensorOf(String, out))
	default:
		return c.Errorf("input must have shape [C] or [1, C], got %v", in.Shape)
	}
	return nil
}

func inferStringConcat(c *InferCtx) error {
	if err := c.RequireDType(0, String); err != nil {
		return err
	}
	if err := c.RequireDType(1, String); err != nil {
		return err
	}
	return InferBroadcast(String)(c)
}

// inferStringSplit: Y has the input's shape plus one dim (the largest
// number of substrings, known only from the values); Z has the input's shape.
func inferStringSplit(c *InferCtx) error {
	if err := c.RequireDType(0, String); err != nil {
		return err
	}
	in := c.In[0]
	if !in.RankKnown {
		c.SetOut(0, UnrankedOf(String))
		c.SetOut(1, UnrankedOf(Int64))
		return nil
	}
	y := append(append(Shape{}, in.Shape...), UnknownDim)
	c.SetOut(0, TensorOf(String, y))
	c.SetOut(1, TensorOf(Int64, append(Shape{}, in.Shape...)))
	return nil
}

func inferRegexFullMatch(c *InferCtx) error {
	if err := c.RequireDType(0, String); err != nil {
		return err
	}
	out := *c.In[0]
	out.DType = Bool
	c.SetOut(0, out)
	return nil
}

// inferTfIdf: [C] → [max(ngram_indexes)+1], [N, C] → [N, max+1].
func inferTfIdf(c *InferCtx) error {
	if err := c.RequireDType(0, String, Int32, Int64); err != nil {
		return err
	}
	size := int64(0)
	for _, v := range c.Attrs().Ints("ngram_indexes", nil) {
		if v < 0 {
			return c.Errorf("ngram_indexes has a negative entry %d", v)
		}
		size = max(size, v+1)
	}
	in := c.In[0]
	if !in.RankKnown {
		c.SetOut(0, UnrankedOf(Float32))
		return nil
	}
	switch len(in.Shape) {
	case 0, 1:
		c.SetOut(0, TensorOf(Float32, Shape{D(size)}))
	case 2:
		c.SetOut(0, TensorOf(Float32, Shape{in.Shape[0], D(size)}))
	default:
		return c.Errorf("input must have shape [C] or [N, C], got %v", in.Shape)
	}
	return nil
}
