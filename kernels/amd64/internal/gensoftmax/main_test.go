package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// pkgDir is package amd64's directory, relative to this package's.
const pkgDir = "../.."

// TestCommittedUpToDate fails when a committed .s file differs from the
// generator's output, i.e. one was edited without the other.
func TestCommittedUpToDate(t *testing.T) {
	for _, k := range kernels {
		path := filepath.Join(pkgDir, k.file())
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		got := generate(k)
		if bytes.Equal(got, want) {
			continue
		}
		g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(g) || i < len(w); i++ {
			var gl, wl string
			if i < len(g) {
				gl = g[i]
			}
			if i < len(w) {
				wl = w[i]
			}
			if gl != wl {
				t.Errorf("%s is stale at line %d:\n generated: %q\n committed: %q\nrun `go generate ./kernels/amd64`", path, i+1, gl, wl)
				break
			}
		}
	}
}

// TestShapes checks the assumptions of the template: the row is 16 lanes
// per register; the full registers sum pairwise into the two accumulators
// (none or four of them); four masked registers (K1-K4, the four exp
// chains); a power-of-two register count for the max tree; and the
// temporaries (three per exp chain) stay below Z29 (m) and Z30/Z31 (the
// exp constants).
func TestShapes(t *testing.T) {
	for _, k := range kernels {
		n := k.regs()
		switch {
		case k.max != 16*n:
			t.Errorf("%s: %d registers for %d elements", k.name(), n, k.max)
		case k.full != 0 && k.full != 4:
			t.Errorf("%s: %d full registers, want 0 or 4", k.name(), k.full)
		case k.masked != 4:
			t.Errorf("%s: %d masked registers, want 4", k.name(), k.masked)
		case n&(n-1) != 0:
			t.Errorf("%s: %d registers is not a power of two", k.name(), n)
		case n+12 > 29:
			t.Errorf("%s: temporaries up to Z%d reach Z29", k.name(), n+11)
		}
	}
}

// TestDeclarations checks that every routine has its Go declaration.
func TestDeclarations(t *testing.T) {
	decl, err := os.ReadFile(filepath.Join(pkgDir, "vec_softmax64_decl_amd64.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range kernels {
		if !strings.Contains(string(decl), "\nfunc "+k.name()+"(dst, x []float32)\n") {
			t.Errorf("%s: no declaration in vec_softmax64_decl_amd64.go", k.name())
		}
	}
}
