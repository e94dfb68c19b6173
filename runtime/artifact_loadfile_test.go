package runtime

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/nncc/nncc/frontend/onnx"
	"github.com/nncc/nncc/ir"
)

// TestArtifactLoadPath loads an artifact through Load, by file and by
// folder (the file is read in one allocation of its size), and checks that
// a damaged file is still a clear error.
func TestArtifactLoadPath(t *testing.T) {
	data := compileTestCNN(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "model.nnc")
	require.NoError(t, os.WriteFile(path, data, 0o644))
	for _, p := range []string{path, dir} {
		s, err := Load(p, Options{Threads: 1})
		require.NoError(t, err, p)
		require.NotNil(t, s.Artifact(), p)
		s.Close()
	}
	require.NoError(t, os.WriteFile(path, data[:len(data)-7], 0o644))
	_, err := Load(path, Options{})
	require.ErrorContains(t, err, "checksum mismatch")
}

// TestArtifactStoredPlan compiles the test CNN specialised for its test
// data's shapes (as nncc compile does for a model folder) and checks that
// the first Run on inputs of those shapes runs no graph pass and packs
// nothing, that its outputs match the test set, and that inputs of
// another shape still run (through the generic graph: passes, then
// lowering).
func TestArtifactStoredPlan(t *testing.T) {
	g, err := onnx.Load(filepath.Join(testCNN, "model.onnx"))
	require.NoError(t, err)
	sets := TestDataShapes(testCNN, g)
	require.Len(t, sets, 1)
	data, err := CompileSpecialized(g, Options{Threads: 1}, "", Specialize{Also: sets})
	require.NoError(t, err)
	s, err := LoadArtifact(data, Options{Threads: 1})
	require.NoError(t, err)
	defer s.Close()
	require.Contains(t, s.SpecializedShapes(), sets[0])
	ins, want := loadSet(t, testCNN, s)
	before := passRuns.Load()
	got := make([]*ir.Tensor, len(want))
	require.NoError(t, s.RunInto(context.Background(), ins, got))
	require.Equal(t, before, passRuns.Load(), "the first Run on the stored shapes ran a graph pass")
	requireClose(t, want[0], got[0])
	_, misses := s.prepacks.Stats()
	require.Zero(t, misses, "the first Run on the stored shapes packed weights")

	// Another batch: planned through the generic graph, same per-sample
	// results as the stored plan.
	in := ins[0]
	batch := in.Shape[0]
	two := ir.NewTensor(in.DType, append([]int64{2 * batch}, in.Shape[1:]...))
	copy(two.F32(), in.F32())
	copy(two.F32()[len(in.F32()):], in.F32())
	out, err := s.Run(context.Background(), map[string]*ir.Tensor{s.Inputs()[0].Name: two})
	require.NoError(t, err)
	require.Greater(t, passRuns.Load(), before, "a shape without a stored plan must be planned from the generic graph")
	o := out[s.Outputs()[0].Name].F32()
	require.Equal(t, 2*len(got[0].F32()), len(o))
	for i, v := range got[0].F32() {
		require.InDelta(t, v, o[i], 1e-4)
		require.InDelta(t, v, o[i+len(got[0].F32())], 1e-4)
	}

	// Shapes are checked when compiling.
	for name, sp := range map[string]Specialize{
		"unknown dim":   {Dims: map[string]int64{"nosuch": 2}},
		"unknown input": {Inputs: map[string][]int64{"nosuch": {1}}},
		"bad rank":      {Inputs: map[string][]int64{s.Inputs()[0].Name: {1, 2}}},
		"bad set":       {Also: [][][]int64{{{1}, {2}}}},
	} {
		_, err := CompileSpecialized(g, Options{Threads: 1}, "", sp)
		require.Error(t, err, name)
	}
	// No stored plan on request: the first Run plans from the generic graph.
	data, err = CompileSpecialized(g, Options{Threads: 1}, "", Specialize{Also: sets, None: true})
	require.NoError(t, err)
	s2, err := LoadArtifact(data, Options{Threads: 1})
	require.NoError(t, err)
	defer s2.Close()
	require.Empty(t, s2.SpecializedShapes())
	before = passRuns.Load()
	require.NoError(t, s2.RunInto(context.Background(), ins, got))
	require.Greater(t, passRuns.Load(), before)
	requireClose(t, want[0], got[0])
}
