package sgemm

import (
	"fmt"
	"os"
	"testing"

	"github.com/nncc/nncc/kernels/amd64"
)

func TestTuneKernel(t *testing.T) {
	if os.Getenv("NNCC_TUNE") == "" {
		t.Skip("set NNCC_TUNE=1")
	}
	for _, cfg := range []struct{ k, strips int }{{64, 1}, {128, 1}, {256, 1}, {384, 1}, {128, 16}, {256, 8}, {384, 8}, {384, 32}} {
		k, strips := cfg.k, cfg.strips
		a := make([]float32, 6*k)
		b := make([]float32, 64*k*strips)
		c := make([]float32, 6*64)
		reps := 20000
		g := median(5, func() float64 {
			d := onThreadCPU(1, func() {
				for r := range reps {
					s := r % strips
					amd64.Sgemm6x64AVX512(k, a, b[s*64*k:], c, 64, 1, 1, nil, 0)
				}
			})
			return float64(reps) * 2 * 6 * 64 * float64(k) / d.Seconds() / 1e9
		})
		fmt.Printf("6x64 k=%d strips=%d (B %d KB): %.1f GFLOPS\n", k, strips, 64*k*strips*4/1024, g)
	}
}
