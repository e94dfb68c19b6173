package runtime_test

import (
	"context"
	"strings"
	"testing"

	"github.com/nncc/nncc/builder"
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/runtime"
)

// budgetRun builds the model, runs it once with feed under a memory
// budget and returns the output y (or the error).
func budgetRun(t *testing.T, budget int64, feed map[string]*ir.Tensor, build func(b *builder.Builder) *builder.Value) (*ir.Tensor, error) {
	t.Helper()
	b := builder.New("budget", 17)
	g, err := b.Build(b.Output("y", build(b)))
	if err != nil {
		t.Fatal(err)
	}
	s, err := runtime.NewSession(g, runtime.Options{Threads: 1, MaxMemoryBytes: budget})
	if err != nil {
		return nil, err
	}
	out, err := s.Run(context.Background(), feed)
	if err != nil {
		return nil, err
	}
	return out["y"], nil
}

// TestMemoryBudgetTensors checks that a tensor within MaxTensorElements
// but beyond the memory budget is refused, naming the node and the
// option, whether its size is static (checked before the plan is made) or
// comes from an input at run time; under a larger budget both run.
func TestMemoryBudgetTensors(t *testing.T) {
	const n = 1 << 20 // 4 MiB of float32
	static := func(b *builder.Builder) *builder.Value {
		return b.ConstantOfShape(b.Const(i64(n)), builder.AttrValueAsTensor(f32(1)))
	}
	dynamic := func(b *builder.Builder) *builder.Value {
		return b.Expand(b.Const(f32(1)), b.Input("shape", ir.Int64, 1))
	}
	for _, c := range []struct {
		name  string
		build func(b *builder.Builder) *builder.Value
		feed  map[string]*ir.Tensor
		want  string
	}{
		{"static", static, nil, `node "ConstantOfShape`},
		{"dynamic", dynamic, map[string]*ir.Tensor{"shape": i64(n)}, `node "Expand`},
	} {
		feed := c.feed
		_, err := budgetRun(t, 1<<20, feed, c.build)
		if err == nil || !strings.Contains(err.Error(), "MaxMemoryBytes") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: 1 MiB budget: got %v, want an error naming %s and MaxMemoryBytes", c.name, err, c.want)
		}
		y, err := budgetRun(t, 64<<20, feed, c.build)
		if err != nil || y.Len() != n {
			t.Errorf("%s: 64 MiB budget: got %v, %v", c.name, y, err)
		}
	}
}

// TestMemoryBudgetFolding checks that constant folding stops at the
// budget and leaves the rest of the nodes to run: eight ConstantOfShape
// of 1 MiB each, summed, fold only partly under a 6 MiB budget and give
// the same sum as with the default budget.
func TestMemoryBudgetFolding(t *testing.T) {
	const n = 1 << 18
	build := func(b *builder.Builder) *builder.Value {
		shape := b.Const(i64(n))
		var parts []*builder.Value
		for i := range 8 {
			parts = append(parts, b.ConstantOfShape(shape, builder.AttrValueAsTensor(f32(float32(i)))))
		}
		return b.Sum(parts[0], builder.Inputs(parts[1:]...))
	}
	for _, budget := range []int64{0, 6 << 20} {
		y, err := budgetRun(t, budget, nil, build)
		if err != nil {
			t.Fatalf("budget %d: %v", budget, err)
		}
		for i, v := range y.F32() {
			if v != 28 {
				t.Fatalf("budget %d: y[%d] = %v, want 28", budget, i, v)
			}
		}
	}
	// Under 2 MiB the unfolded nodes need an arena beyond the budget.
	if _, err := budgetRun(t, 2<<20, nil, build); err == nil || !strings.Contains(err.Error(), "MaxMemoryBytes") {
		t.Errorf("2 MiB budget: got %v, want the arena refused (MaxMemoryBytes)", err)
	}
}

// TestDefaultMemoryBudget checks the default is positive and capped.
func TestDefaultMemoryBudget(t *testing.T) {
	if b := runtime.DefaultMemoryBudget(); b <= 0 || b > 16<<30 {
		t.Errorf("DefaultMemoryBudget() = %d, want in (0, 16 GiB]", b)
	}
}
