package runtime

import (
	"context"
	"testing"

	"github.com/nncc/nncc/builder/zoo"
	"github.com/nncc/nncc/ir"
)

// TestSymbolicBatchAttentionFuses checks that a Transformer whose batch
// axis is symbolic runs fused attention once the Run's shapes are known:
// the graph is optimised first with the symbolic batch, where attention
// cannot be matched, and the scaling and masking of its scores must
// survive that first pass for the specialised graph's attention pass
// (passes.attentionScores). Each configuration masks its scores its own
// way: an additive causal mask, a Where, and a key-padding mask added
// to either (two additive masks).
func TestSymbolicBatchAttentionFuses(t *testing.T) {
	for _, cfg := range []zoo.TransformerBlockConfig{
		{PreLN: true, Opset: 17},
		{PreLN: true, WhereMask: true, Opset: 17},
		{PreLN: false, PaddingMask: true, Tokens: 9, Opset: 17},
		{PreLN: true, PaddingMask: true, WhereMask: true, Tokens: 9, Opset: 13},
	} {
		g, err := zoo.TransformerBlock(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if d := g.Inputs[0].Type.Shape[0]; d.Known() {
			t.Fatalf("%+v: the batch axis is %v, want it symbolic", cfg, d)
		}
		ins, err := zoo.RandomInputs(g, 2, 1)
		if err != nil {
			t.Fatal(err)
		}
		s, err := NewSession(g, Options{Threads: 1})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Run(context.Background(), ins); err != nil {
			t.Fatal(err)
		}
		list := make([]*ir.Tensor, len(s.Inputs()))
		for i, in := range s.Inputs() {
			list[i] = ins[in.Name]
		}
		c, err := s.planFor(list)
		if err != nil {
			t.Fatal(err)
		}
		fused := 0
		for _, st := range c.plan.Steps {
			if st.Node.Op == "FusedAttention" {
				fused++
			}
		}
		if fused != 2 {
			t.Errorf("%+v: %d FusedAttention steps in the batch-2 plan, want 2 (one per block)", cfg, fused)
		}
		s.Close()
	}
}
