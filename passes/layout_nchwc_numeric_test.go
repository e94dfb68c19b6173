package passes_test

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/nncc/nncc/frontend/onnx"
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/passes"
	"github.com/nncc/nncc/runtime"
)

// Numerical tests of layout-nchwc: the golden graphs and the CNN seed
// models run with the pass disabled and enabled and must agree.

func TestLayoutNCHWcGoldenGraphsNumerically(t *testing.T) {
	cases := passes.LayoutNCHWcGraphs()
	names := make([]string, 0, len(cases))
	for n := range cases {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if n == "layout_nchwc_narrow" {
			continue // the pass leaves it unchanged by design
		}
		t.Run(n, func(t *testing.T) { compareFused(t, n, "layout-nchwc", cases[n]) })
	}
}

func TestLayoutNCHWcSeedModels(t *testing.T) {
	for _, m := range []string{"seed_cnn_mnist", "seed_cnn_cifar"} {
		path := filepath.Join("..", "..", "shared", "models", m, "model.onnx")
		if _, err := os.Stat(path); err != nil {
			t.Skipf("%s not found: %v", path, err)
		}
		t.Run(m, func(t *testing.T) {
			ctx := context.Background()
			load := func() *ir.Graph {
				g, err := onnx.Load(path)
				if err != nil {
					t.Fatal(err)
				}
				return g
			}
			ref, err := runtime.NewSession(load(), runtime.Options{Threads: 1, DisablePasses: []string{"layout-nchwc"}})
			if err != nil {
				t.Fatal(err)
			}
			defer ref.Close()
			opt, err := runtime.NewSession(load(), runtime.Options{Threads: 2, VerifyPasses: true})
			if err != nil {
				t.Fatal(err)
			}
			defer opt.Close()
			fired := false
			for _, n := range opt.Graph().Nodes {
				fired = fired || n.Op == "ConvNCHWc"
			}
			if !fired {
				t.Fatalf("layout-nchwc did not fire:\n%s", ir.Format(opt.Graph()))
			}
			in := ref.Graph().Inputs[0]
			for _, batch := range []int64{1, 3} {
				shape := []int64{batch}
				for _, d := range in.Type.Shape[1:] {
					shape = append(shape, d.Size)
				}
				x := ir.NewTensor(ir.Float32, shape)
				rng := rand.New(rand.NewPCG(uint64(batch), 9))
				for i := range x.F32() {
					x.F32()[i] = float32(rng.NormFloat64())
				}
				feeds := map[string]*ir.Tensor{in.Name: x}
				want, err := ref.Run(ctx, feeds)
				if err != nil {
					t.Fatal(err)
				}
				got, err := opt.Run(ctx, feeds)
				if err != nil {
					t.Fatal(err)
				}
				for k, w := range want {
					assertClose(t, m+"/"+k, w, got[k])
				}
			}
		})
	}
}
