package ir

import (
	"fmt"
	"sort"
	"strings"
)

// Op table rows of nncc's own fused ops (domain "nncc"), which only the
// optimisation passes create. Where ONNX has an op for a fused pattern
// (LayerNormalization, Gelu, Attention) the passes lower to that op
// instead; these rows cover what ONNX cannot express: a matrix product or
// convolution with its bias, residual Add and activation applied while the
// result is written.
//
//	nncc.FusedGemm(A, B, C?, R?) = act(alpha·op(A)·op(B) + beta·C + R)
//	    A may have rank > 2 when transA is 0: its leading dims are
//	    flattened into M and kept in the output ([..., M, K] → [..., M, N]),
//	    which is exactly MatMul's result for a 2-D B. C broadcasts to the
//	    output like Gemm's C (per column for rank > 2); R has the output's
//	    shape.
//	nncc.FusedConv(X, W, B?, R?) = act(Conv(X, W, B) + R)
//	    with every Conv attribute; R has the output's shape.
//
// The activation is named by the string attribute "activation" (absent or
// "" means none) with its parameters, in the order FusedActivations lists,
// in the floats attribute "activation_params".

// FusedDomain is the domain of nncc's fused ops.
const FusedDomain = "nncc"

// FusedActivations lists the activations a fused op can apply and the
// names of their parameters, in the order "activation_params" holds them.
// The names are the ONNX ops (and their attributes) the passes fuse;
// "GeluTanh" is Gelu with approximate="tanh", and Clip's parameters are its
// min and max.
var FusedActivations = map[string][]string{
	"Relu":        nil,
	"LeakyRelu":   {"alpha"},
	"Sigmoid":     nil,
	"Tanh":        nil,
	"Clip":        {"min", "max"},
	"Gelu":        nil,
	"GeluTanh":    nil,
	"HardSigmoid": {"alpha", "beta"},
	"HardSwish":   nil,
	"Elu":         {"alpha"},
	"Softplus":    nil,
}

// CheckFusedActivation validates a fused op's activation attributes.
func CheckFusedActivation(a Attrs) error {
	name := a.String("activation", "")
	if name == "" {
		if len(a.Floats("activation_params", nil)) != 0 {
			return fmt.Errorf("activation_params given without an activation")
		}
		return nil
	}
	params, ok := FusedActivations[name]
	if !ok {
		var names []string
		for n := range FusedActivations {
			names = append(names, n)
		}
		sort.Strings(names)
		return fmt.Errorf("activation %q is not one of %s", name, strings.Join(names, ", "))
	}
	if got := len(a.Floats("activation_params", nil)); got != len(params) {
		return fmt.Errorf("activation %s takes %d parameters (%v), got %d", name, len(params), params, got)
	}
	return nil
}

// ExactSumsAttr marks a convolution whose operands are integers (the
// float form of ConvInteger, passes' integer-float): exact_sums=1 forbids
// the algorithms that round intermediate sums (Winograd), so every output
// is the exact sum while it stays below 2^24.
var ExactSumsAttr = AttrSpec{Name: "exact_sums", Kind: AttrInt}

var fusedActAttrs = []AttrSpec{
	{Name: "activation", Kind: AttrString},
	{Name: "activation_params", Kind: AttrFloats},
}

func init() {
	RegisterOp(
		&OpSchema{Domain: FusedDomain, Name: "FusedGemm", MinOpset: 1, MinInputs: 2, MaxInputs: 4, MinOutputs: 1, MaxOutputs: 1,
			Attrs: append([]AttrSpec{
				{Name: "alpha", Kind: AttrFloat},
				{Name: "beta", Kind: AttrFloat},
				{Name: "transA", Kind: AttrInt},
				{Name: "transB", Kind: AttrInt},
			}, fusedActAttrs...),
			Infer: inferFusedGemm},
		&OpSchema{Domain: FusedDomain, Name: "FusedConv", MinOpset: 1, MinInputs: 2, MaxInputs: 4, MinOutputs: 1, MaxOutputs: 1,
			Attrs: append(append(append([]AttrSpec{}, nnConvAttrs...), fusedActAttrs...), ExactSumsAttr),
			Infer: inferFusedConv},
	)
}

// FusedGemmShape is the output shape of FusedGemm for A and B.
func FusedGemmShape(a, b Shape, transA, transB bool) (Shape, error) {
	if len(b) != 2 {
		return nil, fmt.Errorf("B must be 2-D, got %v", b)
	}
	if len(a) < 2 || (transA && len(a) != 2) {
		return nil, fmt.Errorf("A must be 2-D (or rank > 2 without transA), got %v", a)
	}
	k, n := b[0], b[1]
	if transB {
		k, n = n, k
	}
	ka := a[len(a)-1]
	out := append(Shape{}, a[:len(a)-1]...)
	if transA {
		ka, out = a[0], Shape{a[1]}
	}
	if ka.Known() && k.Known() && ka.Size != k.Size {
		return nil, fmt.Errorf("inner dimensions differ: A %v (transA=%v), B %v (transB=%v)", a, transA, b, transB)
	}
	return append(out, n), nil
}

func inferFusedGemm(c *InferCtx) error {
	if err := CheckFusedActivation(c.Attrs()); err != nil {
		return c.Errorf("%v", err)
	}
	if err := c.RequireDType(0, Float32); err != nil {
		return err
	}
	if err := c.RequireSameDType(0, 1, 2, 3); err != nil {
		return err
	}
	a, b := c.In[0], c.In[1]
	if !a.RankKnown || !b.RankKnown {
		c.SetOut(0, UnrankedOf(a.DType))
		return nil
	}
	s, err := FusedGemmShape(a.Shape, b.Shape, c.Attrs().Int("transA", 0) != 0, c.Attrs().Int("transB", 0) != 0)
	if err != nil {
		return c.Errorf("%v", err)
	}
	c.SetOut(0, TensorOf(a.DType, s))
	return nil
}

func inferFusedConv(c *InferCtx) error {
	if err := CheckFusedActivation(c.Attrs()); err != nil {
		return c.Errorf("%v", err)
	}
	if err := c.RequireDType(0, Float32); err != nil {
		return err
	}
	if err := c.RequireSameDType(0, 1, 2, 3); err != nil {
		return err
	}
	return nnInferConvLike(0, 1, Undefined)(c)
}
