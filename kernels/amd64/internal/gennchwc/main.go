// Command gennchwc generates nchwc_conv_avx512_amd64.s, the AVX-512 NCHWc
// direct-convolution micro-kernel NCHWcConvAVX512 of package amd64.
//
// The routine has one straight-line variant per (F, NP): F ∈ {4, 3, 2, 1}
// 16-channel output blocks times NP ∈ {1..6} output pixels, all built from
// the single template in body below (the same instructions with fewer rows),
// plus the compare chains that pick a variant. The fixed prologue (register
// names, pointer setup, dispatch on F) is the constant header.
//
// Run it from kernels/amd64 through go generate (see gen.go there):
//
//	go generate ./kernels/amd64
//
// which executes
//
//	go run ./internal/gennchwc -o nchwc_conv_avx512_amd64.s
//
// Without -o the assembly is written to standard output. The test in this
// directory fails if the committed .s file differs from the generator's output.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
)

// blockCounts are the output-block counts F with a variant, in dispatch order.
var blockCounts = []int{4, 3, 2, 1}

// pixelCounts are the pixel counts NP with a variant, in dispatch order; the
// last one is the fall-through of the compare chain.
var pixelCounts = []int{6, 5, 4, 3, 2, 1}

// pixelRegs names the per-pixel input base pointers P_p (see header).
var pixelRegs = []string{"P0", "P1", "P2", "P3", "P4", "P5"}

// blockAddrs are the Y/Add addressing modes of output block f at byte
// displacement %d (the pixel's offset p*64); block 3 needs PY3 = PY+3*YB.
var blockAddrs = []string{"%d(PY)", "%d(PY)(YB*1)", "%d(PY)(YB*2)", "%d(PY3)"}

func main() {
	out := flag.String("o", "", "output file (default standard output)")
	flag.Parse()
	src := generate()
	if *out == "" {
		if _, err := os.Stdout.Write(src); err != nil {
			fmt.Fprintln(os.Stderr, "gennchwc:", err)
			os.Exit(1)
		}
		return
	}
	if err := os.WriteFile(*out, src, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gennchwc:", err)
		os.Exit(1)
	}
}

// generate returns the complete assembly file.
func generate() []byte {
	var b bytes.Buffer
	b.WriteString(header)
	b.WriteString("\n")
	for _, f := range blockCounts {
		dispatch(&b, f)
	}
	for _, f := range blockCounts {
		for _, np := range pixelCounts {
			fmt.Fprintf(&b, "// F=%d output blocks, %d pixels.\n", f, np)
			body(&b, f, np)
		}
	}
	return b.Bytes()
}

// dispatch writes label fF with the compare chain on the pixel count (in DI)
// that jumps to the variant fFnNP.
func dispatch(b *bytes.Buffer, f int) {
	fmt.Fprintf(b, "f%d:\n", f)
	b.WriteString("\t// Dispatch on the pixel count (in DI).\n")
	last := pixelCounts[len(pixelCounts)-1]
	for _, np := range pixelCounts {
		if np == last {
			break
		}
		fmt.Fprintf(b, "\tCMPQ DI, $%d\n", np)
		fmt.Fprintf(b, "\tJEQ  f%dn%d\n", f, np)
	}
	fmt.Fprintf(b, "\tJMP  f%dn%d\n\n", f, last)
}

// acc names the accumulator of pixel p, output block f in a variant with F
// blocks: Z(8+p*F+f).
func acc(p, f, nf int) string { return fmt.Sprintf("Z%d", 8+p*nf+f) }

// body writes the variant with nf output blocks and np pixels: accumulators
// start at the bias, the segment/channel loops FMA F weight vectors with
// each pixel's broadcast input, then the optional addend and ReLU are
// applied and the accumulators are stored to Y.
func body(b *bytes.Buffer, nf, np int) {
	lab := fmt.Sprintf("f%dn%d", nf, np)
	ins := func(format string, args ...any) {
		b.WriteByte('\t')
		fmt.Fprintf(b, format, args...)
		b.WriteByte('\n')
	}
	label := func(suffix string) { fmt.Fprintf(b, "%s%s:\n", lab, suffix) }

	// Entry: weights pointer, accumulators = bias (in SI).
	label("")
	ins("MOVQ a+0(FP), CX")
	ins("MOVQ 24(CX), PW")
	for f := 0; f < nf; f++ {
		ins("VMOVUPS %d(SI), %s", f*64, acc(0, f, nf))
	}
	for p := 1; p < np; p++ {
		for f := 0; f < nf; f++ {
			ins("VMOVAPS %s, %s", acc(0, f, nf), acc(p, f, nf))
		}
	}
	ins("TESTQ NSEG, NSEG")
	ins("JZ    %se", lab)
	b.WriteString("\n")

	// Next segment: KC = K, or KT for the last NT segments (NSEG <= NT);
	// a segment without channels is skipped.
	label("s")
	ins("MOVQ (SEG), PX")
	ins("SHLQ $2, PX")
	ins("ADDQ $8, SEG")
	ins("MOVQ a+0(FP), KC")
	ins("CMPQ NSEG, 248(KC)")
	ins("JHI  %sh", lab)
	ins("MOVQ 240(KC), KC")
	ins("JMP  %sz", lab)
	label("h")
	ins("MOVQ KN, KC")
	label("z")
	ins("TESTQ KC, KC")
	ins("JZ    %sn", lab)
	b.WriteString("\n")

	// Next channel: F weight vectors, one broadcast per pixel (alternating
	// Z4/Z5), F FMAs per pixel.
	label("k")
	for f := 0; f < nf; f++ {
		ins("VMOVUPS %d(PW), Z%d", f*64, f)
	}
	for p := 0; p < np; p++ {
		bc := fmt.Sprintf("Z%d", 4+p%2)
		ins("VBROADCASTSS (%s)(PX*1), %s", pixelRegs[p], bc)
		for f := 0; f < nf; f++ {
			ins("VFMADD231PS Z%d, %s, %s", f, bc, acc(p, f, nf))
		}
	}
	ins("ADDQ CS, PX")
	ins("ADDQ $%d, PW", nf*64)
	ins("DECQ KC")
	ins("JNZ  %sk", lab)
	label("n")
	ins("DECQ NSEG")
	ins("JNZ  %ss", lab)
	b.WriteString("\n")

	// Addend (Add, if its length is non-zero).
	label("e")
	ins("MOVQ a+0(FP), CX")
	ins("MOVQ 160(CX), YB")
	ins("SHLQ $2, YB")
	ins("MOVQ 104(CX), DI")
	ins("TESTQ DI, DI")
	ins("JZ    %sr", lab)
	ins("MOVQ 96(CX), PY")
	setPY3(ins, nf)
	for p := 0; p < np; p++ {
		for f := 0; f < nf; f++ {
			a := acc(p, f, nf)
			ins("VADDPS %s, %s, %s", fmt.Sprintf(blockAddrs[f], p*64), a, a)
		}
	}
	b.WriteString("\n")

	// ReLU.
	label("r")
	ins("MOVQ 176(CX), DI")
	ins("TESTQ DI, DI")
	ins("JZ    %so", lab)
	ins("VPXORD Z0, Z0, Z0")
	for p := 0; p < np; p++ {
		for f := 0; f < nf; f++ {
			a := acc(p, f, nf)
			ins("VMAXPS %s, Z0, %s", a, a)
		}
	}
	b.WriteString("\n")

	// Padding lanes of the last block (Mask, if non-zero) to zero.
	label("o")
	ins("MOVQ 256(CX), DI")
	ins("TESTQ DI, DI")
	ins("JZ    %sw", lab)
	ins("KMOVW DI, K1")
	for p := 0; p < np; p++ {
		a := acc(p, nf-1, nf)
		ins("VMOVAPS.Z %s, K1, %s", a, a)
	}
	b.WriteString("\n")

	// Store to Y.
	label("w")
	ins("MOVQ 48(CX), PY")
	setPY3(ins, nf)
	for p := 0; p < np; p++ {
		for f := 0; f < nf; f++ {
			ins("VMOVUPS %s, %s", acc(p, f, nf), fmt.Sprintf(blockAddrs[f], p*64))
		}
	}
	ins("VZEROUPPER")
	ins("RET")
	b.WriteString("\n")
}

// setPY3 emits PY3 = PY + 3*YB when block 3 is used.
func setPY3(ins func(string, ...any), nf int) {
	if nf < 4 {
		return
	}
	ins("LEAQ (PY)(YB*2), PY3")
	ins("ADDQ YB, PY3")
}

// header is the hand-written part of the file: build tag, doc comment,
// register names and the prologue that dispatches on F.
const header = `// Code generated by gennchwc; DO NOT EDIT.

//go:build !noasm

#include "textflag.h"

// func NCHWcConvAVX512(a *NCHWcConvArgs)
//
// NP (1..6) output pixels × F (4, 3, 2 or 1) 16-channel output blocks of an
// NCHWc convolution, kept in NP·F zmm accumulators; the math is
// NCHWcConvGo. Per input channel the loop loads F weight vectors and
// broadcasts the channel's value at each of the NP pixels. There is one
// straight-line variant per (F, NP), generated from one template (the
// same instructions with fewer rows), chosen by the compare chains below. The input address of pixel p
// is P_p + PX, where P_p = &X[Off[p]] and PX runs over a segment (one input
// block at one kernel tap) in steps of S.
//
// NCHWcConvArgs byte offsets: X 0, W 24, Y 48, Bias 72, Add 96 (len 104),
// Seg 120 (len 128), K 144, S 152, YBS 160, F 168, Relu 176, Off 184,
// NP 232, KT 240, NT 248, Mask 256.

// Loop registers.
#define PX   SI  // byte offset of the current channel within the segment
#define PW   DI  // packed weights, advance F*64 bytes per channel
#define KC   CX  // channels left in the segment (a+0(FP) while choosing K or KT)
#define CS   DX  // channel stride in bytes
#define SEG  BX  // next segment offset
#define NSEG R9  // segments left
#define KN   R8  // channels per segment (the first len(Seg)-NT segments)
#define P0   R10 // &X[Off[0]] … &X[Off[5]]
#define P1   R11
#define P2   R12
#define P3   R13
#define P4   R14
#define P5   AX

// Epilogue registers (the loop's are free by then).
#define YB   DX  // block stride of Y and Add in bytes
#define PY   SI  // Y or Add
#define PY3  R10 // PY + 3*YB

// Vector registers: Z0..Z3 weights, Z4/Z5 alternating broadcasts, pixel p
// block f accumulates in Z(8+p*F+f). Labels: fFnNP is the variant's entry,
// then s (next segment; h/z pick its channel count), k (next channel), n
// (segment done), e (addend), r (ReLU), o (Mask), w (store).

TEXT ·NCHWcConvAVX512(SB), NOSPLIT, $0-8
	MOVQ a+0(FP), CX

	// Pixel base pointers &X[Off[p]].
	MOVQ 0(CX), R8
	MOVQ 184(CX), P0
	LEAQ (R8)(P0*4), P0
	MOVQ 192(CX), P1
	LEAQ (R8)(P1*4), P1
	MOVQ 200(CX), P2
	LEAQ (R8)(P2*4), P2
	MOVQ 208(CX), P3
	LEAQ (R8)(P3*4), P3
	MOVQ 216(CX), P4
	LEAQ (R8)(P4*4), P4
	MOVQ 224(CX), P5
	LEAQ (R8)(P5*4), P5

	MOVQ 120(CX), SEG
	MOVQ 128(CX), NSEG
	MOVQ 144(CX), KN
	MOVQ 152(CX), CS
	SHLQ $2, CS
	MOVQ 72(CX), SI        // bias
	MOVQ 232(CX), DI       // NP (PW is loaded by each variant)
	MOVQ 168(CX), CX       // F
	CMPQ CX, $4
	JEQ  f4
	CMPQ CX, $3
	JEQ  f3
	CMPQ CX, $2
	JEQ  f2
	JMP  f1
`
