// Package qgemm computes exact 8-bit integer matrix products for the
// quantized operators (ConvInteger, MatMulInteger, QLinearConv,
// QLinearMatMul with constant weights):
//
//	Y[m, j] = Σ_{k<K} (B[k, j] − xz) · (W[m, k] − wz[m])      (int32, wrapping)
//
// W (M×K) is the constant weight matrix, signed or unsigned bytes with a
// zero point per row (or one for all), prepacked once by PackWeights; B
// (K×N) is the activations, unsigned bytes with one zero point xz,
// produced block by block by a Source (a convolution's patch matrix, a
// transposed matrix product's operand). Signed activations are handled by
// the caller flipping their top bit (x + 128) and adding 128 to xz.
//
// The micro-kernel multiplies unsigned by signed bytes (VPDPBUSD on
// AVX-512 VNNI), so the weights are stored as ws = W − off with off = 128
// for unsigned weights and 0 for signed ones, and the rest is folded into
// corrections computed once:
//
//	Y = Σ_k B·ws + (off − wz[m]) · Σ_k B[k, j] − xz · Σ_k (W[m, k] − wz[m])
//
// the column sums Σ_k B[k, j] come out of packing B, the row sums of the
// shifted weights out of PackWeights. Every sum is taken modulo 2^32 (Go's
// int32 arithmetic and VPDPBUSD both wrap), so the result equals the
// exact integer whenever that fits in int32, for any K, and is otherwise
// the exact value truncated to 32 bits: the same rule as the int32 loops
// of the reference kernels.
//
// Products are cut along N into blocks that fit in the L2 cache; the
// threads of the pool take blocks, and each packs its block's columns of
// B (interleaved in groups of 4 taps) and runs the 8×32 tile kernel over
// all of W's rows.
package qgemm
