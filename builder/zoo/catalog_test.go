package zoo

import (
	"context"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/isa"
	"github.com/nncc/nncc/runtime"
)

// Tolerances of the catalogue tests: |ref - got| <= catalogAtol·scale +
// catalogRtol·|ref|, where scale is max(1, max |ref|) over the output.
// The relative part is the conformance suites' 1e-3. The absolute part
// is 1e-5 of the output's scale rather than their fixed 1e-7: these models
// sum hundreds to thousands of products per output through several
// layers, so a value near zero after cancellation carries a rounding
// error of the order of √n·ε·(size of the terms), which tracks the
// output's scale, and which differs with the summation order each path
// picks (blocked SGEMM, Winograd, fused epilogues). The reference path
// itself differs by up to 4e-6·scale between ISA levels (UNet at 64×64
// with 32 to 176 channels). A real miscomputation errs by the order of the
// values themselves.
const (
	catalogRtol = 1e-3
	catalogAtol = 1e-5
)

// runModel runs g twice with opts on ins and returns the outputs of the
// second run by name (it reuses the cached plan, frame and scratch, which
// is where stale state would show). It fails if a run changed an input.
func runModel(g *ir.Graph, opts runtime.Options, ins map[string]*ir.Tensor) (map[string]*ir.Tensor, error) {
	s, err := runtime.NewSession(ir.Clone(g), opts)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	before := map[string]*ir.Tensor{}
	for name, t := range ins {
		before[name] = t.Clone()
	}
	if _, err := s.Run(context.Background(), ins); err != nil {
		return nil, err
	}
	out, err := s.Run(context.Background(), ins)
	if err != nil {
		return nil, err
	}
	for name, t := range ins {
		for i := range t.Len() {
			if a, b := before[name].Float64At(i), t.Float64At(i); a != b && !(math.IsNaN(a) && math.IsNaN(b)) {
				return nil, fmt.Errorf("input %q element %d changed from %v to %v", name, i, a, b)
			}
		}
	}
	return out, nil
}

// compareOutputs checks got against ref with the catalogue tolerances.
func compareOutputs(ref, got map[string]*ir.Tensor) error {
	for name, r := range ref {
		g := got[name]
		if g == nil {
			return fmt.Errorf("output %q missing", name)
		}
		if !equalShape(r.Shape, g.Shape) || r.DType != g.DType {
			return fmt.Errorf("output %q: %v%v, reference %v%v", name, g.DType, g.Shape, r.DType, r.Shape)
		}
		scale := 1.0
		for i := range r.Len() {
			if v := math.Abs(r.Float64At(i)); !math.IsInf(v, 0) {
				scale = max(scale, v)
			}
		}
		bad, worst, worstAt := 0, 0.0, -1
		for i := range r.Len() {
			rv, gv := r.Float64At(i), g.Float64At(i)
			d := math.Abs(rv - gv)
			if math.IsNaN(gv) != math.IsNaN(rv) || d > catalogAtol*scale+catalogRtol*math.Abs(rv) {
				bad++
				if worstAt < 0 || d > worst || math.IsNaN(d) {
					worst, worstAt = d, i
				}
			}
		}
		if bad > 0 {
			return fmt.Errorf("output %q: %d of %d values differ, worst element %d: got %v, reference %v",
				name, bad, r.Len(), worstAt, g.Float64At(worstAt), r.Float64At(worstAt))
		}
	}
	return nil
}

// TestCatalogOptimisedMatchesReference runs every catalogue model through
// the optimised path (all passes, every ISA level the machine supports,
// 1 and 2 threads, the batch symbolic or static when loading) and compares each output with the unoptimised
// reference path at the generic level. It also checks the reference
// outputs are finite and vary, so a comparison is not between two
// degenerate results.
func TestCatalogOptimisedMatchesReference(t *testing.T) {
	for _, m := range Catalog() {
		t.Run(m.Name, func(t *testing.T) {
			if m.Large && testing.Short() {
				t.Skip("large model (-short)")
			}
			t.Parallel()
			g, err := m.Build()
			if err != nil {
				t.Fatal(err)
			}
			ins, err := RandomInputs(g, m.Batch, 42)
			if err != nil {
				t.Fatal(err)
			}
			ref, err := runModel(g, runtime.Options{Reference: true, ISA: "generic", Threads: 1}, ins)
			if err != nil {
				t.Fatalf("reference: %v", err)
			}
			for name, r := range ref {
				if slices.Contains(m.Flat, name) {
					continue
				}
				if err := nonDegenerate(r); err != nil {
					t.Fatalf("reference output %q: %v", name, err)
				}
			}
			static := staticBatch(g, m.Batch)
			for _, l := range isa.Supported() {
				for _, threads := range []int{1, 2} {
					for _, variant := range []struct {
						name string
						g    *ir.Graph
					}{{"symbolic batch", g}, {"static batch", static}} {
						got, err := runModel(variant.g, runtime.Options{ISA: l.String(), Threads: threads}, ins)
						if err == nil {
							err = compareOutputs(ref, got)
						}
						if err != nil {
							t.Errorf("%v, %d threads, %s: %v", l, threads, variant.name, err)
						}
					}
				}
			}
		})
	}
}

// nonDegenerate reports NaN values, or finite float values all alike.
// (Infinities are legitimate: some models divide by signed zeros.)
func nonDegenerate(r *ir.Tensor) error {
	lo, hi := math.Inf(1), math.Inf(-1)
	finite := 0
	for i := range r.Len() {
		v := r.Float64At(i)
		if math.IsNaN(v) {
			return fmt.Errorf("element %d is %v", i, v)
		}
		if !math.IsInf(v, 0) {
			lo, hi = min(lo, v), max(hi, v)
			finite++
		}
	}
	if r.DType.IsFloat() && finite > 1 && hi-lo < 1e-4 {
		return fmt.Errorf("all %d values within %g of each other", r.Len(), hi-lo)
	}
	return nil
}

// TestCatalogBatchSizes runs the catalogue models whose batch dimension
// is symbolic through one optimised session at several batch sizes in
// turn (1, a prime, the catalogue's, 1 again), so plans are compiled per
// shape and cached, and small batches take the matrix-vector paths; each
// run is compared with the reference at that batch size.
func TestCatalogBatchSizes(t *testing.T) {
	for _, m := range Catalog() {
		t.Run(m.Name, func(t *testing.T) {
			if m.Large {
				t.Skip("large model: TestCatalogOptimisedMatchesReference covers it")
			}
			t.Parallel()
			g, err := m.Build()
			if err != nil {
				t.Fatal(err)
			}
			symbolic := false
			for _, in := range g.Inputs {
				for _, d := range in.Type.Shape {
					symbolic = symbolic || !d.Known()
				}
			}
			if !symbolic {
				t.Skip("no symbolic dimension")
			}
			s, err := runtime.NewSession(ir.Clone(g), runtime.Options{Threads: 2})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			for i, batch := range []int64{1, 7, m.Batch, 1} {
				ins, err := RandomInputs(g, batch, uint64(100+i))
				if err != nil {
					t.Fatal(err)
				}
				ref, err := runModel(g, runtime.Options{Reference: true, ISA: "generic", Threads: 1}, ins)
				if err != nil {
					t.Fatalf("batch %d: reference: %v", batch, err)
				}
				got, err := s.Run(context.Background(), ins)
				if err == nil {
					err = compareOutputs(ref, got)
				}
				if err != nil {
					t.Errorf("batch %d: %v", batch, err)
				}
			}
		})
	}
}

// staticBatch returns a copy of g whose symbolic input dimensions are
// batch, so the optimising passes see static shapes when the model is
// loaded rather than when it first runs.
func staticBatch(g *ir.Graph, batch int64) *ir.Graph {
	g = ir.Clone(g)
	for _, in := range g.Inputs {
		shape := append(ir.Shape{}, in.Type.Shape...)
		for i, d := range shape {
			if !d.Known() {
				shape[i] = ir.D(batch)
			}
		}
		in.Type.Shape = shape
	}
	return g
}

// TestCatalogArtifacts compiles every catalogue model to a .nnc artifact
// for every supported level (the optimised graph and prepacked weights),
// loads it and compares a run at the catalogue batch size with the
// reference path on the original model.
func TestCatalogArtifacts(t *testing.T) {
	for _, m := range Catalog() {
		t.Run(m.Name, func(t *testing.T) {
			if m.Large {
				t.Skip("large model: TestCatalogOptimisedMatchesReference covers it")
			}
			t.Parallel()
			g, err := m.Build()
			if err != nil {
				t.Fatal(err)
			}
			ins, err := RandomInputs(g, m.Batch, 7)
			if err != nil {
				t.Fatal(err)
			}
			ref, err := runModel(g, runtime.Options{Reference: true, ISA: "generic", Threads: 1}, ins)
			if err != nil {
				t.Fatalf("reference: %v", err)
			}
			for _, l := range isa.Supported() {
				data, err := runtime.Compile(ir.Clone(g), runtime.Options{Threads: 2}, l.String())
				if err != nil {
					t.Errorf("%v: compile: %v", l, err)
					continue
				}
				s, err := runtime.LoadArtifact(data, runtime.Options{Threads: 2})
				if err != nil {
					t.Errorf("%v: load: %v", l, err)
					continue
				}
				got, err := s.Run(context.Background(), ins)
				s.Close()
				if err == nil {
					err = compareOutputs(ref, got)
				}
				if err != nil {
					t.Errorf("%v: %v", l, err)
				}
			}
		})
	}
}
