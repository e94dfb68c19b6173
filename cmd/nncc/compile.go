package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
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
	var disable, dump listFlag
	fs.Var(&disable, "disable", "pass `NAME`s to skip (see nncc passes)")
	fs.Var(&dump, "dump-after", "print the graph after pass `NAME` (or all)")
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
	data, err := runtime.Compile(g, opts, *isa)
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
