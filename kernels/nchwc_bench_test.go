package kernels

import (
	"math/rand"
	"runtime"
	"testing"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/isa"
)

// BenchmarkConvNCHWc times ConvNCHWc (bias + ReLU fused) on the layers of
// the CNN seed models and the ResNet-18 layers the direct kernel runs,
// one thread, by the direct kernel (Winograd off); GFLOPS counts 2 FLOPs
// per multiply-add of the true channels.
func BenchmarkConvNCHWc(b *testing.B) {
	defer func(f int) { nchwcWinoForce = f }(nchwcWinoForce)
	nchwcWinoForce = -1
	for _, s := range []struct {
		name                      string
		c, h, w, m, k, pad, plain int
		stride                    int // 0: 1
	}{
		{"mnist1_1x28x28_32", 1, 28, 28, 32, 3, 0, 1, 0},
		{"mnist2_32x13x13_64", 32, 13, 13, 64, 3, 0, 0, 0},
		{"mnist3_64x5x5_128", 64, 5, 5, 128, 3, 1, 0, 0},
		{"cifar1_3x32x32_32", 3, 32, 32, 32, 3, 0, 1, 0},
		{"cifar2_32x15x15_64", 32, 15, 15, 64, 3, 0, 0, 0},
		{"cifar3_64x6x6_128", 64, 6, 6, 128, 3, 1, 0, 0},
		{"resnet_64x56x56_64", 64, 56, 56, 64, 3, 1, 0, 0},
		{"r18stem_3x224x224_64s2", 3, 224, 224, 64, 7, 3, 1, 2},
		{"r18_64x56x56_128s2", 64, 56, 56, 128, 3, 1, 0, 2},
		{"r18_64x56x56_128s2k1", 64, 56, 56, 128, 1, 0, 0, 2},
		{"r18_128x28x28_256s2", 128, 28, 28, 256, 3, 1, 0, 2},
		{"r18_128x28x28_256s2k1", 128, 28, 28, 256, 1, 0, 0, 2},
		{"r18_256x14x14_512s2", 256, 14, 14, 512, 3, 1, 0, 2},
		{"r18_256x14x14_512s2k1", 256, 14, 14, 512, 1, 0, 0, 2},
		{"r18_512x7x7_512", 512, 7, 7, 512, 3, 1, 0, 0},
		{"vgg_40x48x48_40", 40, 48, 48, 40, 3, 1, 0, 0}, // channel counts not multiples of 16
		{"vgg_40x24x24_80", 40, 24, 24, 80, 3, 1, 0, 0},
		{"mb_24x56x56_72k1", 24, 56, 56, 72, 1, 0, 0, 0},
		{"mb_120x14x14_40k1", 120, 14, 14, 40, 1, 0, 0, 0},
	} {
		st := max(s.stride, 1)
		b.Run(s.name, func(b *testing.B) {
			rng := rand.New(rand.NewSource(1))
			x := nntRand(rng, 1, int64(s.c), int64(s.h), int64(s.w))
			if s.plain == 0 {
				x = toNCHWc(x)
			}
			w := nntRand(rng, int64(s.m), int64(s.c), int64(s.k), int64(s.k))
			bias := nntRand(rng, int64(s.m))
			p := int64(s.pad)
			attrs := nntAttrs("block", 16, "kernel_shape", []int64{int64(s.k), int64(s.k)}, "pads", []int64{p, p, p, p}, "strides", []int64{int64(st), int64(st)}, "activation", "Relu")
			for k, a := range attrs {
				a.Name = k
			}
			n := &ir.Node{Name: "n", Op: "ConvNCHWc", Domain: ir.FusedDomain, Opset: 1, Attrs: attrs, Outputs: []*ir.Value{{Name: "y"}}}
			xv := &ir.Value{Name: "x", Type: ir.TypeOfTensor(x)}
			wv := &ir.Value{Name: "w", Type: ir.TypeOfTensor(w), Const: w}
			bv := &ir.Value{Name: "b", Type: ir.TypeOfTensor(bias), Const: bias}
			n.Inputs = []*ir.Value{xv, wv, bv}
			f, err := BuildNode(&Build{Node: n, InTypes: []*ir.Type{&xv.Type, &wv.Type, &bv.Type}, Level: isa.Current()})
			if err != nil {
				b.Fatal(err)
			}
			c := &Ctx{Outs: make([]*ir.Tensor, 1), Pool: Serial{}, Node: n}
			in := []*ir.Tensor{x, w, bias}
			if err := f(c, in); err != nil {
				b.Fatal(err)
			}
			oh := (s.h+2*s.pad-s.k)/st + 1
			ow := (s.w+2*s.pad-s.k)/st + 1
			flops := 2 * float64(s.m*oh*ow*s.c*s.k*s.k)
			c.Planned = []*ir.Tensor{c.Outs[0]}
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			b.ResetTimer()
			cpu0 := nchwcThreadCPU()
			for range b.N {
				if err := f(c, in); err != nil {
					b.Fatal(err)
				}
			}
			cpu := nchwcThreadCPU() - cpu0
			b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
			if cpu > 0 {
				b.ReportMetric(flops*float64(b.N)/float64(cpu), "cpuGFLOPS")
			}
		})
	}
}
