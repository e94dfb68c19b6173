// Command gensoftmax generates the one-call AVX-512 softmax kernels of
// package amd64, VecSoftmax64AVX512 (rows of at most 64 elements) and
// VecSoftmax128AVX512 (65 to 128), one .s file each, from one template:
// the row is held in zmm registers, the first ones always full, the last
// four masked to the row's length; max, exp, sum and scale run on the
// registers with the same instructions, the 128-row kernel on twice as
// many.
//
// Run it from kernels/amd64 through go generate (see gen.go there):
//
//	go generate ./kernels/amd64
//
// which executes
//
//	go run ./internal/gensoftmax -dir .
//
// The test in this directory fails if a committed .s file differs from the
// generator's output.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	dir := flag.String("dir", ".", "directory the .s files are written to")
	flag.Parse()
	for _, k := range kernels {
		path := filepath.Join(*dir, k.file())
		if err := os.WriteFile(path, generate(k), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "gensoftmax:", err)
			os.Exit(1)
		}
	}
}
