//go:build linux

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// The hostile models of testdata/hostile (written by
// internal/tools/genhostile, listed in its cases.json) must each get a
// clear one-line error from the real nncc binary, `nncc run` and
// `nncc check` alike: a non-zero exit, no "panic:" or goroutine dump,
// within hostileTimeout and an address space of hostileMemory.
//
// Linux only: the memory limit is an RLIMIT_AS.
//
// Set NNCC_HOSTILE_TABLE=FILE to write the answers as the Markdown table
// of docs/hostile-inputs.md.

const (
	hostileTimeout = 5 * time.Second
	hostileMemory  = 1 << 30
)

type hostileCase struct {
	Name        string   `json:"name"`
	Group       string   `json:"group"`
	What        string   `json:"what"`
	Expect      string   `json:"expect"`
	CheckExpect string   `json:"check_expect"`
	Outcome     string   `json:"outcome"`
	RunArgs     []string `json:"run_args"`
}

var (
	nnccOnce sync.Once
	nnccBin  string
	nnccErr  error
)

// buildNncc builds the command once per test binary into a temporary
// folder.
func buildNncc(t *testing.T) string {
	t.Helper()
	nnccOnce.Do(func() {
		dir, err := os.MkdirTemp("", "nncc-hostile-")
		if err != nil {
			nnccErr = err
			return
		}
		nnccBin = filepath.Join(dir, "nncc")
		out, err := exec.Command("go", "build", "-o", nnccBin, ".").CombinedOutput()
		if err != nil {
			nnccErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if nnccErr != nil {
		t.Fatal(nnccErr)
	}
	return nnccBin
}

// result is what one nncc invocation did.
type result struct {
	code           int
	stdout, stderr string
	elapsed        time.Duration
	timedOut       bool
}

// runLimited runs nncc with args under the time and memory limits. The
// memory limit is set by sh's ulimit -v (RLIMIT_AS, in KiB) right before
// it execs nncc, so it applies to nncc alone.
func runLimited(t *testing.T, bin string, args ...string) result {
	ctx, cancel := context.WithTimeout(context.Background(), hostileTimeout)
	defer cancel()
	script := fmt.Sprintf(`ulimit -v %d && exec "$0" "$@"`, hostileMemory>>10)
	cmd := exec.CommandContext(ctx, "/bin/sh", append([]string{"-c", script, bin}, args...)...)
	var so, se bytes.Buffer
	cmd.Stdout, cmd.Stderr = &so, &se
	start := time.Now()
	err := cmd.Run()
	r := result{stdout: so.String(), stderr: se.String(), elapsed: time.Since(start)}
	var ee *exec.ExitError
	switch {
	case ctx.Err() != nil:
		r.timedOut = true
		r.code = -1
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	case err != nil:
		t.Fatalf("running nncc: %v", err)
	}
	return r
}

// crashed reports signs of a panic or runtime crash in the output.
func crashed(r result) string {
	all := r.stdout + r.stderr
	for _, s := range []string{"panic:", "goroutine ", "fatal error:", "BUG"} {
		if strings.Contains(all, s) {
			return s
		}
	}
	return ""
}

func matchesAny(msg, expect string) bool {
	if expect == "" {
		return true
	}
	for _, e := range strings.Split(expect, "|") {
		if strings.Contains(msg, e) {
			return true
		}
	}
	return false
}

func TestHostileModels(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", "..", "testdata", "hostile"))
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(root, "cases.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []hostileCase
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	bin := buildNncc(t)

	var mu sync.Mutex
	answers := map[string][2]string{} // case → run answer, check answer
	if path := os.Getenv("NNCC_HOSTILE_TABLE"); path != "" {
		t.Cleanup(func() { writeHostileTable(t, path, cases, answers) })
	}

	for _, hc := range cases {
		t.Run(hc.Name, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(root, hc.Name)
			args := []string{"run", dir}
			for _, a := range hc.RunArgs {
				args = append(args, strings.ReplaceAll(a, "$DIR", dir))
			}
			r := runLimited(t, bin, args...)
			runAnswer := checkRun(t, hc, r)
			checkAnswer := "—"
			if hc.Outcome != "runs" {
				checkAnswer = checkCheck(t, hc, runLimited(t, bin, "check", dir))
			}
			mu.Lock()
			answers[hc.Name] = [2]string{runAnswer, checkAnswer}
			mu.Unlock()
		})
	}
}

// checkRun checks a `nncc run` result and returns its answer for the
// table.
func checkRun(t *testing.T, hc hostileCase, r result) string {
	t.Helper()
	if r.timedOut {
		t.Errorf("nncc run: still running after %v (killed)", hostileTimeout)
		return fmt.Sprintf("**hangs** (killed after %v)", hostileTimeout)
	}
	if s := crashed(r); s != "" {
		t.Errorf("nncc run: crashed (%q in output), exit %d:\n%s", s, r.code, tail(r.stderr+r.stdout))
		return fmt.Sprintf("**crashes** (%s)", firstLine(r.stderr))
	}
	if hc.Outcome == "runs" {
		if r.code != 0 {
			t.Errorf("nncc run: exit %d, expected the model to run: %s", r.code, r.stderr)
		}
		return "runs: " + strings.TrimSpace(firstLine(r.stdout))
	}
	msg := strings.TrimSpace(r.stderr)
	if r.code == 0 {
		t.Errorf("nncc run: exit status 0, expected an error matching %q; output:\n%s", hc.Expect, tail(r.stdout))
		return "**accepted**: " + firstLine(r.stdout)
	}
	if strings.Contains(msg, "\n") || !strings.HasPrefix(msg, "nncc run: ") {
		t.Errorf("nncc run: expected one line \"nncc run: ...\" on stderr, got:\n%s", tail(msg))
	}
	if !matchesAny(msg, hc.Expect) {
		t.Errorf("nncc run: error does not mention %q:\n%s", hc.Expect, msg)
	}
	return strings.TrimPrefix(firstLine(msg), "nncc run: ")
}

// checkCheck checks a `nncc check` result: a FAIL line naming the reason
// and a non-zero exit.
func checkCheck(t *testing.T, hc hostileCase, r result) string {
	t.Helper()
	if r.timedOut {
		t.Errorf("nncc check: still running after %v (killed)", hostileTimeout)
		return fmt.Sprintf("**hangs** (killed after %v)", hostileTimeout)
	}
	if s := crashed(r); s != "" {
		t.Errorf("nncc check: crashed (%q in output), exit %d:\n%s", s, r.code, tail(r.stderr+r.stdout))
		return "**crashes**"
	}
	if r.code == 0 {
		t.Errorf("nncc check: exit status 0:\n%s", tail(r.stdout))
		return "**passes**"
	}
	if strings.TrimSpace(r.stderr) != "" {
		t.Errorf("nncc check: unexpected stderr:\n%s", tail(r.stderr))
	}
	var fail string
	for _, l := range strings.Split(r.stdout, "\n") {
		if strings.HasPrefix(l, "FAIL ") {
			fail = l
		}
	}
	want := hc.Expect
	if hc.CheckExpect != "" {
		want = hc.CheckExpect
	}
	if fail == "" {
		t.Errorf("nncc check: no FAIL line:\n%s", tail(r.stdout))
	} else if !matchesAny(fail, want) {
		t.Errorf("nncc check: FAIL line does not mention %q:\n%s", want, fail)
	}
	return strings.TrimPrefix(fail, "FAIL "+hc.Name+": ")
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

func tail(s string) string {
	if len(s) > 2000 {
		return "..." + s[len(s)-2000:]
	}
	return s
}

// writeHostileTable writes the answers as Markdown, one table per group.
func writeHostileTable(t *testing.T, path string, cases []hostileCase, answers map[string][2]string) {
	var b strings.Builder
	groups := map[string][]hostileCase{}
	var order []string
	for _, hc := range cases {
		if _, ok := groups[hc.Group]; !ok {
			order = append(order, hc.Group)
		}
		groups[hc.Group] = append(groups[hc.Group], hc)
	}
	root, _ := filepath.Abs(filepath.Join("..", "..", "testdata", "hostile"))
	module := filepath.Dir(filepath.Dir(root))
	clean := func(s string) string {
		s = strings.ReplaceAll(s, root+string(filepath.Separator), "")
		s = strings.ReplaceAll(s, module+string(filepath.Separator), "<module>/")
		s = strings.ReplaceAll(s, "|", `\|`)
		return s
	}
	for _, g := range order {
		fmt.Fprintf(&b, "### %s\n\n| case | bad input | `nncc run` answers |\n|---|---|---|\n", g)
		list := groups[g]
		for _, hc := range list {
			a := answers[hc.Name]
			fmt.Fprintf(&b, "| `%s` | %s | %s |\n", hc.Name, clean(hc.What), clean(a[0]))
		}
		b.WriteString("\n")
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Error(err)
	}
}
