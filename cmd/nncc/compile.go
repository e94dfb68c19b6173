package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/nncc/nncc/codegen"
	"github.com/nncc/nncc/frontend/onnx"
	"github.com/nncc/nncc/runtime"
)

// listFlag collects comma-separated or repeated names.
type listFlag []string

func (f *listFlag) String() string { return strings.Join(*f, ",") }
func (f *listFlag) Set(v string) error {
	*f = append(*f, strings.Split(v, ",")...)
	return nil
}

func compileCmd(args []string) error {
	fs := flag.NewFlagSet("compile", flag.ExitOnError)
	out := fs.String("o", "", "output: the .nnc file, or the package folder with -emit go")
	isa := fs.String("isa", "auto", "target ISA: auto, generic, avx2, avx512, neon")
	o0 := fs.Bool("O0", false, "reference passes only (inference and shape folding)")
	fs.Bool("O1", false, "the default pass table")
	fs.Bool("O2", false, "every pass (currently the same as -O1)")
	emit := fs.String("emit", "nnc", "what to write: nnc (an artifact) or go (a Go package embedding one)")
	pkg := fs.String("pkg", "model", "package name for -emit go")
	var disable, dump, dims, inShapes listFlag
	fs.Var(&disable, "disable", "pass `NAME`s to skip (see nncc passes)")
	fs.Var(&dump, "dump-after", "print the graph after pass `NAME` (or all)")
	fs.Var(&dims, "shape", "store the plan for symbolic dimension `NAME=SIZE` (repeatable, e.g. batch=8); default: every symbolic dimension 1, plus the shapes of the model folder's test data")
	fs.Var(&inShapes, "input-shape", "store the plan for input `NAME=D0xD1x...` (repeatable, e.g. input_0=1x3x224x224)")
	noPlan := fs.Bool("no-stored-plan", false, "store no shape-specialised plan (only the generic graph and the weight transforms)")
	model, rest := splitModelArg(args)
	fs.Parse(rest)
	if model == "" {
		if fs.NArg() != 1 {
			return fmt.Errorf("usage: nncc compile MODEL.onnx -o OUT [-isa ...] [-O0|-O1|-O2] [-emit nnc|go -pkg NAME]")
		}
		model = fs.Arg(0)
	}
	if *out == "" {
		return fmt.Errorf("-o is required")
	}
	g, err := onnx.Load(model)
	if err != nil {
		return err
	}
	opts := runtime.Options{Reference: *o0, DisablePasses: disable, VerifyPasses: true, DumpAfter: dump, Dump: os.Stdout}
	sp, err := specializeFlags(dims, inShapes)
	if err != nil {
		return err
	}
	sp.None = *noPlan
	if len(dims) == 0 && len(inShapes) == 0 {
		dir := model
		if fi, err := os.Stat(model); err != nil || !fi.IsDir() {
			dir = filepath.Dir(model)
		}
		sp.Also = runtime.TestDataShapes(dir, g)
	}
	data, err := runtime.CompileSpecialized(g, opts, *isa, sp)
	if err != nil {
		return err
	}
	switch *emit {
	case "nnc":
		if err := os.WriteFile(*out, data, 0o644); err != nil {
			return err
		}
		fmt.Printf("wrote %s (%d bytes)\n", *out, len(data))
	case "go":
		files, err := codegen.EmitGo(data, codegen.GoOptions{Package: *pkg})
		if err != nil {
			return err
		}
		if err := os.MkdirAll(*out, 0o755); err != nil {
			return err
		}
		for name, body := range files {
			if err := os.WriteFile(filepath.Join(*out, name), body, 0o644); err != nil {
				return err
			}
		}
		fmt.Printf("wrote package %s in %s\n", *pkg, *out)
	default:
		return fmt.Errorf("-emit %q: want nnc or go", *emit)
	}
	return nil
}

// specializeFlags parses -shape NAME=SIZE and -input-shape NAME=D0xD1...
// into a runtime.Specialize.
func specializeFlags(dims, inShapes []string) (runtime.Specialize, error) {
	var sp runtime.Specialize
	for _, d := range dims {
		name, size, ok := strings.Cut(d, "=")
		n, err := strconv.ParseInt(size, 10, 64)
		if !ok || name == "" || err != nil || n < 0 {
			return sp, fmt.Errorf("-shape %q: want NAME=SIZE, e.g. batch=8", d)
		}
		if sp.Dims == nil {
			sp.Dims = map[string]int64{}
		}
		sp.Dims[name] = n
	}
	for _, in := range inShapes {
		name, dimsText, ok := strings.Cut(in, "=")
		if !ok || name == "" {
			return sp, fmt.Errorf("-input-shape %q: want NAME=D0xD1x..., e.g. input_0=1x3x224x224", in)
		}
		var shape []int64
		if dimsText != "" {
			for _, f := range strings.Split(dimsText, "x") {
				n, err := strconv.ParseInt(f, 10, 64)
				if err != nil || n < 0 {
					return sp, fmt.Errorf("-input-shape %q: dimension %q is not a size", in, f)
				}
				shape = append(shape, n)
			}
		}
		if sp.Inputs == nil {
			sp.Inputs = map[string][]int64{}
		}
		sp.Inputs[name] = shape
	}
	return sp, nil
}
