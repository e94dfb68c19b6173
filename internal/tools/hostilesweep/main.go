// Command hostilesweep mutates whole ONNX models at the file level and runs
// each mutant through the real nncc binary (`nncc run DIR`: load, passes,
// plan, Run on the folder's test_data_set_0) under an address-space limit
// and a timeout, counting the answers: ran, a clear error, a crash (a
// panic, a fatal error, BUG, a signal) or a hang. The semantic sweep in
// runtime/mutate_test.go changes one attribute or input at a time in
// process; this one changes what a hostile file changes — dims and dtypes
// of initializers, external-data locations, offsets and lengths,
// symlinks, truncated files, nesting depth, old opsets, duplicate names,
// cycles — and watches the process from outside, so an out-of-memory kill
// counts.
//
//	go build -o /tmp/nncc ./cmd/nncc
//	go run ./internal/tools/hostilesweep -nncc /tmp/nncc -o /tmp/sweep DIR...
//
// Each DIR holds model.onnx and test_data_set_0 (a genmodels catalogue
// folder, a real model). Mutants that crash or hang are kept under
// -o/keep/ with the stderr of their run; the summary counts the answers
// per mutation class.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"google.golang.org/protobuf/proto"

	pb "github.com/nncc/nncc/frontend/onnx/onnxpb"
)

func main() {
	bin := flag.String("nncc", "", "the nncc binary to run (required)")
	out := flag.String("o", "", "work folder (required; mutants are written here)")
	memKiB := flag.Int("mem", 2<<20, "address-space limit of each run, in KiB (ulimit -v)")
	timeout := flag.Duration("timeout", 20*time.Second, "time limit of each run")
	par := flag.Int("j", 2, "runs in parallel")
	only := flag.String("class", "", "run only mutation classes whose name contains this")
	verbose := flag.Bool("v", false, "print every mutant's answer")
	flag.Parse()
	if *bin == "" || *out == "" || flag.NArg() == 0 {
		log.Fatal("usage: hostilesweep -nncc BIN -o DIR MODELDIR...")
	}
	s := &sweep{bin: *bin, out: *out, memKiB: *memKiB, timeout: *timeout, verbose: *verbose, counts: map[string]*[nOutcomes]int{}}
	jobs := make(chan job)
	var wg sync.WaitGroup
	for range max(*par, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				s.run(j)
			}
		}()
	}
	n := 0
	for _, dir := range flag.Args() {
		data, err := os.ReadFile(filepath.Join(dir, "model.onnx"))
		if err != nil {
			log.Fatal(err)
		}
		m := &pb.ModelProto{}
		if err := proto.Unmarshal(data, m); err != nil {
			log.Fatalf("%s: %v", dir, err)
		}
		for _, mu := range mutations(m, data) {
			if *only != "" && !strings.Contains(mu.class, *only) {
				continue
			}
			n++
			jobs <- job{src: dir, id: n, mut: mu}
		}
	}
	close(jobs)
	wg.Wait()
	s.report(os.Stdout)
}

// outcome is how nncc answered one mutant.
type outcome int

const (
	ran outcome = iota
	clearError
	crashed
	hung
	nOutcomes
)

var outcomeNames = [nOutcomes]string{"ran", "error", "crash", "hang"}

// job is one mutant of the model in src.
type job struct {
	src string
	id  int
	mut mutant
}

type sweep struct {
	bin     string
	out     string
	memKiB  int
	timeout time.Duration
	verbose bool

	mu      sync.Mutex
	counts  map[string]*[nOutcomes]int
	bad     []string
	retried int // timed out once, then finished
}

// run writes the mutant's folder, runs nncc on it and records the answer;
// a folder that ran or failed cleanly is removed again.
func (s *sweep) run(j job) {
	dir := filepath.Join(s.out, fmt.Sprintf("m%05d_%s_%s", j.id, filepath.Base(j.src), j.mut.class))
	if err := s.write(dir, j); err != nil {
		log.Printf("%s: %v", dir, err)
		return
	}
	o, stderr := s.exec(dir)
	retried := false
	if o == hung {
		// On a loaded machine a run at nice 19 can be starved past the
		// limit: a hang must repeat to count.
		o, stderr = s.exec(dir)
		retried = true
	}
	s.mu.Lock()
	if retried && o != hung {
		s.retried++
	}
	c := s.counts[j.mut.class]
	if c == nil {
		c = new([nOutcomes]int)
		s.counts[j.mut.class] = c
	}
	c[o]++
	if s.verbose {
		fmt.Fprintf(os.Stderr, "%s %s (%s): %s\n", outcomeNames[o], dir, j.mut.what, firstLines(stderr, 1))
	}
	if o == crashed || o == hung {
		line := fmt.Sprintf("%s %s (%s): %s", outcomeNames[o], dir, j.mut.what, firstLines(stderr, 3))
		s.bad = append(s.bad, line)
		fmt.Fprintln(os.Stderr, line)
	}
	s.mu.Unlock()
	if o == crashed || o == hung {
		_ = os.WriteFile(filepath.Join(dir, "stderr.txt"), stderr, 0o644)
		return
	}
	_ = os.RemoveAll(dir)
}

// write makes the mutant's folder: model.onnx, the source's test data
// (linked) and whatever files the mutation adds.
func (s *sweep) write(dir string, j job) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	abs, err := filepath.Abs(filepath.Join(j.src, "test_data_set_0"))
	if err != nil {
		return err
	}
	if err := os.Symlink(abs, filepath.Join(dir, "test_data_set_0")); err != nil {
		return err
	}
	for name, data := range j.mut.files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return err
		}
	}
	for name, target := range j.mut.links {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			return err
		}
	}
	return os.WriteFile(filepath.Join(dir, "model.onnx"), j.mut.model, 0o644)
}

// exec runs `nncc run dir` under the limits and classifies the answer.
func (s *sweep) exec(dir string) (outcome, []byte) {
	ctx, cancel := context.WithTimeout(context.Background(), s.timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "-c", fmt.Sprintf("ulimit -v %d && exec \"$0\" run \"$1\" -threads 1", s.memKiB), s.bin, dir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.Stdout = nil
	err := cmd.Run()
	if ctx.Err() != nil {
		return hung, stderr.Bytes()
	}
	msg := stderr.String()
	bad := strings.Contains(msg, "panic:") || strings.Contains(msg, "fatal error:") ||
		strings.Contains(msg, "goroutine ") || strings.Contains(msg, "BUG") || strings.Contains(msg, "internal error")
	var ee *exec.ExitError
	switch {
	case bad:
		return crashed, stderr.Bytes()
	case err == nil:
		return ran, stderr.Bytes()
	case errors.As(err, &ee) && ee.ExitCode() == 1:
		return clearError, stderr.Bytes()
	}
	return crashed, stderr.Bytes()
}

func firstLines(b []byte, n int) string {
	lines := strings.SplitN(strings.TrimSpace(string(b)), "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, " | ")
}

// report prints the counts per class and the bad mutants.
func (s *sweep) report(w *os.File) {
	classes := make([]string, 0, len(s.counts))
	for c := range s.counts {
		classes = append(classes, c)
	}
	sort.Strings(classes)
	var total [nOutcomes]int
	fmt.Fprintf(w, "%-24s %7s %7s %7s %7s\n", "class", outcomeNames[0], outcomeNames[1], outcomeNames[2], outcomeNames[3])
	for _, c := range classes {
		n := s.counts[c]
		fmt.Fprintf(w, "%-24s %7d %7d %7d %7d\n", c, n[0], n[1], n[2], n[3])
		for i := range total {
			total[i] += n[i]
		}
	}
	fmt.Fprintf(w, "%-24s %7d %7d %7d %7d\n", "total", total[0], total[1], total[2], total[3])
	fmt.Fprintf(w, "%d runs timed out once and finished when run again\n", s.retried)
	for _, b := range s.bad {
		fmt.Fprintln(w, b)
	}
}
