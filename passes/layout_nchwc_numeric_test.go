package passes_test

import (
	"context"
	"fmt"
	"math"
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
		t.Run(n, func(t *testing.T) { compareLayout(t, cases[n]) })
	}
}

// compareLayout runs build() with layout-nchwc disabled and enabled (at 1
// and 3 threads, twice each) and compares the outputs. The direct
// convolution sums in another order than im2col+GEMM, so an element that
// is the small difference of large terms differs by a few ulp of the
// terms: the tolerance is 1e-4 relative plus 1e-5 of the output's largest
// magnitude.
func compareLayout(t *testing.T, build func() *ir.Graph) {
	t.Helper()
	ctx := context.Background()
	ref, err := runtime.NewSession(build(), runtime.Options{Threads: 1, DisablePasses: []string{"layout-nchwc"}})
	if err != nil {
		t.Fatal(err)
	}
	defer ref.Close()
	for _, threads := range []int{1, 3} {
		opt, err := runtime.NewSession(build(), runtime.Options{Threads: threads, VerifyPasses: true})
		if err != nil {
			t.Fatal(err)
		}
		if ir.Format(opt.Graph()) == ir.Format(ref.Graph()) {
			t.Fatalf("layout-nchwc changed nothing")
		}
		in := randomInputs(opt.Graph(), 42)
		want, err := ref.Run(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		for run := range 2 {
			got, err := opt.Run(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			for k, w := range want {
				assertNormClose(t, k, w, got[k], run)
			}
		}
		opt.Close()
	}
}

func assertNormClose(t *testing.T, what string, want, got *ir.Tensor, run int) {
	t.Helper()
	if got == nil || fmt.Sprint(want.Shape) != fmt.Sprint(got.Shape) {
		t.Fatalf("%s: got %v, want shape %v", what, got, want.Shape)
	}
	w, g := toF64(want), toF64(got)
	var big float64
	for _, v := range w {
		big = math.Max(big, math.Abs(v))
	}
	for i := range w {
		if d := math.Abs(w[i] - g[i]); d > 1e-4*math.Abs(w[i])+1e-5*big || math.IsNaN(g[i]) != math.IsNaN(w[i]) {
			t.Fatalf("%s (run %d): element %d: got %v, want %v (largest |value| %v)", what, run, i, g[i], w[i], big)
		}
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
				fired = fired || n.Op == "ConvNCHWc" || n.Op == "ConvMaxPoolNCHWc"
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
					assertNormClose(t, m+"/"+k, w, got[k], 0)
				}
			}
		})
	}
}
