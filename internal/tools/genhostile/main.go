// Command genhostile writes the hand-made hostile models of
// testdata/hostile: broken, malicious or resource-hungry ONNX files that
// nncc must answer with a clear one-line error (never a panic, a hang or an
// out-of-memory kill). Each case is a folder in the layout of an ONNX test
// (model.onnx plus test_data_set_0/input_N.pb), so both `nncc run DIR` and
// `nncc check DIR` accept it; cases.json lists, per case, what is hostile
// about it, the substring nncc's error must contain, and extra `nncc run`
// arguments. cmd/nncc/hostile_test.go runs every case; docs/hostile-inputs.md
// lists them with nncc's answers.
//
// Regenerate (from the module root; the folder is replaced):
//
//	go run ./internal/tools/genhostile -o testdata/hostile
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
)

// hostileCase is one row of the case table.
type hostileCase struct {
	// Name is the folder name.
	Name string `json:"name"`
	// Group is the table section in docs/hostile-inputs.md.
	Group string `json:"group"`
	// What says what is wrong with the model or its inputs.
	What string `json:"what"`
	// Expect lists, separated by "|", substrings one of which nncc's error
	// must contain (both commands).
	Expect string `json:"expect"`
	// CheckExpect, when set, replaces Expect for `nncc check` (whose
	// inputs come from .pb files rather than the -i .npy files).
	CheckExpect string `json:"check_expect,omitempty"`
	// Outcome is "" when both commands must fail with Expect, or "runs"
	// for inputs nncc accepts (documented, not an error): then `nncc run`
	// must succeed and `nncc check` is not tried (there are no reference
	// outputs).
	Outcome string `json:"outcome,omitempty"`
	// RunArgs are extra `nncc run` arguments; "$DIR" stands for the case
	// folder.
	RunArgs []string `json:"run_args,omitempty"`

	build func(c *caseDir) error
}

func main() {
	out := flag.String("o", "testdata/hostile", "output folder (replaced)")
	flag.Parse()
	if err := generate(*out); err != nil {
		log.Fatal(err)
	}
}

func generate(out string) error {
	if _, err := os.Stat(filepath.Join(out, "cases.json")); err == nil {
		if err := os.RemoveAll(out); err != nil {
			return err
		}
	} else if ents, _ := os.ReadDir(out); len(ents) > 0 {
		return fmt.Errorf("%s exists and holds no cases.json; refusing to replace it", out)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	seen := map[string]bool{}
	var all []hostileCase
	for _, group := range [][]hostileCase{fileCases, externalCases, sparseCases, graphCases, opCases, mutatedCases, passCases, budgetCases, shapeCases, dataSizeCases, inputCases, internalCases, artifactCases} {
		all = append(all, group...)
	}
	for _, hc := range all {
		if seen[hc.Name] {
			return fmt.Errorf("case %s is defined twice", hc.Name)
		}
		seen[hc.Name] = true
		c := &caseDir{dir: filepath.Join(out, hc.Name)}
		if err := os.MkdirAll(c.dir, 0o755); err != nil {
			return err
		}
		if err := hc.build(c); err != nil {
			return fmt.Errorf("case %s: %w", hc.Name, err)
		}
		// nncc check needs a test data set even when the model fails to
		// load.
		if err := os.MkdirAll(filepath.Join(c.dir, "test_data_set_0"), 0o755); err != nil {
			return err
		}
	}
	b, err := json.MarshalIndent(all, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "cases.json"), append(b, '\n'), 0o644); err != nil {
		return err
	}
	fmt.Printf("wrote %d cases to %s\n", len(all), out)
	return checkSizes(out)
}

// maxFileBytes keeps the committed files small.
const maxFileBytes = 100 << 10

func checkSizes(out string) error {
	return filepath.Walk(out, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if fi.Mode().IsRegular() && fi.Size() > maxFileBytes {
			return fmt.Errorf("%s is %d bytes, more than %d", p, fi.Size(), maxFileBytes)
		}
		return nil
	})
}

// caseDir is the folder a case writes into.
type caseDir struct{ dir string }

func (c *caseDir) path(rel string) string { return filepath.Join(c.dir, filepath.FromSlash(rel)) }

func (c *caseDir) write(rel string, data []byte) error {
	p := c.path(rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, data, 0o644)
}

// symlink makes rel a symbolic link to target (taken literally).
func (c *caseDir) symlink(rel, target string) error {
	p := c.path(rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.Symlink(target, p)
}

// upToRepo is the relative path from a case folder to the module root
// (testdata/hostile/CASE → ../../..), used to aim escapes at a file that
// exists (go.mod) so that the error is the escape, not a missing file.
var upToRepo = strings.Repeat("../", 3)
