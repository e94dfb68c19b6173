// Package isa detects, once, which SIMD instruction sets this CPU offers
// and lets callers choose which one the kernels use.
//
// The levels are ordered from the portable pure-Go code (Generic) up to the
// widest vectors (AVX512 on amd64, NEON on arm64). Detection uses
// golang.org/x/sys/cpu and happens at package initialisation. The
// environment variable NNCC_ISA (generic, avx2, avx512 or neon) lowers the
// default choice; it is read once, and a level the CPU does not support is
// ignored (the best supported level is used instead).
//
// Like the Go standard library's crypto/internal/impl, every supported
// level stays selectable at run time: tests and benchmarks call Force to run
// each variant on one machine, and Supported lists the candidates. Kernels
// read Current on every call, so a Force takes effect immediately.
package isa
