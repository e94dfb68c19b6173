// Command nncc compiles, runs, inspects, checks and benchmarks neural
// network models. Every feature it offers is a library call first; this
// package only parses flags and prints.
//
// Usage:
//
//	nncc compile MODEL.onnx -o MODEL.nnc [-isa ...] [-O0|-O1|-O2] [-emit go -pkg NAME]
//	nncc run MODEL [-i name=file.npy|file.pb ...] [-o DIR]
//	nncc inspect MODEL
//	nncc check [-reference] [-timeout D] DIR...
//	nncc bench MODEL [-threads N] [-json]
//	nncc passes
package main

import (
	"fmt"
	"os"
)

// command is one row of the subcommand table.
type command struct {
	name, usage string
	run         func(args []string) error
}

var commands []command

func init() {
	commands = []command{
		{"compile", "compile MODEL.onnx -o OUT [-isa auto|generic|avx2|avx512|neon] [-O0|-O1|-O2] [-emit nnc|go -pkg NAME]: write a compiled artifact or a Go package", compileCmd},
		{"run", "run MODEL [-i name=file ...] [-o DIR]: run a model (.onnx or a test folder) and summarise its outputs", runCmd},
		{"inspect", "inspect MODEL: inputs, outputs, opsets, op histogram, parameters, memory plan", inspectCmd},
		{"check", "check [-reference] DIR...: run ONNX test folders and compare outputs", checkCmd},
		{"bench", "bench MODEL [-threads N] [-json]: time repeated runs (median, p90, min, throughput, memory)", benchCmd},
		{"passes", "passes: list the optimisation passes in order", passesCmd},
		{"kernels", "kernels [-json] [-isa LIST] [-k LIST]: measure the FMA peak, SGEMM and vector kernels per ISA level", kernelsCmd},
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: nncc COMMAND [flags] ARGS")
	for _, c := range commands {
		fmt.Fprintf(os.Stderr, "  nncc %s\n", c.usage)
	}
}

func main() {
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	for _, c := range commands {
		if c.name == os.Args[1] {
			if err := c.run(os.Args[2:]); err != nil {
				if err != errFailed {
					fmt.Fprintln(os.Stderr, "nncc "+c.name+": "+err.Error())
				}
				os.Exit(1)
			}
			return
		}
	}
	if os.Args[1] == "help" || os.Args[1] == "-h" || os.Args[1] == "--help" {
		usage()
		return
	}
	fmt.Fprintf(os.Stderr, "nncc: unknown command %q\n", os.Args[1])
	usage()
	os.Exit(2)
}

// errFailed reports a failure already printed.
var errFailed = fmt.Errorf("failed")
