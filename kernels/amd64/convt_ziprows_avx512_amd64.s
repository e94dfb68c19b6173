//go:build !noasm

#include "textflag.h"

// func ConvTZipRowsAVX512(dst, a, b []float32, n, rows, ldd, lds, relu int, bias float32)
//
// For r < rows and i < n: dst[r·ldd + i] = (i even ? a : b)[r·lds + i/2]
// + bias, clamped at zero when relu ≠ 0 (see ConvTZipRowsGo): rows of the
// two column phases of a stride-2 ConvTranspose output interleaved, 16
// pairs per step, the last 0..31 outputs of a row under masks.

// Interleave indices for VPERMI2PS over (a, b): the low and high 16
// outputs of 16 pairs.
DATA zipRowsLo<>+0(SB)/8, $0x0000001000000000
DATA zipRowsLo<>+8(SB)/8, $0x0000001100000001
DATA zipRowsLo<>+16(SB)/8, $0x0000001200000002
DATA zipRowsLo<>+24(SB)/8, $0x0000001300000003
DATA zipRowsLo<>+32(SB)/8, $0x0000001400000004
DATA zipRowsLo<>+40(SB)/8, $0x0000001500000005
DATA zipRowsLo<>+48(SB)/8, $0x0000001600000006
DATA zipRowsLo<>+56(SB)/8, $0x0000001700000007
GLOBL zipRowsLo<>(SB), RODATA|NOPTR, $64
DATA zipRowsHi<>+0(SB)/8, $0x0000001800000008
DATA zipRowsHi<>+8(SB)/8, $0x0000001900000009
DATA zipRowsHi<>+16(SB)/8, $0x0000001a0000000a
DATA zipRowsHi<>+24(SB)/8, $0x0000001b0000000b
DATA zipRowsHi<>+32(SB)/8, $0x0000001c0000000c
DATA zipRowsHi<>+40(SB)/8, $0x0000001d0000000d
DATA zipRowsHi<>+48(SB)/8, $0x0000001e0000000e
DATA zipRowsHi<>+56(SB)/8, $0x0000001f0000000f
GLOBL zipRowsHi<>(SB), RODATA|NOPTR, $64

#define DST  DI  // row r of dst
#define PA   SI  // row r of a
#define PB   DX  // row r of b
#define ROWS R9  // rows left
#define LDD  R10 // dst row stride, bytes
#define LDS  R11 // a and b row stride, bytes
#define RELU R12
#define FULL R13 // whole steps of 32 outputs per row
#define D    AX  // within a row: dst
#define A    BX  // a
#define B    R8  // b
#define CNT  CX  // steps left in the row
#define IDXL Z0
#define IDXH Z1
#define BIAS Z2
#define ZERO Z7

// STEP32 writes 32 outputs from Z3 (16 values of a) and Z4 (16 of b),
// the bias already added, into Z5 (low) and Z6 (high), clamped at zero
// under RELU (max with zero as the first operand: a NaN stays).
#define STEP32 \
	VMOVAPS   IDXL, Z5 \
	VMOVAPS   IDXH, Z6 \
	VPERMI2PS Z4, Z3, Z5 \
	VPERMI2PS Z4, Z3, Z6 \
	TESTQ     RELU, RELU \
	JZ        2(PC) \
	VMAXPS    Z5, ZERO, Z5 \
	TESTQ     RELU, RELU \
	JZ        2(PC) \
	VMAXPS    Z6, ZERO, Z6

TEXT ·ConvTZipRowsAVX512(SB), NOSPLIT, $0-116
	MOVQ         dst_base+0(FP), DST
	MOVQ         a_base+24(FP), PA
	MOVQ         b_base+48(FP), PB
	MOVQ         rows+80(FP), ROWS
	MOVQ         ldd+88(FP), LDD
	SHLQ         $2, LDD
	MOVQ         lds+96(FP), LDS
	SHLQ         $2, LDS
	MOVQ         relu+104(FP), RELU
	VBROADCASTSS bias+112(FP), BIAS
	VMOVUPS      zipRowsLo<>(SB), IDXL
	VMOVUPS      zipRowsHi<>(SB), IDXH
	VPXORD       ZERO, ZERO, ZERO
	TESTQ        ROWS, ROWS
	JLE          done

	// The row tail: rem = n mod 32 outputs, from ⌈rem/2⌉ values of a
	// (K1) and ⌊rem/2⌋ of b (K4), stored under K2 (outputs 0..15) and
	// K3 (16..31).
	MOVQ  n+72(FP), FULL
	MOVQ  FULL, D
	SHRQ  $5, FULL
	ANDQ  $31, D
	MOVQ  D, CX
	MOVQ  $1, A
	SHLQ  CX, A
	DECQ  A
	KMOVW A, K2
	SHRQ  $16, A
	KMOVW A, K3
	LEAQ  1(D), CX
	SHRQ  $1, CX
	MOVQ  $1, A
	SHLQ  CX, A
	DECQ  A
	KMOVW A, K1
	MOVQ  D, CX
	SHRQ  $1, CX
	MOVQ  $1, A
	SHLQ  CX, A
	DECQ  A
	KMOVW A, K4

row:
	MOVQ  DST, D
	MOVQ  PA, A
	MOVQ  PB, B
	MOVQ  FULL, CNT
	TESTQ CNT, CNT
	JZ    tail

step:
	// 16 values of a and b, added to the bias, to 32 outputs.
	VADDPS  (A), BIAS, Z3
	VADDPS  (B), BIAS, Z4
	STEP32
	VMOVUPS Z5, (D)
	VMOVUPS Z6, 64(D)
	ADDQ    $64, A
	ADDQ    $64, B
	ADDQ    $128, D
	DECQ    CNT
	JNZ     step

tail:
	KORTESTW K2, K3
	JZ       next
	VMOVUPS.Z (A), K1, Z3
	VMOVUPS.Z (B), K4, Z4
	VADDPS    Z3, BIAS, Z3
	VADDPS    Z4, BIAS, Z4
	STEP32
	VMOVUPS   Z5, K2, (D)
	VMOVUPS   Z6, K3, 64(D)

next:
	ADDQ LDD, DST
	ADDQ LDS, PA
	ADDQ LDS, PB
	DECQ ROWS
	JNZ  row

done:
	VZEROUPPER
	RET
