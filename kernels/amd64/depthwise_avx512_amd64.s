//go:build !noasm

#include "textflag.h"

// func dw3x3RowAVX512(dst, r0, r1, r2, k *float32, b float32, n, stride int)
//
// For i < n (n ≥ 1, stride 1 or 2), the math of Dw3x3RowGo:
//
//	dst[i] = b + Σ_{ky<3} Σ_{kx<3} k[3ky+kx] · r_ky[i·stride + kx]
//
// Sixteen outputs per step, one accumulator per input row (three
// independent FMA chains), summed before the store. Every load and the
// store go under lane masks built from rem = min(16, outputs left), so the
// tail reads nothing past (n-1)·stride + 2 and writes nothing past n-1.
// Stride 1 loads each row at offsets 0, 1, 2. Stride 2 loads 32 floats at
// offset 0 (A, B) and 32 at offset 2 (C, D): the even elements of A:B are
// the kx = 0 taps, the odd ones kx = 1, the even ones of C:D kx = 2; the
// masks cover 2·rem elements of A:B and 2·rem-1 of C:D.

// dwEven and dwOdd pick the even and odd elements of a two-register table.
DATA dwEven<>+0(SB)/8, $0x0000000200000000
DATA dwEven<>+8(SB)/8, $0x0000000600000004
DATA dwEven<>+16(SB)/8, $0x0000000a00000008
DATA dwEven<>+24(SB)/8, $0x0000000e0000000c
DATA dwEven<>+32(SB)/8, $0x0000001200000010
DATA dwEven<>+40(SB)/8, $0x0000001600000014
DATA dwEven<>+48(SB)/8, $0x0000001a00000018
DATA dwEven<>+56(SB)/8, $0x0000001e0000001c
GLOBL dwEven<>(SB), RODATA|NOPTR, $64

DATA dwOdd<>+0(SB)/8, $0x0000000300000001
DATA dwOdd<>+8(SB)/8, $0x0000000700000005
DATA dwOdd<>+16(SB)/8, $0x0000000b00000009
DATA dwOdd<>+24(SB)/8, $0x0000000f0000000d
DATA dwOdd<>+32(SB)/8, $0x0000001300000011
DATA dwOdd<>+40(SB)/8, $0x0000001700000015
DATA dwOdd<>+48(SB)/8, $0x0000001b00000019
DATA dwOdd<>+56(SB)/8, $0x0000001f0000001d
GLOBL dwOdd<>(SB), RODATA|NOPTR, $64

// ROW1 adds the three taps w0..w2 of input row R (stride 1) into acc.
#define ROW1(R, w0, w1, w2, acc) \
	VMOVUPS.Z 0(R), K1, Z0; \
	VMOVUPS.Z 4(R), K1, Z1; \
	VMOVUPS.Z 8(R), K1, Z2; \
	VFMADD231PS Z0, w0, acc; \
	VFMADD231PS Z1, w1, acc; \
	VFMADD231PS Z2, w2, acc

// ROW2 adds the three taps w0..w2 of input row R (stride 2) into acc.
#define ROW2(R, w0, w1, w2, acc) \
	VMOVUPS.Z 0(R), K1, Z0; \
	VMOVUPS.Z 64(R), K2, Z1; \
	VMOVUPS.Z 8(R), K3, Z2; \
	VMOVUPS.Z 72(R), K4, Z3; \
	VMOVAPS Z28, Z4; \
	VPERMI2PS Z1, Z0, Z4; \
	VMOVAPS Z29, Z5; \
	VPERMI2PS Z1, Z0, Z5; \
	VMOVAPS Z28, Z6; \
	VPERMI2PS Z3, Z2, Z6; \
	VFMADD231PS Z4, w0, acc; \
	VFMADD231PS Z5, w1, acc; \
	VFMADD231PS Z6, w2, acc

TEXT ·dw3x3RowAVX512(SB), NOSPLIT, $0-64
	MOVQ dst+0(FP), DI
	MOVQ r0+8(FP), R8
	MOVQ r1+16(FP), R9
	MOVQ r2+24(FP), R10
	MOVQ k+32(FP), SI
	VBROADCASTSS b+40(FP), Z31
	MOVQ n+48(FP), R11
	MOVQ stride+56(FP), R12
	VBROADCASTSS 0(SI), Z16
	VBROADCASTSS 4(SI), Z17
	VBROADCASTSS 8(SI), Z18
	VBROADCASTSS 12(SI), Z19
	VBROADCASTSS 16(SI), Z20
	VBROADCASTSS 20(SI), Z21
	VBROADCASTSS 24(SI), Z22
	VBROADCASTSS 28(SI), Z23
	VBROADCASTSS 32(SI), Z24
	CMPQ R12, $2
	JEQ  s2init

s1loop:
	// CX = rem = min(16, R11); K1 = (1<<rem)-1.
	MOVQ R11, CX
	CMPQ CX, $16
	JLE  s1mask
	MOVQ $16, CX

s1mask:
	MOVQ  $1, BX
	SHLQ  CX, BX
	DECQ  BX
	KMOVD BX, K1
	VMOVAPS Z31, Z8
	VXORPS  Z9, Z9, Z9
	VXORPS  Z10, Z10, Z10
	ROW1(R8, Z16, Z17, Z18, Z8)
	ROW1(R9, Z19, Z20, Z21, Z9)
	ROW1(R10, Z22, Z23, Z24, Z10)
	VADDPS  Z9, Z8, Z8
	VADDPS  Z10, Z8, Z8
	VMOVUPS Z8, K1, (DI)
	ADDQ $64, R8
	ADDQ $64, R9
	ADDQ $64, R10
	ADDQ $64, DI
	SUBQ $16, R11
	JGT  s1loop
	VZEROUPPER
	RET

s2init:
	VMOVUPS dwEven<>(SB), Z28
	VMOVUPS dwOdd<>(SB), Z29

s2loop:
	MOVQ R11, CX
	CMPQ CX, $16
	JLE  s2mask
	MOVQ $16, CX

s2mask:
	// K5 = (1<<rem)-1 for the store; K1:K2 = (1<<2rem)-1 for A:B;
	// K3:K4 = (1<<(2rem-1))-1 for C:D.
	MOVQ  $1, BX
	SHLQ  CX, BX
	DECQ  BX
	KMOVD BX, K5
	ADDQ  CX, CX
	DECQ  CX
	MOVQ  $1, BX
	SHLQ  CX, BX
	DECQ  BX
	KMOVD BX, K3
	KSHIFTRD $16, K3, K4
	LEAQ  1(BX)(BX*1), BX
	KMOVD BX, K1
	KSHIFTRD $16, K1, K2
	VMOVAPS Z31, Z8
	VXORPS  Z9, Z9, Z9
	VXORPS  Z10, Z10, Z10
	ROW2(R8, Z16, Z17, Z18, Z8)
	ROW2(R9, Z19, Z20, Z21, Z9)
	ROW2(R10, Z22, Z23, Z24, Z10)
	VADDPS  Z9, Z8, Z8
	VADDPS  Z10, Z8, Z8
	VMOVUPS Z8, K5, (DI)
	ADDQ $128, R8
	ADDQ $128, R9
	ADDQ $128, R10
	ADDQ $64, DI
	SUBQ $16, R11
	JGT  s2loop
	VZEROUPPER
	RET

// func dw3x3RowsAVX512(dst, x, k *float32, b float32, n, stride, rows, pitch, step int)
//
// dw3x3RowAVX512 for rows ≥ 1 output rows of n ≥ 1 values (the math of
// Dw3x3RowsGo): output row oy reads the input rows at x + oy·step,
// + pitch, + 2·pitch (floats) and is written at dst + oy·n.
TEXT ·dw3x3RowsAVX512(SB), NOSPLIT, $0-72
	MOVQ dst+0(FP), R14
	MOVQ x+8(FP), R13
	MOVQ k+16(FP), SI
	VBROADCASTSS b+24(FP), Z31
	MOVQ stride+40(FP), R12
	MOVQ rows+48(FP), DX
	MOVQ pitch+56(FP), AX
	SHLQ $2, AX
	VBROADCASTSS 0(SI), Z16
	VBROADCASTSS 4(SI), Z17
	VBROADCASTSS 8(SI), Z18
	VBROADCASTSS 12(SI), Z19
	VBROADCASTSS 16(SI), Z20
	VBROADCASTSS 20(SI), Z21
	VBROADCASTSS 24(SI), Z22
	VBROADCASTSS 28(SI), Z23
	VBROADCASTSS 32(SI), Z24
	MOVQ step+64(FP), SI
	SHLQ $2, SI
	VMOVUPS dwEven<>(SB), Z28
	VMOVUPS dwOdd<>(SB), Z29

rowloop:
	// One output row: dst row at R14, input rows at R13, +pitch, +2·pitch.
	MOVQ R14, DI
	MOVQ R13, R8
	LEAQ (R8)(AX*1), R9
	LEAQ (R9)(AX*1), R10
	MOVQ n+32(FP), R11
	CMPQ R12, $2
	JEQ  rs2loop

rs1loop:
	// CX = rem = min(16, R11); K1 = (1<<rem)-1.
	MOVQ R11, CX
	CMPQ CX, $16
	JLE  rs1mask
	MOVQ $16, CX

rs1mask:
	MOVQ  $1, BX
	SHLQ  CX, BX
	DECQ  BX
	KMOVD BX, K1
	VMOVAPS Z31, Z8
	VXORPS  Z9, Z9, Z9
	VXORPS  Z10, Z10, Z10
	ROW1(R8, Z16, Z17, Z18, Z8)
	ROW1(R9, Z19, Z20, Z21, Z9)
	ROW1(R10, Z22, Z23, Z24, Z10)
	VADDPS  Z9, Z8, Z8
	VADDPS  Z10, Z8, Z8
	VMOVUPS Z8, K1, (DI)
	ADDQ $64, R8
	ADDQ $64, R9
	ADDQ $64, R10
	ADDQ $64, DI
	SUBQ $16, R11
	JGT  rs1loop
	JMP  rownext

rs2loop:
	MOVQ R11, CX
	CMPQ CX, $16
	JLE  rs2mask
	MOVQ $16, CX

rs2mask:
	// K5 = (1<<rem)-1 for the store; K1:K2 = (1<<2rem)-1 for A:B;
	// K3:K4 = (1<<(2rem-1))-1 for C:D.
	MOVQ  $1, BX
	SHLQ  CX, BX
	DECQ  BX
	KMOVD BX, K5
	ADDQ  CX, CX
	DECQ  CX
	MOVQ  $1, BX
	SHLQ  CX, BX
	DECQ  BX
	KMOVD BX, K3
	KSHIFTRD $16, K3, K4
	LEAQ  1(BX)(BX*1), BX
	KMOVD BX, K1
	KSHIFTRD $16, K1, K2
	VMOVAPS Z31, Z8
	VXORPS  Z9, Z9, Z9
	VXORPS  Z10, Z10, Z10
	ROW2(R8, Z16, Z17, Z18, Z8)
	ROW2(R9, Z19, Z20, Z21, Z9)
	ROW2(R10, Z22, Z23, Z24, Z10)
	VADDPS  Z9, Z8, Z8
	VADDPS  Z10, Z8, Z8
	VMOVUPS Z8, K5, (DI)
	ADDQ $128, R8
	ADDQ $128, R9
	ADDQ $128, R10
	ADDQ $64, DI
	SUBQ $16, R11
	JGT  rs2loop

rownext:
	ADDQ SI, R13
	MOVQ n+32(FP), BX
	LEAQ (R14)(BX*4), R14
	DECQ DX
	JNZ  rowloop
	VZEROUPPER
	RET
