// Package amd64 holds the x86-64 assembly kernels (AVX2+FMA and AVX-512)
// and, for each routine, a pure-Go twin of the same signature whose doc
// comment states the math. The assembly is the fast path; the twin is the
// specification the tests hold it to.
//
// Layout (after gonum's internal/asm): one routine per .s file, named for
// the routine and its ISA (sgemm6x64_avx512_amd64.s); Go declarations in
// decl_amd64.go; the twins in twins.go, which builds on every architecture
// so that tests can compare against it anywhere. With the noasm build tag
// the declared names are bound to the twins instead of the assembly.
//
// Callers select a routine through package isa; nothing here checks the CPU.
// The assembly does not check slice lengths: each routine's comment states
// how long its operands must be, and the caller (package sgemm) guarantees it.
package amd64
