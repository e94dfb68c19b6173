// Package gemv is nncc's matrix-vector product with a prepacked matrix,
// and its small-batch form: for m = 1..4 (or more) rows of x,
//
//	y[i, j] = alpha * Σ_q A[j, q] * x[i, q] + beta * y[i, j]   (i < m, j < n)
//
// that is Y = alpha·X·Aᵀ + beta·Y with A an n×k matrix packed once, at
// compile time (a recurrent layer's R, or a Dense layer's weights at batch
// 1). The recurrent step of an LSTM or GRU with batch 1 or 2 is exactly
// this product, which a general SGEMM runs badly: its micro-tiles are 6 or
// more rows tall, so most of each tile is padding.
//
// # Layout
//
// A is cut into panels of width consecutive rows (outputs); each panel is
// stored k×width, step q holding A[p·width .. p·width+width-1, q]
// contiguously, zero past row n. A kernel keeps a panel's width outputs
// for two rows of x in registers, streams the panel once and broadcasts
// each x value: 2·width FLOPs per width·4 bytes of A, so for batch 1-2 the
// product is bound by how fast A streams from cache, not by the FMAs.
// The width matches the ISA the matrix is packed for (64 = four zmm
// registers for AVX-512, 32 = four ymm for AVX2, 16 = four q registers for
// NEON and for the portable Go kernel); rows of x beyond two are handled
// in pairs, streaming A again, except that a level with a four-row kernel
// (AVX-512: 16 accumulators) takes groups of four rows in one stream.
//
// # Dispatch
//
// Pack takes the ISA level (the one the session compiles for) and the
// Packed value remembers it: Mul runs that level's assembly (package
// amd64) when the CPU has it, otherwise a portable Go loop over the same
// layout. The assembly kernels and their pure-Go twins live in packages
// amd64 and arm64 (gemv_*); this package adds packing, the tail panel and
// the loop over pairs of rows. Nothing here allocates after Pack or starts
// goroutines. Callers that split a product over threads do it by whole
// panels of outputs with MulCols, which computes each output exactly as
// Mul does (a Dense layer's large product, kernels/gemm_gemv.go; a
// recurrent step's, by hidden units, kernels/rnn_team.go).
package gemv
