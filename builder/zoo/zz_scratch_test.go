package zoo

import (
	"testing"

	"github.com/nncc/nncc/runtime"
)

func TestScratchThreads(t *testing.T) {
	for _, m := range Catalog() {
		g, _ := m.Build()
		ins, _ := RandomInputs(g, m.Batch, 3)
		ref, err := runModel(g, runtime.Options{Reference: true, ISA: "generic", Threads: 1}, ins)
		if err != nil {
			t.Fatal(err)
		}
		for _, th := range []int{3, 4, 7} {
			for _, gg := range []bool{false, true} {
				gr := g
				if gg {
					gr = staticBatch(g, m.Batch)
				}
				got, err := runModel(gr, runtime.Options{Threads: th}, ins)
				if err == nil {
					err = compareOutputs(ref, got)
				}
				if err != nil {
					t.Errorf("%s threads %d: %v", m.Name, th, err)
				}
			}
		}
	}
}
