package sgemm

import (
	"math/rand/v2"
	"testing"
)

// TestParallelCases runs small random products through the multi-threaded
// path (the size threshold lowered to zero): column and row cuts, shared
// packing of A and of B, B read in place, prepacked operands and sources.
func TestParallelCases(t *testing.T) {
	saved := serialWork
	serialWork = 0
	defer func() { serialWork = saved }()
	forEachLevel(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(17, 18))
		alphas := []float32{1, 0, -1, 0.5}
		betas := []float32{0, 1, -1, 0.5}
		for i := range 400 {
			g := gemmCase{
				tA: r.IntN(2) == 0, tB: r.IntN(2) == 0,
				m: 1 + r.IntN(130), n: 1 + r.IntN(200), k: r.IntN(90),
				alpha: alphas[r.IntN(len(alphas))], beta: betas[r.IntN(len(betas))],
				pad: r.IntN(3), bias: r.IntN(2) == 0, relu: r.IntN(2) == 0, hook: r.IntN(4) == 0,
				threads: 2 + r.IntN(3),
			}
			switch i % 3 {
			case 1:
				g.packed = true
			case 2:
				g.source = true
			}
			if i%7 == 0 {
				// A 4 KB row stride: B is packed even for few rows.
				g.tB, g.pad = false, 1024-g.n%1024
			}
			g.run(t, r)
		}
	})
}
