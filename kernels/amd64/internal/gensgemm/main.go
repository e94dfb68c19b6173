// Command gensgemm generates the general-stride SGEMM micro-kernels of
// package amd64: Sgemm6x64GenAVX512 with its row variants (4 and 2 rows)
// and column variants (the first 16, 32 or 48 columns), and
// Sgemm6x16GenAVX2 with its row variants (4 and 2 rows), column variant
// (the first 8 columns) and the variant that runs its tiles down a column
// of C (Sgemm6x16DownGenAVX2: A panels bnext apart, one B micro-panel),
// one .s file per routine as the package's layout asks.
//
// Every variant is the same template (body below) with fewer rows or
// fewer vectors per row: the same prologue, the same k loop (four steps
// per iteration, then single steps), the same epilogue (alpha, beta*C,
// bias, ReLU, store) and tile advance. A variant's accumulators keep their
// places in its ISA's full 6-row tile, so the hot loop of every variant
// is the full kernel's with rows or columns left out. The ISA table gives
// the register file and vector width; the variant table gives the shapes.
//
// Run it from kernels/amd64 through go generate (see gen.go there):
//
//	go generate ./kernels/amd64
//
// which executes
//
//	go run ./internal/gensgemm -dir .
//
// The test in this directory fails if a committed .s file differs from the
// generator's output, or if a variant has no Go declaration or twin.
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
	for _, v := range variants() {
		path := filepath.Join(*dir, v.file())
		if err := os.WriteFile(path, generate(v), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "gensgemm:", err)
			os.Exit(1)
		}
	}
}
