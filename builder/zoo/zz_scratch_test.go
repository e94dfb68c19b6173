package zoo

import (
	"context"
	"testing"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/runtime"
)

func TestScratchBatch0(t *testing.T) {
	for _, m := range Catalog() {
		g, _ := m.Build()
		ins, _ := RandomInputs(g, 0, 1)
		for _, o := range []runtime.Options{{Reference: true, ISA: "generic", Threads: 1}, {Threads: 2}} {
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Errorf("%s %v: panic %v", m.Name, o.Reference, r)
					}
				}()
				s, err := runtime.NewSession(ir.Clone(g), o)
				if err != nil {
					t.Errorf("%s: %v", m.Name, err)
					return
				}
				out, err := s.Run(context.Background(), ins)
				if err != nil {
					t.Errorf("%s ref=%v: %v", m.Name, o.Reference, err)
					return
				}
				for k, v := range out {
					_ = k
					_ = v
				}
			}()
		}
	}
}
