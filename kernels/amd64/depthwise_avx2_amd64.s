//go:build !noasm

#include "textflag.h"

// func dw3x3RowAVX2(dst, r0, r1, r2, k *float32, b float32, n, stride int)
//
// For i < n (n a positive multiple of 8, stride 1 or 2), the math of
// Dw3x3RowGo:
//
//	dst[i] = b + Σ_{ky<3} Σ_{kx<3} k[3ky+kx] · r_ky[i·stride + kx]
//
// Eight outputs per step. Stride 1: one accumulator per input row, the
// loads folded into the FMAs. Stride 2: 16 floats at offset 0 (A, B) give
// the kx = 0 taps (even elements) and kx = 1 (odd) via VSHUFPS + VPERMPD;
// 15 floats at offset 2 (C, and D under a 7-lane mask so nothing past
// (n-1)·2 + 2 is read) give kx = 2 (even elements).

DATA dwMask7<>+0(SB)/8, $-1
DATA dwMask7<>+8(SB)/8, $-1
DATA dwMask7<>+16(SB)/8, $-1
DATA dwMask7<>+24(SB)/8, $0x00000000ffffffff
GLOBL dwMask7<>(SB), RODATA|NOPTR, $32

#define ROW1(R, w0, w1, w2, acc) \
	VFMADD231PS 0(R), w0, acc; \
	VFMADD231PS 4(R), w1, acc; \
	VFMADD231PS 8(R), w2, acc

// ROW2 adds the three taps w0..w2 of input row R (stride 2) into Y6.
#define ROW2(R, w0, w1, w2) \
	VMOVUPS 0(R), Y0; \
	VMOVUPS 32(R), Y1; \
	VSHUFPS $0x88, Y1, Y0, Y2; \
	VSHUFPS $0xDD, Y1, Y0, Y3; \
	VPERMPD $0xD8, Y2, Y2; \
	VPERMPD $0xD8, Y3, Y3; \
	VFMADD231PS Y2, w0, Y6; \
	VFMADD231PS Y3, w1, Y6; \
	VMOVUPS 8(R), Y0; \
	VMASKMOVPS 40(R), Y4, Y1; \
	VSHUFPS $0x88, Y1, Y0, Y2; \
	VPERMPD $0xD8, Y2, Y2; \
	VFMADD231PS Y2, w2, Y6

TEXT ·dw3x3RowAVX2(SB), NOSPLIT, $0-64
	MOVQ dst+0(FP), DI
	MOVQ r0+8(FP), R8
	MOVQ r1+16(FP), R9
	MOVQ r2+24(FP), R10
	MOVQ k+32(FP), SI
	MOVQ n+48(FP), R11
	MOVQ stride+56(FP), R12
	VBROADCASTSS 0(SI), Y7
	VBROADCASTSS 4(SI), Y8
	VBROADCASTSS 8(SI), Y9
	VBROADCASTSS 12(SI), Y10
	VBROADCASTSS 16(SI), Y11
	VBROADCASTSS 20(SI), Y12
	VBROADCASTSS 24(SI), Y13
	VBROADCASTSS 28(SI), Y14
	VBROADCASTSS 32(SI), Y15
	CMPQ R12, $2
	JEQ  s2loop

s1loop:
	VBROADCASTSS b+40(FP), Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	ROW1(R8, Y7, Y8, Y9, Y3)
	ROW1(R9, Y10, Y11, Y12, Y4)
	ROW1(R10, Y13, Y14, Y15, Y5)
	VADDPS  Y4, Y3, Y3
	VADDPS  Y5, Y3, Y3
	VMOVUPS Y3, (DI)
	ADDQ $32, R8
	ADDQ $32, R9
	ADDQ $32, R10
	ADDQ $32, DI
	SUBQ $8, R11
	JGT  s1loop
	VZEROUPPER
	RET

s2loop:
	VMOVUPS dwMask7<>(SB), Y4
	VBROADCASTSS b+40(FP), Y6
	ROW2(R8, Y7, Y8, Y9)
	ROW2(R9, Y10, Y11, Y12)
	ROW2(R10, Y13, Y14, Y15)
	VMOVUPS Y6, (DI)
	ADDQ $64, R8
	ADDQ $64, R9
	ADDQ $64, R10
	ADDQ $32, DI
	SUBQ $8, R11
	JGT  s2loop
	VZEROUPPER
	RET
