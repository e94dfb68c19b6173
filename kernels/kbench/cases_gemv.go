package kbench

import (
	"github.com/nncc/nncc/kernels/gemv"
	"github.com/nncc/nncc/kernels/isa"
	"github.com/nncc/nncc/kernels/sgemm"
)

// gemvCase is Y (m×n) = X (m×k) · Aᵀ + Y with A (n×k) packed by package
// gemv for the level being measured: a recurrent step at batch m. Bytes
// counts A once per pair of rows (how the kernel streams it) plus X and Y.
func gemvCase(m, n, k int) Case {
	rounds := (m + 1) / 2
	return Case{Kernel: "gemv", Bench: "Gemv", M: m, N: n, K: k, Threads: 1, Asm: true,
		Flops: 2 * float64(m) * float64(n) * float64(k), Elems: float64(m * n),
		Bytes: 4 * float64(rounds*n*k+m*k+2*m*n),
		Setup: func(sgemm.Pool) func() {
			a, x, y := randSlice(n*k, 11, 1), randSlice(m*k, 12, 1), make([]float32, m*n)
			p := gemv.Pack(isa.Current(), n, k, a, k)
			return func() { p.Mul(m, 1, x, k, 1, y, n) }
		}}
}
