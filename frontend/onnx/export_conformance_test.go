package onnx_test

import (
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/nncc/nncc/conformance"
	"github.com/nncc/nncc/frontend/onnx"
	nnrt "github.com/nncc/nncc/runtime"
)

// sharedRoot is ../shared beside the checkout, seen from this package.
const sharedRoot = "../../../shared"

// TestReexportStillPasses decodes every model of ../shared/models and
// every conformance test that nncc passes, exports it again with Encode,
// and checks that the exported copy (with the same test data) still
// passes. With -short it checks every 5th node test.
func TestReexportStillPasses(t *testing.T) {
	suites := []string{"models", "conformance/onnx-node", "conformance/onnx-simple",
		"conformance/onnx-pytorch-converted", "conformance/onnx-pytorch-operator"}
	var tests []string
	for _, s := range suites {
		dir := filepath.Join(sharedRoot, s)
		if _, err := os.Stat(dir); err != nil {
			t.Logf("skipping %s: %s not present (../shared is not beside the checkout)", s, dir)
			continue
		}
		found, err := conformance.FindTests(dir)
		if err != nil {
			t.Fatal(err)
		}
		for i, d := range found {
			if testing.Short() && s == "conformance/onnx-node" && i%5 != 0 {
				continue
			}
			tests = append(tests, d)
		}
	}
	if len(tests) == 0 {
		t.Skip("no ONNX test folders found")
	}
	opts := nnrt.Options{Threads: 1} // the path `nncc check` runs
	tmp := t.TempDir()
	type outcome struct{ dir, reason string }
	var (
		mu               sync.Mutex
		failed           []outcome
		checked, skipped int
	)
	work := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				dir := tests[i]
				if !conformance.RunTestTimeout(dir, opts, 60*time.Second).Pass {
					mu.Lock()
					skipped++
					mu.Unlock()
					continue // nncc does not pass the original: nothing to keep
				}
				reason := reexport(dir, filepath.Join(tmp, filepath.Base(filepath.Dir(dir))+"_"+filepath.Base(dir)), opts)
				mu.Lock()
				checked++
				if reason != "" {
					failed = append(failed, outcome{dir, reason})
				}
				mu.Unlock()
			}
		}()
	}
	for i := range tests {
		work <- i
	}
	close(work)
	wg.Wait()
	for _, f := range failed {
		t.Errorf("%s: passes, but its re-export does not: %s", f.dir, f.reason)
	}
	t.Logf("%d re-exported tests checked, %d not passed by nncc to begin with", checked, skipped)
}

// reexport writes Encode(Load(dir/model.onnx)) to out with links to dir's
// test data sets and runs it; it returns why it fails, or "".
func reexport(dir, out string, opts nnrt.Options) string {
	g, err := onnx.Load(filepath.Join(dir, conformance.ModelFile))
	if err != nil {
		return "load: " + err.Error()
	}
	data, err := onnx.Encode(g)
	if err != nil {
		return "encode: " + err.Error()
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err.Error()
	}
	if err := os.WriteFile(filepath.Join(out, conformance.ModelFile), data, 0o644); err != nil {
		return err.Error()
	}
	sets, _ := filepath.Glob(filepath.Join(dir, "test_data_set_*"))
	for _, s := range sets {
		abs, err := filepath.Abs(s)
		if err != nil {
			return err.Error()
		}
		if err := os.Symlink(abs, filepath.Join(out, filepath.Base(s))); err != nil {
			return err.Error()
		}
	}
	r := conformance.RunTestTimeout(out, opts, 60*time.Second)
	if !r.Pass {
		return r.Reason
	}
	return ""
}
