//go:build !noasm

#include "textflag.h"

// func QPackK4x32AVX2(dst, src []uint8, ld, k4 int, colSum []int32)
//
// dst[(g·32+j)·4+i] = src[(4g+i)·ld+j], colSum[j] = Σ_p src[p·ld+j]
// (see QPackK4x32Go). Per group, each half of 16 columns: the four rows
// X0–X3 are interleaved by byte (X4, X5: rows 0,1; X6, X7: rows 2,3)
// and then by word into four vectors of 4 columns × 4 taps, stored and
// summed into the column sums: columns 0–23 in X8–X13 (4 each), columns
// 24–31 in colSum itself (the sixteen VEX registers are all taken).

#define DST DI
#define SRC SI
#define LD R8
#define K CX
#define LD3 R9

// HALF(off, s0, s1, s2, s3): columns off … off+15 of the group.
#define HALF(off, s0, s1, s2, s3) \
	VMOVDQU    off(SRC), X0               \
	VMOVDQU    off(SRC)(LD*1), X1         \
	VMOVDQU    off(SRC)(LD*2), X2         \
	VMOVDQU    off(SRC)(LD3*1), X3        \
	VPUNPCKLBW X1, X0, X4                 \
	VPUNPCKHBW X1, X0, X5                 \
	VPUNPCKLBW X3, X2, X6                 \
	VPUNPCKHBW X3, X2, X7                 \
	VPUNPCKLWD X6, X4, X0                 \
	VPUNPCKHWD X6, X4, X1                 \
	VPUNPCKLWD X7, X5, X2                 \
	VPUNPCKHWD X7, X5, X3                 \
	VMOVDQU    X0, (off*4)(DST)           \
	VMOVDQU    X1, (off*4+16)(DST)        \
	VMOVDQU    X2, (off*4+32)(DST)        \
	VMOVDQU    X3, (off*4+48)(DST)        \
	VPMADDUBSW X14, X0, X0                \
	VPMADDUBSW X14, X1, X1                \
	VPMADDUBSW X14, X2, X2                \
	VPMADDUBSW X14, X3, X3                \
	VPMADDWD   X15, X0, X0                \
	VPMADDWD   X15, X1, X1                \
	VPMADDWD   X15, X2, X2                \
	VPMADDWD   X15, X3, X3                \
	VPADDD     X0, s0, s0                 \
	VPADDD     X1, s1, s1                 \
	VPADDD     X2, s2, s2                 \
	VPADDD     X3, s3, s3

TEXT ·QPackK4x32AVX2(SB), NOSPLIT, $0-88
	MOVQ dst_base+0(FP), DST
	MOVQ src_base+24(FP), SRC
	MOVQ ld+48(FP), LD
	MOVQ k4+56(FP), K
	MOVQ colSum_base+64(FP), AX
	LEAQ (LD)(LD*2), LD3

	// X14: 16 bytes of 1; X15: 8 words of 1.
	MOVL         $0x01010101, DX
	MOVQ         DX, X14
	VPBROADCASTD X14, X14
	MOVL         $0x00010001, DX
	MOVQ         DX, X15
	VPBROADCASTD X15, X15
	VPXOR        X8, X8, X8
	VPXOR        X9, X9, X9
	VPXOR        X10, X10, X10
	VPXOR        X11, X11, X11
	VPXOR        X12, X12, X12
	VPXOR        X13, X13, X13
	VPXOR        X0, X0, X0
	VMOVDQU      X0, 96(AX)
	VMOVDQU      X0, 112(AX)
	TESTQ        K, K
	JZ           sums

loop:
	HALF(0, X8, X9, X10, X11)
	// Columns 16–31 (HALF's steps with 24–31 summed in colSum).
	VMOVDQU    16(SRC), X0
	VMOVDQU    16(SRC)(LD*1), X1
	VMOVDQU    16(SRC)(LD*2), X2
	VMOVDQU    16(SRC)(LD3*1), X3
	VPUNPCKLBW X1, X0, X4
	VPUNPCKHBW X1, X0, X5
	VPUNPCKLBW X3, X2, X6
	VPUNPCKHBW X3, X2, X7
	VPUNPCKLWD X6, X4, X0
	VPUNPCKHWD X6, X4, X1
	VPUNPCKLWD X7, X5, X2
	VPUNPCKHWD X7, X5, X3
	VMOVDQU    X0, 64(DST)
	VMOVDQU    X1, 80(DST)
	VMOVDQU    X2, 96(DST)
	VMOVDQU    X3, 112(DST)
	VPMADDUBSW X14, X0, X0
	VPMADDUBSW X14, X1, X1
	VPMADDUBSW X14, X2, X2
	VPMADDUBSW X14, X3, X3
	VPMADDWD   X15, X0, X0
	VPMADDWD   X15, X1, X1
	VPMADDWD   X15, X2, X2
	VPMADDWD   X15, X3, X3
	VPADDD     X0, X12, X12
	VPADDD     X1, X13, X13
	VPADDD     96(AX), X2, X2
	VPADDD     112(AX), X3, X3
	VMOVDQU    X2, 96(AX)
	VMOVDQU    X3, 112(AX)
	LEAQ       (SRC)(LD*4), SRC
	ADDQ       $128, DST
	DECQ       K
	JNZ        loop

sums:
	VMOVDQU X8, (AX)
	VMOVDQU X9, 16(AX)
	VMOVDQU X10, 32(AX)
	VMOVDQU X11, 48(AX)
	VMOVDQU X12, 64(AX)
	VMOVDQU X13, 80(AX)
	VZEROUPPER
	RET
