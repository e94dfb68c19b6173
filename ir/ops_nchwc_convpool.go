package ir

// The convolution followed by max pooling of the blocked layout NCHWc (see
// ops_nchwc.go), which the conv-pool pass (passes/fuse_conv_pool_nchwc.go)
// makes from a ConvNCHWc whose only reader is a MaxPoolNCHWc:
//
//	nncc.ConvMaxPoolNCHWc(X, W, B?)    MaxPool(act(Conv(X, W, B))): the
//	                                   convolution as ConvNCHWc (same inputs
//	                                   and attributes, no residual), then
//	                                   the max pooling described by the
//	                                   attributes pool_kernel_shape,
//	                                   pool_strides, pool_dilations,
//	                                   pool_pads (explicit) and
//	                                   pool_ceil_mode, which mean what
//	                                   MaxPool's attributes without the
//	                                   prefix mean. Y is NCHWc [N,
//	                                   ceil(M/b), PH, PW, b].
//
// The kernel pools each band of convolution rows while it is in cache
// instead of writing the whole convolution output and reading it again.

// nchwcPoolPrefix prefixes the pooling attributes of ConvMaxPoolNCHWc.
const nchwcPoolPrefix = "pool_"

// nchwcPoolAttrNames are MaxPool's attributes a ConvMaxPoolNCHWc carries
// with the prefix pool_.
var nchwcPoolAttrNames = []string{"kernel_shape", "strides", "dilations", "pads", "ceil_mode"}

func init() {
	attrs := append(append([]AttrSpec{}, nchwcWindowAttrs...), fusedActAttrs...)
	attrs = append(attrs,
		AttrSpec{Name: "pool_kernel_shape", Kind: AttrInts, Required: true},
		AttrSpec{Name: "pool_strides", Kind: AttrInts},
		AttrSpec{Name: "pool_dilations", Kind: AttrInts},
		AttrSpec{Name: "pool_pads", Kind: AttrInts},
		AttrSpec{Name: "pool_ceil_mode", Kind: AttrInt},
		ExactSumsAttr) // no Winograd here: the convolution's sums are exact anyway
	RegisterOp(&OpSchema{Domain: FusedDomain, Name: "ConvMaxPoolNCHWc", MinOpset: 1, MinInputs: 2, MaxInputs: 3, MinOutputs: 1, MaxOutputs: 1,
		Attrs: attrs, Infer: inferConvMaxPoolNCHWc})
}

// NCHWcPoolAttrs returns the pooling attributes of a ConvMaxPoolNCHWc
// under MaxPool's names (pool_strides → strides, …).
func NCHWcPoolAttrs(a Attrs) Attrs {
	p := Attrs{}
	for _, name := range nchwcPoolAttrNames {
		if v, ok := a[nchwcPoolPrefix+name]; ok {
			c := *v
			c.Name = name
			p[name] = &c
		}
	}
	return p
}

// WithNCHWcPoolAttrs adds MaxPool attributes pool (kernel_shape, strides,
// dilations, pads, ceil_mode) to a with the prefix pool_.
func WithNCHWcPoolAttrs(a, pool Attrs) {
	for _, name := range nchwcPoolAttrNames {
		if v, ok := pool[name]; ok {
			c := *v
			c.Name = nchwcPoolPrefix + name
			a[c.Name] = &c
		}
	}
}

func inferConvMaxPoolNCHWc(c *InferCtx) error {
	if err := inferConvNCHWc(c); err != nil {
		return err
	}
	if len(c.Out) == 0 || !c.Out[0].RankKnown {
		return nil
	}
	conv := c.Out[0].Shape
	pa := NCHWcPoolAttrs(c.Attrs())
	k := pa.Ints("kernel_shape", nil)
	if len(k) != 2 {
		return c.Errorf("pool_kernel_shape %v must have 2 values", k)
	}
	wa, err := ParseWindowAttrs(pa, 2, k)
	if err != nil {
		return c.Errorf("pooling: %v", err)
	}
	out := Shape{conv[0], conv[1], UnknownDim, UnknownDim, conv[4]}
	for i := range 2 {
		d := conv[2+i]
		if !d.Known() {
			continue
		}
		o, _, _, err := wa.Axis(i, d.Size)
		if err != nil {
			return c.Errorf("pooling: %v", err)
		}
		if o <= 0 {
			return c.Errorf("pooling: spatial axis %d: empty output", i)
		}
		out[2+i] = D(o)
	}
	c.SetOut(0, TensorOf(Float32, out))
	return nil
}
