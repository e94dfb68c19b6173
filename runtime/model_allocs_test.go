package runtime

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	goruntime "runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"testing"

	"github.com/nncc/nncc/frontend/onnx"
	"github.com/nncc/nncc/internal/allocstest"
	"github.com/nncc/nncc/ir"
)

// TestModelAllocs is a measuring tool, not a check: with NNCC_ALLOCS set
// to a comma-separated list of model folders (model.onnx and
// test_data_set_0) it prints the steady-state allocations per RunInto at
// one and two threads (internal/allocstest.PerRun), and with
// NNCC_ALLOCS_PROF set writes a heap profile of every allocation made by
// the measured Runs of the last model there (go tool pprof -sample_index
// alloc_objects), at one thread or NNCC_ALLOCS_PROF_THREADS. Without the variable it is skipped.
//
//	NNCC_ALLOCS=/tmp/real8/silero_vad_v5 go test ./runtime -run TestModelAllocs -v
func TestModelAllocs(t *testing.T) {
	env := os.Getenv("NNCC_ALLOCS")
	if env == "" {
		t.Skip("set NNCC_ALLOCS to model folders to measure their allocations per Run")
	}
	for _, dir := range strings.Split(env, ",") {
		g, err := onnx.Load(filepath.Join(dir, "model.onnx"))
		if err != nil {
			t.Logf("%s: skipped: %v", filepath.Base(dir), err) // a sweep over many folders goes on
			continue
		}
		for _, threads := range []int{1, 2} {
			s, err := NewSession(ir.Clone(g), Options{Threads: threads})
			if err != nil {
				t.Logf("%s: skipped: %v", filepath.Base(dir), err)
				break
			}
			var inputs []*ir.Tensor
			for i := range s.Inputs() {
				x, _, err := onnx.ReadTensorFile(filepath.Join(dir, "test_data_set_0", fmt.Sprintf("input_%d.pb", i)))
				if err != nil {
					t.Logf("%s: skipped: input %d (a sequence or optional is not read here): %v", filepath.Base(dir), i, err)
					break
				}
				inputs = append(inputs, x)
			}
			if len(inputs) < len(s.Inputs()) {
				s.Close()
				break
			}
			outs := make([]*ir.Tensor, len(s.Outputs()))
			run := func() {
				if err := s.RunInto(context.Background(), inputs, outs); err != nil {
					t.Fatal(err)
				}
			}
			runs, _ := strconv.Atoi(envOr("NNCC_ALLOCS_RUNS", "50"))
			got := allocstest.PerRun(runs, run)
			t.Logf("%s threads=%d: %v allocs/Run", filepath.Base(dir), threads, got)
			if prof := os.Getenv("NNCC_ALLOCS_PROF"); prof != "" && strconv.Itoa(threads) == envOr("NNCC_ALLOCS_PROF_THREADS", "1") {
				old := goruntime.MemProfileRate
				goruntime.MemProfileRate = 1
				for range runs {
					run()
				}
				goruntime.GC()
				f, err := os.Create(prof)
				if err != nil {
					t.Fatal(err)
				}
				pprof.Lookup("allocs").WriteTo(f, 0)
				f.Close()
				goruntime.MemProfileRate = old
			}
			s.Close()
		}
	}
}

// envOr returns the environment variable k, or def when it is unset.
func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}
