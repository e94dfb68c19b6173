package passes

import (
	"testing"

	"github.com/nncc/nncc/ir"
)

// TestFoldBudget checks that folding stops at MaxFoldBytes: of eight
// ConstantOfShape nodes of 1 MiB each, a 3 MiB budget folds three (the
// rest stay nodes, to run at run time), while shape-sized folds still go
// ahead once the budget is spent.
func TestFoldBudget(t *testing.T) {
	const n = 1 << 18
	b := newGB("fold_budget")
	shape := b.constant("shape", ir.FromSlice([]int64{n}, 1))
	var outs []*ir.Value
	for range 8 {
		outs = append(outs, b.op("ConstantOfShape", nil, 1, shape)[0])
	}
	x := b.input("x", ir.TensorOf(ir.Float32, ir.Shape{ir.D(2), ir.D(3)}))
	outs = append(outs, b.op("Shape", nil, 1, x)[0])
	g := b.output(outs...)
	c := &Context{MaxFoldBytes: 3 << 20}
	if err := foldConstants(g, c); err != nil {
		t.Fatal(err)
	}
	left := 0
	for _, nd := range g.Nodes {
		if nd.Op == "ConstantOfShape" {
			left++
		}
		if nd.Op == "Shape" {
			t.Errorf("Shape of a static shape was not folded")
		}
	}
	if left != 5 {
		t.Errorf("%d ConstantOfShape nodes left unfolded, want 5", left)
	}
	if got, want := c.FoldedBytes(), int64(3*4*n+2*8); got != want {
		t.Errorf("FoldedBytes() = %d, want %d", got, want)
	}
}
