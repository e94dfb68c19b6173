package runtime

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/nncc/nncc/frontend/onnx"
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/isa"
)

// gemmModel is a shared seed model whose Gemm weights go through
// kernels.Build.PackB (two Gemm nodes, no convolutions).
const gemmModel = "../../shared/models/seed_gan_discriminator"

// seedModels is the folder of the shared seed models.
const seedModels = "../../shared/models"

// closeEnough is requireClose as an error, for goroutines.
func closeEnough(want, got *ir.Tensor) error {
	if got == nil || !sameDims(want.Shape, got.Shape) {
		return fmt.Errorf("shape %v, want %v", got, want.Shape)
	}
	for i := 0; i < want.Len(); i++ {
		w, g := want.Float64At(i), got.Float64At(i)
		if d := w - g; d > 1e-4+1e-3*abs(w) || -d > 1e-4+1e-3*abs(w) || g != g {
			return fmt.Errorf("element %d: %g, want %g", i, g, w)
		}
	}
	return nil
}

// modelDir returns dir, or skips when ../shared is not beside the checkout.
func modelDir(t *testing.T, dir string) string {
	t.Helper()
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("%s not present (../shared is not beside the checkout)", dir)
	}
	return dir
}

// TestSessionISAConcurrent runs sessions of every level this CPU supports
// at the same time in one process: each keeps its own level and gives the
// expected outputs.
func TestSessionISAConcurrent(t *testing.T) {
	levels := isa.Supported()
	if len(levels) < 2 {
		t.Logf("only %v supported: the levels cannot differ here", levels)
	}
	for _, dir := range []string{testCNN, gemmModel} {
		if dir != testCNN {
			modelDir(t, dir)
		}
		var wg sync.WaitGroup
		errs := make(chan error, len(levels))
		for _, l := range levels {
			s, err := Load(dir, Options{Threads: 1, ISA: l.String()})
			require.NoError(t, err)
			defer s.Close()
			require.Equal(t, l, s.ISA())
			ins, want := loadSet(t, dir, s)
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 20 {
					outs := make([]*ir.Tensor, len(want))
					if err := s.RunInto(context.Background(), ins, outs); err != nil {
						errs <- err
						return
					}
					for i := range want {
						if err := closeEnough(want[i], outs[i]); err != nil {
							errs <- err
							return
						}
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("%s: %v", dir, err)
		}
	}
}

// TestSessionLevelReachesKernels shows that the session's level is the one
// the kernels are built for: the Gemm weights an artifact stores are
// packed in the sgemm (or gemv) panel layout of the level it was compiled
// for.
func TestSessionLevelReachesKernels(t *testing.T) {
	dir := modelDir(t, gemmModel)
	g, err := onnx.Load(filepath.Join(dir, "model.onnx"))
	require.NoError(t, err)
	for _, l := range isa.Supported() {
		data, err := Compile(ir.Clone(g), Options{Threads: 1}, l.String())
		require.NoError(t, err, l)
		s, err := LoadArtifact(data, Options{Threads: 1})
		require.NoError(t, err, l)
		require.Equal(t, l, s.ISA())
		h := s.Artifact()
		require.Equal(t, l.String(), h.ISA)
		require.NotEmpty(t, h.Prepacked, l)
		for _, p := range h.Prepacked {
			// sgemm panels, or the gemv form of the same weights (small m).
			require.True(t, strings.HasPrefix(p.Key, "sgemm.B/"+l.String()+"/") || strings.HasPrefix(p.Key, "gemv/"+l.String()+"/"), "%v: key %s", l, p.Key)
		}
		s.Close()
	}
}

func TestSessionISAErrors(t *testing.T) {
	_, err := Load(testCNN, Options{ISA: "avx9000"})
	require.ErrorContains(t, err, "unknown instruction set")
	for _, l := range []isa.Level{isa.AVX2, isa.AVX512, isa.NEON} {
		if isa.Has(l) {
			continue
		}
		_, err := Load(testCNN, Options{ISA: l.String()})
		require.ErrorContains(t, err, "not supported on this CPU", l)
		g, err := onnx.Load(filepath.Join(testCNN, "model.onnx"))
		require.NoError(t, err)
		_, err = Compile(g, Options{}, l.String())
		require.ErrorContains(t, err, "not supported on this CPU", l)
	}
	// An explicit level other than the artifact's is refused.
	data := compileTestCNN(t)
	for _, l := range isa.Supported() {
		if l.String() == isa.Current().String() {
			continue
		}
		_, err := LoadArtifact(data, Options{ISA: l.String()})
		require.ErrorContains(t, err, "recompile", l)
	}
}

// TestLoadArtifactRunsNoPassAndNoPacking loads an artifact without running
// any graph pass, and its first plan takes every weight panel from the
// artifact (no packing).
func TestLoadArtifactRunsNoPassAndNoPacking(t *testing.T) {
	dir := modelDir(t, gemmModel)
	g, err := onnx.Load(filepath.Join(dir, "model.onnx"))
	require.NoError(t, err)
	data, err := Compile(g, Options{Threads: 1}, "")
	require.NoError(t, err)
	before := passRuns.Load()
	s, err := LoadArtifact(data, Options{Threads: 1})
	require.NoError(t, err)
	defer s.Close()
	require.Equal(t, before, passRuns.Load(), "loading an artifact ran a graph pass")
	ins, want := loadSet(t, dir, s)
	outs := make([]*ir.Tensor, len(want))
	require.NoError(t, s.RunInto(context.Background(), ins, outs))
	requireClose(t, want[0], outs[0])
	hits, misses := s.prepacks.Stats()
	require.Positive(t, hits)
	require.Zero(t, misses, "plan building packed weights the artifact holds")
}

// TestCompileCheckSharedModels compiles every shared seed model to an
// artifact, loads it and checks its outputs against the model's test set
// (what `nncc compile` then `nncc check` on the artifact does).
func TestCompileCheckSharedModels(t *testing.T) {
	ents, err := os.ReadDir(seedModels)
	if err != nil {
		t.Skipf("no shared models: %v", err)
	}
	for _, e := range ents {
		if !e.IsDir() {
			continue
		}
		dir := filepath.Join(seedModels, e.Name())
		t.Run(e.Name(), func(t *testing.T) {
			g, err := onnx.Load(filepath.Join(dir, "model.onnx"))
			require.NoError(t, err)
			data, err := Compile(g, Options{Threads: 1}, "auto")
			require.NoError(t, err)
			s, err := LoadArtifact(data, Options{Threads: 1})
			require.NoError(t, err)
			defer s.Close()
			ins, want := loadSet(t, dir, s)
			outs := make([]*ir.Tensor, len(want))
			require.NoError(t, s.RunInto(context.Background(), ins, outs))
			for i := range want {
				requireClose(t, want[i], outs[i])
			}
		})
	}
}
