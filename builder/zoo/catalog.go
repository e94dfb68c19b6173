package zoo

import (
	"fmt"
	"math/rand/v2"

	"github.com/nncc/nncc/ir"
)

// Model is one entry of the generality catalogue: a name (family and
// opset), its builder, and the batch size its test inputs use.
type Model struct {
	Name  string
	Build func() (*ir.Graph, error)
	// Batch replaces every symbolic dimension of the inputs.
	Batch int64
	// Flat names outputs that are legitimately one value throughout (a
	// Dropout mask in inference), exempt from the tests' check that
	// outputs vary.
	Flat []string
	// Large marks the models that take seconds under the tests' many
	// configurations; -short skips them.
	Large bool
}

// opsetModel makes catalogue entries for one family at several opsets.
func opsetModel(family string, build func(int64) (*ir.Graph, error), batch int64, opsets ...int64) []Model {
	var ms []Model
	for _, o := range opsets {
		ms = append(ms, Model{Name: fmt.Sprintf("%s_op%d", family, o), Build: func() (*ir.Graph, error) { return build(o) }, Batch: batch})
	}
	return ms
}

// Catalog lists the generality models: families and idioms the seed
// models do not cover (depthwise and grouped convolutions, transposed
// convolutions, GRU and bidirectional LSTM, pre-/post-LN causal
// Transformer blocks, upsampling, average pooling variants, odd shapes),
// each at the opsets where its ops' forms differ. Each runs in well
// under a second.
func Catalog() []Model {
	var ms []Model
	ms = append(ms, opsetModel("mobilenet", MobileNet, 3, 9, 11, 13, 17)...)
	ms = append(ms, opsetModel("dcgan_generator", DCGANGenerator, 3, 7, 17)...)
	ms = append(ms, opsetModel("dcgan_discriminator", DCGANDiscriminator, 3, 7, 17)...)
	ms = append(ms, opsetModel("gru", GRUSequence, 3, 7, 14)...)
	ms = append(ms, opsetModel("bilstm", BiLSTM, 3, 7, 14)...)
	for _, o := range []int64{11, 13, 17} {
		for _, pre := range []bool{true, false} {
			cfg := TransformerBlockConfig{PreLN: pre, TanhGELU: !pre, WhereMask: pre == (o != 13), Opset: o}
			name := "transformer_post_ln"
			if pre {
				name = "transformer_pre_ln"
			}
			ms = append(ms, Model{Name: fmt.Sprintf("%s_op%d", name, o), Build: func() (*ir.Graph, error) { return TransformerBlock(cfg) }, Batch: 3})
		}
	}
	for _, c := range []TransformerBlockConfig{
		{PreLN: true, Tokens: 1, Heads: 2, HeadDim: 12},
		{PreLN: true, Tokens: 33, Heads: 2, HeadDim: 12, PaddingMask: true, WhereMask: true},
		{PreLN: false, Tokens: 70, Heads: 4, HeadDim: 5, PaddingMask: true, TanhGELU: true},
	} {
		c.Opset = 17
		name := fmt.Sprintf("transformer_t%d_h%d_d%d", c.Tokens, c.Heads, c.HeadDim)
		ms = append(ms, Model{Name: name, Build: func() (*ir.Graph, error) { return TransformerBlock(c) }, Batch: 2})
	}
	// Wider and larger variants, past the kernels' thresholds for
	// splitting work over threads and for their large-block paths.
	ms = append(ms,
		Model{Name: "mobilenet_s96_w3", Large: true, Build: func() (*ir.Graph, error) { return MobileNetSized(17, 96, 3) }, Batch: 2},
		Model{Name: "unet_s64_w4", Large: true, Build: func() (*ir.Graph, error) { return UNetSized(13, 64, 4) }, Batch: 1},
		Model{Name: "vgg_s48_w4", Large: true, Build: func() (*ir.Graph, error) { return VGGSized(11, 48, 4) }, Batch: 2},
		Model{Name: "transformer_t128_h4_d16", Large: true, Build: func() (*ir.Graph, error) {
			return TransformerBlock(TransformerBlockConfig{PreLN: true, Tokens: 128, Heads: 4, HeadDim: 16, Opset: 17})
		}, Batch: 2},
	)
	ms = append(ms, opsetModel("unet", UNet, 2, 7, 9, 10, 11, 13, 17)...)
	ms = append(ms, opsetModel("vgg", VGG, 3, 7, 11, 17)...)
	ms = append(ms, opsetModel("oddconv", OddConv, 3, 7, 17)...)
	ms = append(ms, opsetModel("softmax_axes", SoftmaxAxes, 2, 11, 13)...)
	ms = append(ms, opsetModel("blocked_region", BlockedRegion, 3, 9, 11, 13, 17)...)
	ms = append(ms, opsetModel("shared_weights", SharedWeights, 2, 9, 13)...)
	ms = append(ms, opsetModel("broadcasts", Broadcasts, 1, 11, 13)...)
	ms = append(ms, opsetModel("convnd", ConvND, 2, 11, 17)...)
	ms = append(ms, opsetModel("cross_attention", CrossAttention, 2, 11, 17)...)
	ms = append(ms, opsetModel("pool_edges", PoolEdges, 2, 12, 19)...)
	ms = append(ms, opsetModel("tfstyle", TFStyle, 2, 9, 13, 18)...)
	ms = append(ms, opsetModel("dynamic", DynamicShapes, 3, 13, 17)...)
	ms = append(ms, opsetModel("resize", ResizeModes, 2, 11, 13, 18)...)
	ms = append(ms, opsetModel("recurrent_variants", RecurrentVariants, 3, 7, 14)...)
	for _, m := range opsetModel("plumbing", Plumbing, 2, 13, 17) {
		m.Flat = []string{"mask"}
		ms = append(ms, m)
	}
	ms = append(ms, opsetModel("elementwise", Elementwise, 2, 11, 17)...)
	return ms
}

// RandomInputs returns seeded standard-normal float32 values for every
// input of g, with batch for each symbolic dimension; an input called
// "keep" (a mask) gets 0 or 1 instead, 1 with probability 0.7.
func RandomInputs(g *ir.Graph, batch int64, seed uint64) (map[string]*ir.Tensor, error) {
	r := rand.New(rand.NewPCG(seed, 0xC0FFEE))
	ins := map[string]*ir.Tensor{}
	for _, in := range g.Inputs {
		if in.Type.DType != ir.Float32 {
			return nil, fmt.Errorf("zoo: input %q is %v, only float32 inputs are generated", in.Name, in.Type.DType)
		}
		shape := make([]int64, len(in.Type.Shape))
		for i, d := range in.Type.Shape {
			shape[i] = d.Size
			if !d.Known() {
				shape[i] = batch
			}
		}
		t := ir.NewTensor(ir.Float32, shape)
		d := t.Data.([]float32)
		for i := range d {
			d[i] = float32(r.NormFloat64())
			if in.Name == "keep" {
				d[i] = 0
				if r.Float64() < 0.7 {
					d[i] = 1
				}
			}
		}
		ins[in.Name] = t
	}
	return ins, nil
}
