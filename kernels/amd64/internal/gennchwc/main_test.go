package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// committed is the generated file, relative to this package's directory.
const committed = "../../nchwc_conv_avx512_amd64.s"

// TestCommittedUpToDate fails when nchwc_conv_avx512_amd64.s differs from the
// generator's output, i.e. one was edited without the other.
func TestCommittedUpToDate(t *testing.T) {
	want, err := os.ReadFile(committed)
	if err != nil {
		t.Fatal(err)
	}
	got := generate()
	if bytes.Equal(got, want) {
		return
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
			t.Fatalf("%s is stale at line %d:\n generated: %q\n committed: %q\nrun `go generate ./kernels/amd64`", committed, i+1, gl, wl)
		}
	}
	t.Fatalf("%s differs from the generator output; run `go generate ./kernels/amd64`", committed)
}

// TestVariants checks that every (F, NP) variant the dispatch jumps to is
// defined exactly once, and that no variant uses more than the 32 zmm
// registers (accumulators start at Z8).
func TestVariants(t *testing.T) {
	src := string(generate())
	for _, f := range blockCounts {
		for _, np := range pixelCounts {
			lab := "f" + itoa(f) + "n" + itoa(np)
			if n := strings.Count(src, "\n"+lab+":\n"); n != 1 {
				t.Errorf("label %s defined %d times", lab, n)
			}
			if !strings.Contains(src, "  "+lab+"\n") {
				t.Errorf("variant %s is never dispatched to", lab)
			}
			if top := 8 + np*f - 1; top > 31 {
				t.Errorf("variant %s needs Z%d", lab, top)
			}
		}
	}
}

func itoa(i int) string { return string(rune('0' + i)) }
