package zoo

import (
	"fmt"
	"math/rand/v2"

	"github.com/nncc/nncc/builder"
	"github.com/nncc/nncc/ir"
)

// ResNetConfig describes a ResNet with basic (two 3×3 convolutions)
// residual blocks, as in He et al. 2015 and torchvision's resnet18/34.
type ResNetConfig struct {
	Name string
	// Blocks is the number of basic blocks in each of the four stages
	// (64, 128, 256, 512 channels): {2, 2, 2, 2} is ResNet-18.
	Blocks [4]int
	// ImageSize is the input height and width (224 for ImageNet). Any
	// size ≥ 32 gives valid shapes.
	ImageSize int64
	// Classes is the width of the final Gemm (1000 for ImageNet).
	Classes int
	// Opset is the ONNX opset of the graph (17 when zero).
	Opset int64
	// Seed seeds the random weights.
	Seed uint64
}

// ResNet18 is ResNet-18 on 224×224 RGB images with 1000 classes.
func ResNet18() ResNetConfig {
	return ResNetConfig{Name: "resnet18", Blocks: [4]int{2, 2, 2, 2}, ImageSize: 224, Classes: 1000, Opset: 17, Seed: 18}
}

// ResNet builds the network described by cfg: input "input" float32
// [batch, 3, S, S], output "logits" [batch, Classes]. Convolution weights
// are He-normal, BatchNormalization statistics random but well scaled
// (so activations neither vanish nor explode through the 18+ layers).
func ResNet(cfg ResNetConfig) (*ir.Graph, error) {
	if cfg.ImageSize < 32 || cfg.Classes <= 0 {
		return nil, fmt.Errorf("zoo: ResNet needs ImageSize ≥ 32 and Classes > 0, got %d and %d", cfg.ImageSize, cfg.Classes)
	}
	opset := cfg.Opset
	if opset == 0 {
		opset = 17
	}
	b := builder.New(cfg.Name, opset, builder.Seed(cfg.Seed))
	r := &resnet{b: b}
	x := b.Input("input", ir.Float32, "batch", 3, cfg.ImageSize, cfg.ImageSize)
	x = r.convBN("conv1", x, 3, 64, 7, 2, 3, true)
	x = b.MaxPool(x, builder.AttrKernelShape(3, 3), builder.AttrStrides(2, 2), builder.AttrPads(1, 1, 1, 1))[0]
	in := int64(64)
	for stage, n := range cfg.Blocks {
		out := int64(64) << stage
		for i := range n {
			stride := int64(1)
			if i == 0 && stage > 0 {
				stride = 2
			}
			x = r.basicBlock(fmt.Sprintf("layer%d.%d", stage+1, i), x, in, out, stride)
			in = out
		}
	}
	x = b.GlobalAveragePool(x)
	x = b.Flatten(x, builder.AttrAxis(1))
	end := b.Scope("fc")
	w := b.Weight("weight", []int64{int64(cfg.Classes), in}, builder.GlorotUniform, builder.Fans{In: int(in), Out: cfg.Classes})
	bias := b.Weight("bias", []int64{int64(cfg.Classes)}, builder.Uniform(-0.05, 0.05), builder.Fans{})
	x = b.Gemm(x, w, bias, builder.AttrTransB(1))
	end()
	return b.Build(b.Output("logits", x))
}

// resnet carries the builder through the layer helpers.
type resnet struct{ b *builder.Builder }

// basicBlock is relu(bn(conv3×3(relu(bn(conv3×3(x))))) + shortcut(x)),
// the shortcut a strided 1×1 conv + bn when the shape changes.
func (r *resnet) basicBlock(name string, x *builder.Value, in, out, stride int64) *builder.Value {
	end := r.b.Scope(name)
	defer end()
	y := r.convBN("conv1", x, in, out, 3, stride, 1, true)
	y = r.convBN("conv2", y, out, out, 3, 1, 1, false)
	short := x
	if stride != 1 || in != out {
		short = r.convBN("downsample", x, in, out, 1, stride, 0, false)
	}
	return r.b.Relu(r.b.Add(y, short))
}

// convBN is Conv (no bias) + BatchNormalization (+ Relu).
func (r *resnet) convBN(name string, x *builder.Value, in, out, k, stride, pad int64, relu bool) *builder.Value {
	b := r.b
	end := b.Scope(name)
	defer end()
	fans := builder.Fans{In: int(in * k * k), Out: int(out * k * k)}
	w := b.Weight("weight", []int64{out, in, k, k}, builder.HeNormal, fans)
	y := b.Conv(x, w, builder.AttrKernelShape(k, k), builder.AttrStrides(stride, stride), builder.AttrPads(pad, pad, pad, pad))
	ch := []int64{out}
	gamma := b.Weight("bn_gamma", ch, builder.Uniform(0.5, 1.0), builder.Fans{})
	beta := b.Weight("bn_beta", ch, builder.Uniform(-0.1, 0.1), builder.Fans{})
	mean := b.Weight("bn_mean", ch, builder.Uniform(-0.1, 0.1), builder.Fans{})
	variance := b.Weight("bn_var", ch, builder.Uniform(0.5, 1.5), builder.Fans{})
	y = b.BatchNormalization(y, gamma, beta, mean, variance, builder.AttrEpsilon(1e-5))[0]
	if relu {
		y = b.Relu(y)
	}
	return y
}

// RandomImage returns a seeded [batch, 3, size, size] input in [-1, 1).
func RandomImage(batch, size int64, seed uint64) *ir.Tensor {
	t := ir.NewTensor(ir.Float32, []int64{batch, 3, size, size})
	r := rand.New(rand.NewPCG(seed, 0x5EED))
	d := t.Data.([]float32)
	for i := range d {
		d[i] = float32(r.Float64()*2 - 1)
	}
	return t
}
