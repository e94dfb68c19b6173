//go:build !noasm

#include "textflag.h"

// func ConvTZip2AVX512(dst, a, b []float32, bias float32)
//
// For i < len(a): dst[2i] = a[i] + bias, dst[2i+1] = b[i] + bias (see
// ConvTZip2Go): the two column phases of a stride-2 ConvTranspose output
// row interleaved, 16 pairs per step, the last 0..15 under masks.

// Interleave indices for VPERMI2PS over (a, b): the low and high 16
// outputs of 16 pairs.
DATA zipLo<>+0(SB)/8, $0x0000001000000000
DATA zipLo<>+8(SB)/8, $0x0000001100000001
DATA zipLo<>+16(SB)/8, $0x0000001200000002
DATA zipLo<>+24(SB)/8, $0x0000001300000003
DATA zipLo<>+32(SB)/8, $0x0000001400000004
DATA zipLo<>+40(SB)/8, $0x0000001500000005
DATA zipLo<>+48(SB)/8, $0x0000001600000006
DATA zipLo<>+56(SB)/8, $0x0000001700000007
GLOBL zipLo<>(SB), RODATA|NOPTR, $64
DATA zipHi<>+0(SB)/8, $0x0000001800000008
DATA zipHi<>+8(SB)/8, $0x0000001900000009
DATA zipHi<>+16(SB)/8, $0x0000001a0000000a
DATA zipHi<>+24(SB)/8, $0x0000001b0000000b
DATA zipHi<>+32(SB)/8, $0x0000001c0000000c
DATA zipHi<>+40(SB)/8, $0x0000001d0000000d
DATA zipHi<>+48(SB)/8, $0x0000001e0000000e
DATA zipHi<>+56(SB)/8, $0x0000001f0000000f
GLOBL zipHi<>(SB), RODATA|NOPTR, $64

#define DST  DI
#define PA   SI
#define PB   DX
#define N    CX  // pairs left
#define T    R8
#define IDXL Z0
#define IDXH Z1
#define BIAS Z2

TEXT ·ConvTZip2AVX512(SB), NOSPLIT, $0-76
	MOVQ         dst_base+0(FP), DST
	MOVQ         a_base+24(FP), PA
	MOVQ         a_len+32(FP), N
	MOVQ         b_base+48(FP), PB
	VBROADCASTSS bias+72(FP), BIAS
	VMOVUPS      zipLo<>(SB), IDXL
	VMOVUPS      zipHi<>(SB), IDXH
	CMPQ         N, $16
	JLT          tail

loop:
	// 16 values of a and b, added to the bias, to 32 outputs.
	VADDPS     (PA), BIAS, Z3
	VADDPS     (PB), BIAS, Z4
	VMOVAPS    IDXL, Z5
	VMOVAPS    IDXH, Z6
	VPERMI2PS  Z4, Z3, Z5
	VPERMI2PS  Z4, Z3, Z6
	VMOVUPS    Z5, (DST)
	VMOVUPS    Z6, 64(DST)
	ADDQ       $64, PA
	ADDQ       $64, PB
	ADDQ       $128, DST
	SUBQ       $16, N
	CMPQ       N, $16
	JGE        loop

tail:
	// The last N < 16 pairs: loads under K1 (N lanes), stores under K2
	// (the first min(2N, 16) outputs) and K3 (the rest of 2N).
	TESTQ N, N
	JZ    done
	MOVQ  $1, T
	SHLQ  CX, T
	DECQ  T
	KMOVW T, K1
	MOVQ  $1, T
	SHLQ  CX, T
	SHLQ  CX, T
	DECQ  T
	KMOVW T, K2
	SHRQ  $16, T
	KMOVW T, K3
	VMOVUPS    (PA), K1, Z3
	VMOVUPS    (PB), K1, Z4
	VADDPS     Z3, BIAS, Z3
	VADDPS     Z4, BIAS, Z4
	VMOVAPS    IDXL, Z5
	VMOVAPS    IDXH, Z6
	VPERMI2PS  Z4, Z3, Z5
	VPERMI2PS  Z4, Z3, Z6
	VMOVUPS    Z5, K2, (DST)
	VMOVUPS    Z6, K3, 64(DST)

done:
	VZEROUPPER
	RET
