package main

import (
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/nncc/nncc/conformance"
	"github.com/nncc/nncc/frontend/npy"
	"github.com/nncc/nncc/frontend/onnx"
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/runtime"
)

// inputFlags collects repeated -i name=file flags.
type inputFlags []string

func (f *inputFlags) String() string     { return strings.Join(*f, ",") }
func (f *inputFlags) Set(v string) error { *f = append(*f, v); return nil }

func runCmd(args []string) error {
	fs := flag.NewFlagSet("run", flag.ExitOnError)
	var inputs inputFlags
	fs.Var(&inputs, "i", "input `name=file` (.npy or .pb); repeatable")
	outDir := fs.String("o", "", "write each output as DIR/NAME.npy")
	threads := fs.Int("threads", 0, "threads (0: all CPUs)")
	ref := fs.Bool("reference", false, "run the reference path")
	isaName := fs.String("isa", "auto", "kernel ISA level: auto, generic, avx2, avx512, neon (a .nnc file runs at its own)")
	model, rest := splitModelArg(args)
	fs.Parse(rest)
	if model == "" {
		if fs.NArg() != 1 {
			return fmt.Errorf("usage: nncc run MODEL [-isa LEVEL] [-i name=file ...] [-o DIR]")
		}
		model = fs.Arg(0)
	}
	sess, err := runtime.Load(model, runtime.Options{Threads: *threads, Reference: *ref, ISA: *isaName})
	if err != nil {
		return err
	}
	defer sess.Close()

	feeds := map[string]*ir.Tensor{}
	testSet := ""
	if fi, err := os.Stat(model); err == nil && fi.IsDir() && len(inputs) == 0 {
		testSet = filepath.Join(model, "test_data_set_0")
		feeds, err = conformance.LoadInputs(sess, testSet)
		if err != nil {
			return err
		}
	}
	for _, spec := range inputs {
		name, file, ok := strings.Cut(spec, "=")
		if !ok {
			return fmt.Errorf("-i %q: want name=file", spec)
		}
		t, err := readInput(sess, name, file)
		if err != nil {
			return err
		}
		feeds[name] = t
	}
	outs, err := sess.Run(context.Background(), feeds)
	if err != nil {
		return err
	}
	failed := false
	for i, o := range sess.Outputs() {
		t := outs[o.Name]
		fmt.Printf("%s: %s\n", o.Name, summary(t))
		if testSet != "" {
			want, err := onnx.ReadValueFile(filepath.Join(testSet, fmt.Sprintf("output_%d.pb", i)), o.Type)
			if err == nil {
				if err := conformance.Compare(want, t); err != nil {
					fmt.Printf("  MISMATCH against %s: %v\n", filepath.Base(testSet), err)
					failed = true
				} else {
					fmt.Printf("  matches %s (rtol %g, atol %g)\n", filepath.Base(testSet), conformance.Rtol, conformance.Atol)
				}
			}
		}
		if *outDir != "" {
			if err := writeNpy(filepath.Join(*outDir, safeName(o.Name)+".npy"), t); err != nil {
				return err
			}
		}
	}
	if failed {
		return errFailed
	}
	return nil
}

// splitModelArg lets the model path come before the flags.
func splitModelArg(args []string) (string, []string) {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		return args[0], args[1:]
	}
	return "", args
}

func readInput(sess *runtime.Session, name, file string) (*ir.Tensor, error) {
	var want *runtime.IOInfo
	for _, in := range sess.Inputs() {
		if in.Name == name {
			in := in
			want = &in
		}
	}
	if want == nil {
		return nil, fmt.Errorf("-i %s: the model has no input %q", name, name)
	}
	if strings.HasSuffix(file, ".npy") {
		f, err := os.Open(file)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		t, err := npy.Read(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		return t, nil
	}
	return onnx.ReadValueFile(file, want.Type)
}

func writeNpy(path string, t *ir.Tensor) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := npy.Write(f, t); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	return f.Close()
}

func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == ':' || r == 0 {
			return '_'
		}
		return r
	}, s)
}

// summary prints dtype, shape and, for numeric tensors, min/max/mean.
func summary(t *ir.Tensor) string {
	if t == nil {
		return "<none>"
	}
	if t.Kind != ir.KindTensor || t.DType == ir.String || t.DType == ir.Complex64 || t.DType == ir.Complex128 {
		return t.String()
	}
	n := t.Len()
	s := fmt.Sprintf("%v %v", t.DType, t.Shape)
	if n == 0 {
		return s + " (empty)"
	}
	lo, hi, sum := math.Inf(1), math.Inf(-1), 0.0
	for i := 0; i < n; i++ {
		v := t.Float64At(i)
		lo, hi, sum = math.Min(lo, v), math.Max(hi, v), sum+v
	}
	return fmt.Sprintf("%s min %.6g max %.6g mean %.6g  %s", s, lo, hi, sum/float64(n), t.String()[len(fmt.Sprintf("%v%v ", t.DType, t.Shape)):])
}
