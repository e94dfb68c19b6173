package passes_test

import (
	"sort"
	"testing"

	"github.com/nncc/nncc/passes"
)

// The attention golden graphs run fused and unfused (see compareFused).
func TestAttentionGoldenGraphsNumerically(t *testing.T) {
	cases := passes.AttentionGoldenGraphs()
	names := make([]string, 0, len(cases))
	for n := range cases {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		t.Run(n, func(t *testing.T) { compareFused(t, n, "attention", cases[n]) })
	}
}
