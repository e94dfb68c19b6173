// Package vecmath holds nncc's vectorised float32 kernels below the op
// level: transcendental functions, row operations (softmax, log-softmax,
// layer normalisation), reductions, elementwise binary operations with
// their broadcast fast paths, in-place activations, 2-D pooling,
// depthwise convolution and im2col. Op kernels in package kernels call
// these on float32 data; the functions themselves know nothing of
// tensors or graphs.
//
// # Dispatch
//
// The hot routines have AVX-512 and AVX2+FMA assembly in kernels/amd64
// (files vec_*_amd64.s) and, for part of them, NEON assembly in
// kernels/arm64 (vec_*_neon_arm64.s: exp, sigmoid, the softmax exp+sum
// pass, the reductions and the binary ops; tanh, erf and both GELUs run
// their Go twins on arm64). The routine is chosen on every call from the
// level package isa selects (isa.Current: the best the CPU offers,
// NNCC_ISA, or isa.Force in tests and benchmarks) through one table row
// per level (dispatch.go). Kernels that are built for one level call
// through For(level) instead (routines.go: the same functions as methods
// bound to one row), so sessions compiled for different levels share the
// process. The Generic level and the noasm build tag run
// the pure-Go twins of package purego. Pooling, depthwise convolution,
// im2col, Log and the affine step of LayerNorm are Go on every level.
// The piecewise activations LeakyRelu, HardSigmoid and HardSwish have
// assembly on AVX-512 and AVX2 and elsewhere run Go twins written without
// a branch per value (a branch on each value's sign mispredicts half the
// time on real activations and cost more than the convolution it follows).
//
//	assembly (AVX-512, AVX2)         Go on every level
//	Exp Tanh Sigmoid Erf             Log
//	GeluErf GeluTanh                 Softsign
//	LeakyRelu HardSigmoid HardSwish
//	Softmax LogSoftmax (max, exp+sum, scale passes)
//	Sum SumSquares SumSqDiff Max     LayerNorm/RMSNorm affine step
//	Binary* (Add Sub Mul Div Max Min; same shape, scalar, row, column)
//	Relu Clip (through Binary*)      MaxPool2D AvgPool2D
//	                                 DepthwiseConv2D Im2col
//
// # Accuracy
//
// Error bounds are constants of this package (ErrExp …, in ulp of the
// exact result) and hold on every level; TestAccuracy checks them against
// package math in float64 on a dense sweep of float32 bit patterns plus
// ±0, ±Inf, NaN, denormals and the overflow and underflow edges. Measured
// maxima on the sweep: exp 1.1, tanh 1.3, sigmoid 2.6, erf 2.8, GELU (erf)
// 5.9, GELU (tanh) 2.3 + the conditioning term, log 0.5 ulp.
// Reductions accumulate in float32 over 32 or 64 interleaved partial sums
// (error about (n/lanes + 6)·2^-24·Σ|x|); LayerNorm uses two passes
// (mean, then Σ(x-mean)²), so a large common offset does not cancel the
// variance away. Each function's comment states its bound.
//
// # Conventions
//
// Slices are exact: dst has the length of its input (a mismatch is a
// caller bug and panics with a "vecmath:" message). dst may be the input
// for every elementwise and row function. NaN propagates (Max, Min, Relu
// and Clip included). Functions do not allocate, except AvgPool2D's
// per-call divisor table.
package vecmath
