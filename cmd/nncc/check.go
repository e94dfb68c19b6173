package main

import (
	"flag"
	"fmt"
	"time"

	"github.com/nncc/nncc/conformance"
	"github.com/nncc/nncc/runtime"
)

func checkCmd(args []string) error {
	fs := flag.NewFlagSet("check", flag.ExitOnError)
	ref := fs.Bool("reference", false, "run the reference path (no optimising passes)")
	timeout := fs.Duration("timeout", 60*time.Second, "time limit per test")
	threads := fs.Int("threads", 1, "threads per session")
	quiet := fs.Bool("q", false, "print only failures and the summary")
	fs.Parse(args)
	if fs.NArg() == 0 {
		return fmt.Errorf("no test folders given")
	}
	tests, err := conformance.FindTests(fs.Args()...)
	if err != nil {
		return err
	}
	opts := runtime.Options{Threads: *threads, Reference: *ref}
	pass, fail := 0, 0
	for _, dir := range tests {
		r := conformance.RunTestTimeout(dir, opts, *timeout)
		if r.Pass {
			pass++
			if !*quiet {
				fmt.Printf("PASS %s\n", r.Name)
			}
		} else {
			fail++
			fmt.Printf("FAIL %s: %s\n", r.Name, r.Reason)
		}
	}
	fmt.Printf("%d passed, %d failed\n", pass, fail)
	if fail > 0 {
		return errFailed
	}
	return nil
}
