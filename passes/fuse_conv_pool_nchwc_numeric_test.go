package passes_test

import (
	"context"
	"testing"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/passes"
	"github.com/nncc/nncc/runtime"
)

// TestConvPoolNCHWcNumerically runs the conv-pool golden graph with the
// pass disabled and enabled (1 and 3 threads) and compares the outputs.
func TestConvPoolNCHWcNumerically(t *testing.T) {
	compareWithPassDisabled(t, "conv-pool-nchwc", passes.ConvPoolNCHWcGraph, "ConvMaxPoolNCHWc", 2)
}

// compareWithPassDisabled runs build() with pass disabled and enabled (at
// 1 and 3 threads, twice each), checks that the enabled graph has want
// nodes of op, and compares the outputs (assertNormClose).
func compareWithPassDisabled(t *testing.T, pass string, build func() *ir.Graph, op string, want int) {
	t.Helper()
	ctx := context.Background()
	ref, err := runtime.NewSession(build(), runtime.Options{Threads: 1, DisablePasses: []string{pass}})
	if err != nil {
		t.Fatal(err)
	}
	defer ref.Close()
	for _, threads := range []int{1, 3} {
		opt, err := runtime.NewSession(build(), runtime.Options{Threads: threads, VerifyPasses: true})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, nd := range opt.Graph().Nodes {
			if nd.Op == op {
				n++
			}
		}
		if n != want {
			t.Fatalf("%d %s nodes after %s, want %d:\n%s", n, op, pass, want, ir.Format(opt.Graph()))
		}
		in := randomInputs(opt.Graph(), 42)
		wantOut, err := ref.Run(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		for run := range 2 {
			got, err := opt.Run(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			for k, w := range wantOut {
				assertNormClose(t, k, w, got[k], run)
			}
		}
		opt.Close()
	}
}

// TestFlattenGemmNCHWcNumerically runs the nchwc-flatten-gemm golden graph
// with the pass disabled and enabled (1 and 3 threads) and compares the
// outputs.
func TestFlattenGemmNCHWcNumerically(t *testing.T) {
	compareWithPassDisabled(t, "nchwc-flatten-gemm", passes.FlattenGemmNCHWcGraph, "ReorderFromNCHWc", 0)
}
