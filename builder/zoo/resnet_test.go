package zoo

import (
	"context"
	"math"
	"testing"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/runtime"
)

// TestResNetRuns builds a small-image ResNet-18 and checks that the
// optimised and the reference paths agree and the logits are finite and
// not degenerate (the random weights must keep activations in range).
func TestResNetRuns(t *testing.T) {
	cfg := ResNet18()
	cfg.ImageSize, cfg.Classes = 64, 10
	g, err := ResNet(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got := countOps(g, "Conv"); got != 20 {
		t.Fatalf("ResNet-18 has %d Conv nodes, want 20", got)
	}
	x := RandomImage(2, cfg.ImageSize, 1)
	run := func(opts runtime.Options) []float32 {
		s, err := runtime.NewSession(ir.Clone(g), opts)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		out, err := s.Run(context.Background(), map[string]*ir.Tensor{"input": x})
		if err != nil {
			t.Fatal(err)
		}
		y := out["logits"]
		if want := []int64{2, 10}; !equalShape(y.Shape, want) {
			t.Fatalf("logits shape %v, want %v", y.Shape, want)
		}
		return y.Data.([]float32)
	}
	fast := run(runtime.Options{Threads: 2})
	ref := run(runtime.Options{Reference: true})
	var spread float64
	for i := range ref {
		if math.IsNaN(float64(fast[i])) || math.IsInf(float64(fast[i]), 0) {
			t.Fatalf("logit %d is %v", i, fast[i])
		}
		if d := math.Abs(float64(fast[i] - ref[i])); d > 1e-3+1e-3*math.Abs(float64(ref[i])) {
			t.Errorf("logit %d: optimised %v, reference %v", i, fast[i], ref[i])
		}
		spread = max(spread, math.Abs(float64(ref[i]-ref[0])))
	}
	if spread < 1e-3 {
		t.Errorf("logits are all alike (spread %g): the random weights collapse the activations", spread)
	}
}

func countOps(g *ir.Graph, op string) int {
	n := 0
	for _, nd := range g.Nodes {
		if nd.Op == op {
			n++
		}
	}
	return n
}

func equalShape(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
