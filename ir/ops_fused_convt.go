package ir

// nncc.FusedConvTranspose: a float32 ConvTranspose with its activation
// applied while the output planes are written (the "fuse-epilogue" pass
// creates it from ConvTranspose → Relu/Tanh/… chains, typically the
// layers of a GAN generator after their BatchNormalization is folded).
//
//	nncc.FusedConvTranspose(X, W, B?) = act(ConvTranspose(X, W, B))
//
// with every ConvTranspose attribute; the activation is named by
// "activation" and "activation_params" as for nncc.FusedConv (see
// FusedActivations). There is no residual input.

func init() {
	RegisterOp(&OpSchema{Domain: FusedDomain, Name: "FusedConvTranspose", MinOpset: 1,
		MinInputs: 2, MaxInputs: 3, MinOutputs: 1, MaxOutputs: 1,
		Attrs: append(nnWithAttrs(nnConvAttrs,
			AttrSpec{Name: "output_padding", Kind: AttrInts},
			AttrSpec{Name: "output_shape", Kind: AttrInts}), fusedActAttrs...),
		Infer: inferFusedConvTranspose})
}

func inferFusedConvTranspose(c *InferCtx) error {
	if err := CheckFusedActivation(c.Attrs()); err != nil {
		return c.Errorf("%v", err)
	}
	if err := c.RequireDType(0, Float32); err != nil {
		return err
	}
	if err := c.RequireSameDType(0, 1, 2); err != nil {
		return err
	}
	return nnInferConvTranspose(c)
}
