// Package arm64 holds the arm64 NEON (Advanced SIMD) assembly kernels and,
// for each routine, a pure-Go twin of the same signature whose doc comment
// states the math. Layout as in package amd64: one routine per .s file,
// declarations in decl_arm64.go, twins in twins.go (built everywhere), and
// the noasm build tag binds the declared names to the twins.
//
// Go's arm64 assembler has no mnemonics for the vector FMUL, FADD and FMAX
// forms, so the epilogues emit them with WORD and the encoding macros in
// neon_arm64.h; the encodings are from the Arm A64 instruction set manual.
//
// The assembly does not check slice lengths; package sgemm guarantees them.
// Tests run under qemu: GOARCH=arm64 go test -exec qemu-aarch64 ./kernels/...
package arm64
