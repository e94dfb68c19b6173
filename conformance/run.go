package conformance

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/nncc/nncc/frontend/onnx"
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/runtime"
)

// Result is the outcome of one test folder.
type Result struct {
	Name   string
	Dir    string
	Pass   bool
	Reason string
	Time   time.Duration
}

// ModelFile is the model a test folder holds; a compiled ArtifactFile may
// stand in its place (and is preferred when both exist).
const (
	ModelFile    = "model.onnx"
	ArtifactFile = "model.nnc"
)

// FindTests expands each dir into test folders: a folder holding
// model.onnx is a test; otherwise its immediate subfolders that hold one
// are, in name order.
func FindTests(dirs ...string) ([]string, error) {
	var out []string
	for _, d := range dirs {
		if isTest(d) {
			out = append(out, d)
			continue
		}
		ents, err := os.ReadDir(d)
		if err != nil {
			return nil, err
		}
		var sub []string
		for _, e := range ents {
			p := filepath.Join(d, e.Name())
			if e.IsDir() && isTest(p) {
				sub = append(sub, p)
			}
		}
		if len(sub) == 0 {
			return nil, fmt.Errorf("%s: no test folders (model.onnx + test_data_set_*) found", d)
		}
		sort.Strings(sub)
		out = append(out, sub...)
	}
	return out, nil
}

func isTest(dir string) bool {
	for _, name := range []string{ModelFile, ArtifactFile} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			return true
		}
	}
	return false
}

// RunTest loads the folder's model with opts and checks every
// test_data_set_N in it. It never panics.
func RunTest(dir string, opts runtime.Options) (res Result) {
	res = Result{Name: filepath.Base(dir), Dir: dir}
	start := time.Now()
	defer func() {
		if r := recover(); r != nil {
			res.Pass, res.Reason = false, fmt.Sprintf("BUG: panic: %v", r)
		}
		res.Time = time.Since(start)
	}()
	if err := runTest(dir, opts); err != nil {
		res.Reason = oneLine(err.Error())
		return res
	}
	res.Pass = true
	return res
}

func runTest(dir string, opts runtime.Options) error {
	sess, err := runtime.Load(dir, opts)
	if err != nil {
		return err
	}
	defer sess.Close()
	sets, _ := filepath.Glob(filepath.Join(dir, "test_data_set_*"))
	if len(sets) == 0 {
		return fmt.Errorf("no test_data_set_* folders")
	}
	sort.Strings(sets)
	g, err := sess.GraphErr()
	if err != nil {
		return err
	}
	cmp := Compare
	if usesRandomOps(g) {
		cmp = CompareRandom
	}
	for _, set := range sets {
		if err := runSet(sess, set, cmp); err != nil {
			return fmt.Errorf("%s: %w", filepath.Base(set), err)
		}
	}
	return nil
}

// LoadInputs reads input_i.pb files of a test data set, matched to the
// session's inputs by position.
func LoadInputs(sess *runtime.Session, set string) (map[string]*ir.Tensor, error) {
	ins := sess.Inputs()
	inputs := map[string]*ir.Tensor{}
	files, _ := filepath.Glob(filepath.Join(set, "input_*.pb"))
	if len(files) > len(ins) {
		return nil, fmt.Errorf("%d input files for a model with %d inputs", len(files), len(ins))
	}
	for i := range files {
		p := filepath.Join(set, fmt.Sprintf("input_%d.pb", i))
		t, err := onnx.ReadValueFile(p, ins[i].Type)
		if err != nil {
			return nil, fmt.Errorf("input_%d.pb: %w", i, err)
		}
		inputs[ins[i].Name] = t
	}
	// Trailing optional inputs may have no file: they are absent.
	if len(files) < len(ins) {
		return nil, fmt.Errorf("%d input files for a model with %d inputs", len(files), len(ins))
	}
	return inputs, nil
}

func runSet(sess *runtime.Session, set string, cmp func(want, got *ir.Tensor) error) error {
	inputs, err := LoadInputs(sess, set)
	if err != nil {
		return err
	}
	got, err := sess.Run(context.Background(), inputs)
	if err != nil {
		return err
	}
	outs := sess.Outputs()
	files, _ := filepath.Glob(filepath.Join(set, "output_*.pb"))
	if len(files) != len(outs) {
		return fmt.Errorf("%d output files for a model with %d outputs", len(files), len(outs))
	}
	for i, o := range outs {
		p := filepath.Join(set, fmt.Sprintf("output_%d.pb", i))
		want, err := onnx.ReadValueFile(p, o.Type)
		if err != nil {
			return fmt.Errorf("output_%d.pb: %w", i, err)
		}
		if err := cmp(want, got[o.Name]); err != nil {
			return fmt.Errorf("output %q: %w", o.Name, err)
		}
	}
	return nil
}

func oneLine(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if len(s) > 300 {
		s = s[:300] + "..."
	}
	return s
}

// RunTestTimeout is RunTest with a time limit: a test still running after
// d is reported as failed (its goroutine is abandoned).
func RunTestTimeout(dir string, opts runtime.Options, d time.Duration) Result {
	done := make(chan Result, 1)
	go func() { done <- RunTest(dir, opts) }()
	select {
	case r := <-done:
		return r
	case <-time.After(d):
		return Result{Name: filepath.Base(dir), Dir: dir, Reason: fmt.Sprintf("timed out after %v", d), Time: d}
	}
}
