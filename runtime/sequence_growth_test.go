package runtime_test

import (
	"context"
	goruntime "runtime"
	"testing"

	"github.com/nncc/nncc/builder"
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/runtime"
)

// seqGrowthModel is a Loop of m iterations (m an input) that appends a
// one-element tensor holding the iteration number to a loop-carried
// sequence, then concatenates the sequence.
func seqGrowthModel(t *testing.T) *ir.Graph {
	t.Helper()
	b := builder.New("seq_growth", 17)
	body := b.Subgraph("body")
	i := body.Input("i", ir.Int64)
	cond := body.Input("cond", ir.Bool)
	seq := body.InputType("seq_in", ir.SeqOf(ir.TensorOf(ir.Int64, nil)))
	item := body.Reshape(i, body.Const(i64(1)))
	g := body.Graph(body.Output("cond_out", body.Identity(cond)), body.Output("seq_out", body.SequenceInsert(seq, item)))
	empty := b.SequenceEmpty(builder.AttrDtype(int64(ir.Int64)))
	final := b.Loop(builder.Inputs(b.Input("m", ir.Int64), b.Input("c", ir.Bool), empty), builder.AttrBody(g), builder.NumOutputs(1))
	out, err := b.Build(b.Output("y", b.ConcatFromSequence(final[0], builder.AttrAxis(0))))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestSequenceInsertLinear checks that a Loop appending n items to a
// sequence does work linear in n: an insert at the end must not copy the
// sequence (n inserts copying it would allocate n²/2 item pointers, 1 GiB
// for n = 16384), nor count its elements again.
func TestSequenceInsertLinear(t *testing.T) {
	const n = 1 << 14
	s, err := runtime.NewSession(seqGrowthModel(t), runtime.Options{Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	feed := map[string]*ir.Tensor{"m": ir.Scalar(int64(n)), "c": ir.Scalar(true)}
	if _, err := s.Run(context.Background(), feed); err != nil { // plans and frames
		t.Fatal(err)
	}
	var before, after goruntime.MemStats
	goruntime.GC()
	goruntime.ReadMemStats(&before)
	out, err := s.Run(context.Background(), feed)
	goruntime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	y := out["y"].I64()
	if len(y) != n {
		t.Fatalf("y has %d elements, want %d", len(y), n)
	}
	for k, v := range y {
		if v != int64(k) {
			t.Fatalf("y[%d] = %d, want %d", k, v, k)
		}
	}
	// Each iteration allocates its item and a sequence header; a linear
	// run stays within a few hundred bytes per item.
	if got := after.TotalAlloc - before.TotalAlloc; got > 512*n {
		t.Errorf("a Run of %d inserts allocated %d bytes (%d per insert); the inserts copy the sequence", n, got, got/n)
	}
}
