package codegen_test

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/nncc/nncc/builder"
	"github.com/nncc/nncc/codegen"
	"github.com/nncc/nncc/frontend/onnx"
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/passes"
)

// compileModel specialises a testdata model to batch 2 and lowers it.
func compileModel(t *testing.T, dir string, noInPlace bool) *codegen.Plan {
	t.Helper()
	g, err := onnx.Load(filepath.Join(dir, "model.onnx"))
	require.NoError(t, err)
	for _, v := range g.Inputs {
		dims := make([]int64, len(v.Type.Shape))
		for i, d := range v.Type.Shape {
			dims[i] = 2
			if d.Known() {
				dims[i] = d.Size
			}
		}
		v.Type = ir.TensorOf(v.Type.DType, ir.KnownShape(dims))
	}
	require.NoError(t, passes.Run(g, &passes.Context{Verify: true}))
	p, err := codegen.Compile(g, codegen.Options{NoInPlace: noInPlace})
	require.NoError(t, err)
	return p
}

// TestArenaNoLiveOverlap checks the memory plan's invariant on real
// models: two arena values whose lifetimes overlap occupy disjoint bytes,
// except an in-place pair, which shares one buffer and overlaps in exactly
// the step where the input dies and the output is born.
func TestArenaNoLiveOverlap(t *testing.T) {
	models, _ := filepath.Glob("../testdata/models/*")
	require.NotEmpty(t, models)
	for _, dir := range models {
		if filepath.Base(dir) == "README.md" {
			continue
		}
		for _, noInPlace := range []bool{true, false} {
			p := compileModel(t, dir, noInPlace)
			def := map[int]int{}
			for si, st := range p.Steps {
				for _, o := range st.Out {
					if o >= 0 {
						def[o] = si
					}
				}
			}
			shared := 0
			for a := range p.Slots {
				for b := a + 1; b < len(p.Slots); b++ {
					sa, sb := p.Slots[a], p.Slots[b]
					if sa.Kind != codegen.SlotArena || sb.Kind != codegen.SlotArena {
						continue
					}
					la, lb := max(p.LastUse[a], def[a]), max(p.LastUse[b], def[b])
					lo, hi := max(def[a], def[b]), min(la, lb)
					if lo > hi {
						continue // lifetimes disjoint
					}
					if sa.Offset+sa.Bytes <= sb.Offset || sb.Offset+sb.Bytes <= sa.Offset {
						continue // bytes disjoint
					}
					require.False(t, noInPlace, "%s: %s and %s overlap without in-place", dir, sa.Name, sb.Name)
					require.Equal(t, sa.Offset, sb.Offset, "%s: %s and %s partially overlap", dir, sa.Name, sb.Name)
					require.Equal(t, lo, hi, "%s: in-place pair %s, %s overlaps for more than one step", dir, sa.Name, sb.Name)
					shared++
				}
			}
			if !noInPlace {
				t.Logf("%s: %d in-place pairs, arena %d bytes", filepath.Base(dir), shared, p.ArenaBytes)
			}
		}
	}
}

// TestViewsOfInputsShareTheInput checks viewInputsInPlace: a view of a
// graph input (and a view of that view) gets no arena buffer, so it
// shares the caller's data, while a view that is a graph output and the
// other intermediates keep theirs; without in-place reuse every view is
// planned.
func TestViewsOfInputsShareTheInput(t *testing.T) {
	b := builder.New("views", 17)
	x := b.Input("x", ir.Float32, 2, 3, 4)
	flat := b.Flatten(x, builder.AttrAxis(1))  // view of the input
	back := b.Reshape(flat, b.Int64s(2, 3, 4)) // view of that view
	act := b.Relu(back)                        // an arena value
	out := b.Reshape(x, b.Int64s(6, 4))        // a view that is an output
	g, err := b.Build(b.Output("y", act), b.Output("z", out))
	require.NoError(t, err)
	require.NoError(t, passes.Run(g, &passes.Context{Verify: true, Disable: []string{"fold", "dce", "cse", "identity", "fuse-elementwise"}}))
	for _, noInPlace := range []bool{false, true} {
		p, err := codegen.Compile(g, codegen.Options{NoInPlace: noInPlace})
		require.NoError(t, err)
		kinds := map[string]codegen.SlotKind{}
		for si, st := range p.Steps {
			kinds[fmt.Sprintf("%s#%d", st.Node.Op, si)] = p.Slots[st.Out[0]].Kind
		}
		want := map[string]codegen.SlotKind{"Flatten#0": codegen.SlotDynamic, "Reshape#1": codegen.SlotDynamic, "Relu#2": codegen.SlotArena, "Reshape#3": codegen.SlotArena}
		if noInPlace {
			want = map[string]codegen.SlotKind{"Flatten#0": codegen.SlotArena, "Reshape#1": codegen.SlotArena, "Relu#2": codegen.SlotArena, "Reshape#3": codegen.SlotArena}
		}
		require.Equal(t, want, kinds, "noInPlace=%v", noInPlace)
	}
}
