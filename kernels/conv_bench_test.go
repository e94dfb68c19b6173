package kernels

import (
	"fmt"
	"math/rand"
	"os"
	"testing"
	"time"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/isa"
	"github.com/nncc/nncc/kernels/kbench"
	"github.com/nncc/nncc/kernels/vecmath"
)

// BenchmarkIm2col times the patch-matrix lowering on the shapes of the
// small CNNs (channels × plane, 3×3 kernels).
func BenchmarkIm2col(b *testing.B) {
	for _, tc := range []struct {
		name   string
		xs, ws []int64
		pads   []int64
	}{
		{"32x13x13", []int64{1, 32, 13, 13}, []int64{64, 32, 3, 3}, []int64{0, 0, 0, 0}},
		{"64x5x5p1", []int64{1, 64, 5, 5}, []int64{128, 64, 3, 3}, []int64{1, 1, 1, 1}},
	} {
		spec, _ := newConvSpec(&Build{Node: &ir.Node{Attrs: withNames(nntAttrs("pads", tc.pads))}})
		g, err := spec.resolve(&Ctx{}, tc.xs, tc.ws, false)
		if err != nil {
			b.Fatal(err)
		}
		x := nntRand(rand.New(rand.NewSource(1)), tc.xs...).F32()
		col := make([]float32, g.c*g.kSize*g.outSize)
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				im2col(g, x, g.c, col)
			}
		})
		w := vecmath.Window2D{H: int(g.in[0]), W: int(g.in[1]), KH: 3, KW: 3, SH: 1, SW: 1, DH: 1, DW: 1,
			PadT: int(g.pb[0]), PadL: int(g.pb[1]), PadB: int(g.pe[0]), PadR: int(g.pe[1]), OH: int(g.out[0]), OW: int(g.out[1])}
		b.Run(tc.name+"/vecmath", func(b *testing.B) {
			for b.Loop() {
				vecmath.Im2col(col, x, g.c, &w)
			}
		})
	}
}

// convSeedLayers are the convolutions of the seed CNNs (batch 1, 3×3,
// bias and ReLU fused) and a few ResNet-style layers.
var convSeedLayers = []struct {
	name   string
	xs, ws []int64
	pads   []int64
	stride int64
}{
	{"mnist1", []int64{1, 1, 28, 28}, []int64{32, 1, 3, 3}, []int64{0, 0, 0, 0}, 1},
	{"mnist2", []int64{1, 32, 13, 13}, []int64{64, 32, 3, 3}, []int64{0, 0, 0, 0}, 1},
	{"mnist3", []int64{1, 64, 5, 5}, []int64{128, 64, 3, 3}, []int64{1, 1, 1, 1}, 1},
	{"cifar1", []int64{1, 3, 32, 32}, []int64{32, 3, 3, 3}, []int64{0, 0, 0, 0}, 1},
	{"cifar2", []int64{1, 32, 15, 15}, []int64{64, 32, 3, 3}, []int64{0, 0, 0, 0}, 1},
	{"cifar3", []int64{1, 64, 6, 6}, []int64{128, 64, 3, 3}, []int64{1, 1, 1, 1}, 1},
	{"resnet56x64", []int64{1, 64, 56, 56}, []int64{64, 64, 3, 3}, []int64{1, 1, 1, 1}, 1},
	{"resnet28x128s2", []int64{1, 64, 56, 56}, []int64{128, 64, 3, 3}, []int64{1, 1, 1, 1}, 2},
	{"resnet14x256", []int64{1, 256, 14, 14}, []int64{256, 256, 3, 3}, []int64{1, 1, 1, 1}, 1},
	{"resnet7x512", []int64{1, 512, 7, 7}, []int64{512, 512, 3, 3}, []int64{1, 1, 1, 1}, 1},
	{"resnet1x1", []int64{1, 256, 14, 14}, []int64{1024, 256, 1, 1}, []int64{0, 0, 0, 0}, 1},
}

// convSeedRunner builds FusedConv (bias, ReLU, constant W) for layer tc
// with algorithm algo forced (-1: convChoose) and returns one Run and its
// FLOP count (2 per multiply-add).
func convSeedRunner(tb testing.TB, li int, algo convAlgo, pool Pool) (func(), float64) {
	tc := convSeedLayers[li]
	rng := rand.New(rand.NewSource(7))
	x, w, bias := nntRand(rng, tc.xs...), nntRand(rng, tc.ws...), nntRand(rng, tc.ws[0])
	attrs := withNames(nntAttrs("pads", tc.pads, "strides", []int64{tc.stride, tc.stride}, "activation", "Relu"))
	n := &ir.Node{Name: "c", Domain: ir.FusedDomain, Op: "FusedConv", Opset: 1, Attrs: attrs,
		Inputs:  []*ir.Value{{Name: "x", Type: ir.TypeOfTensor(x)}, {Name: "w", Type: ir.TypeOfTensor(w), Const: w}, {Name: "b", Type: ir.TypeOfTensor(bias), Const: bias}},
		Outputs: []*ir.Value{{Name: "y"}}}
	types := []*ir.Type{&n.Inputs[0].Type, &n.Inputs[1].Type, &n.Inputs[2].Type}
	oh := (tc.xs[2]+tc.pads[0]+tc.pads[2]-tc.ws[2])/tc.stride + 1
	ow := (tc.xs[3]+tc.pads[1]+tc.pads[3]-tc.ws[3])/tc.stride + 1
	flops := 2 * float64(tc.ws[0]*tc.ws[1]*tc.ws[2]*tc.ws[3]*oh*ow*tc.xs[0])
	defer func(f convAlgo) { convForce = f }(convForce)
	convForce = algo
	f, err := BuildNode(&Build{Node: n, InTypes: types, Level: isa.Current()})
	if err != nil {
		tb.Fatal(err)
	}
	c := &Ctx{Outs: make([]*ir.Tensor, 1), Pool: pool, Node: n,
		Planned: []*ir.Tensor{ir.NewTensor(ir.Float32, []int64{tc.xs[0], tc.ws[0], oh, ow})}}
	in := []*ir.Tensor{x, w, bias}
	return func() {
		convForce = algo
		if err := f(c, in); err != nil {
			tb.Fatal(err)
		}
		convForce = -1
	}, flops
}

var convAlgoNames = map[convAlgo]string{-1: "auto", convIm2col: "W·B", convPacked: "Bᵀ·Wᵀ", convWinograd: "wino"}

// BenchmarkConvSeeds times FusedConv on the seed layers with the
// algorithm convChoose picks ("auto") and each other one.
func BenchmarkConvSeeds(b *testing.B) {
	for li, tc := range convSeedLayers {
		for _, algo := range []convAlgo{-1, convIm2col, convPacked} {
			b.Run(tc.name+"/"+convAlgoNames[algo], func(b *testing.B) {
				f, flops := convSeedRunner(b, li, algo, Serial{})
				for b.Loop() {
					f()
				}
				b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
			})
		}
	}
}

// TestConvSeedTable prints the thread-CPU time of every seed layer per
// algorithm (robust to a loaded machine, unlike wall time); run with
// NNCC_CONV_TABLE=1 go test ./kernels -run ConvSeedTable -v.
func TestConvSeedTable(t *testing.T) {
	if os.Getenv("NNCC_CONV_TABLE") == "" {
		t.Skip("set NNCC_CONV_TABLE=1 to print the table")
	}
	for li, tc := range convSeedLayers {
		line := fmt.Sprintf("%-16s", tc.name)
		for _, algo := range []convAlgo{-1, convIm2col, convPacked, convWinograd} {
			f, flops := convSeedRunner(t, li, algo, Serial{})
			s := kbench.Measure(f, 1, 20*time.Millisecond, 7)
			line += fmt.Sprintf("  %s %8.1f µs %6.1f GFLOPS", convAlgoNames[algo], s*1e6, flops/s/1e9)
		}
		t.Log(line)
	}
}
