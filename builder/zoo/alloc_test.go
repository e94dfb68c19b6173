package zoo

import (
	"context"
	"testing"

	"github.com/nncc/nncc/internal/allocstest"
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/runtime"
)

// TestCatalogSteadyStateAllocs checks that, once a session has compiled
// its plan and sized its buffers, a Run of every catalogue model (at 1 and
// 2 threads, the machine's ISA level) allocates nothing: every kernel's
// per-shape work is remembered and its parallel jobs recycled. The shared
// models are checked the same way in runtime's TestSteadyStateAllocs; the
// catalogue covers the ops they do not use.
//
// allocKnown lists the models that still allocate, each with what does;
// a listed model that no longer allocates fails the test, so the list
// only shrinks.
func TestCatalogSteadyStateAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	for _, m := range Catalog() {
		t.Run(m.Name, func(t *testing.T) {
			if m.Large && testing.Short() {
				t.Skip("large model (-short)")
			}
			g, err := m.Build()
			if err != nil {
				t.Fatal(err)
			}
			insByName, err := RandomInputs(g, m.Batch, 7)
			if err != nil {
				t.Fatal(err)
			}
			var allocs [2]float64
			for i, threads := range []int{1, 2} {
				s, err := runtime.NewSession(ir.Clone(g), runtime.Options{Threads: threads})
				if err != nil {
					t.Fatal(err)
				}
				ins := make([]*ir.Tensor, len(s.Inputs()))
				for i, in := range s.Inputs() {
					ins[i] = insByName[in.Name]
				}
				ctx := context.Background()
				first, err := s.Run(ctx, insByName)
				if err != nil {
					s.Close()
					t.Fatal(err)
				}
				outs := make([]*ir.Tensor, len(s.Outputs()))
				for i, o := range s.Outputs() {
					outs[i] = ir.NewTensor(first[o.Name].DType, first[o.Name].Shape)
				}
				for range 2 { // size the scratch buffers, warm the memos
					if err := s.RunInto(ctx, ins, outs); err != nil {
						s.Close()
						t.Fatal(err)
					}
				}
				allocs[i] = allocstest.PerRun(10, func() {
					if err := s.RunInto(ctx, ins, outs); err != nil {
						t.Fatal(err)
					}
				})
				s.Close()
			}
			why, known := allocKnown[m.Name]
			switch {
			case allocs != [2]float64{} && !known:
				t.Errorf("allocations per Run at 1 and 2 threads: %v", allocs)
			case allocs != [2]float64{}:
				t.Logf("allocations per Run at 1 and 2 threads: %v (known: %s)", allocs, why)
			case known:
				t.Errorf("no allocations per Run any more: remove %s from allocKnown", m.Name)
			}
		})
	}
}

// allocKnown: catalogue models whose steady-state Runs still allocate,
// each with the kernels that do (find them with -memprofilerate 1 and
// pprof -sample_index=alloc_objects -focus RunInto). Empty: every
// catalogue model runs without allocating.
var allocKnown = map[string]string{}
