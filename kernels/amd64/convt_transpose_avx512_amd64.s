//go:build !noasm

#include "textflag.h"

// func ConvTTransposeAVX512(y, yt, bias []float32, os, mg, m0, m1, relu int)
//
// For m0 ≤ m < m1: plane m of y (os values) = column m of yt (os × mg)
// plus bias[m] (0 for an empty bias), clamped at zero when relu ≠ 0 (see
// ConvTTransposeGo). Each step gathers 16 values mg apart (VGATHERDPS with
// indices l·mg) and stores them as one vector; the last os mod 16 under
// the mask K2.

// 0..15, the lanes' multiples of mg.
DATA tposeIota<>+0(SB)/8, $0x0000000100000000
DATA tposeIota<>+8(SB)/8, $0x0000000300000002
DATA tposeIota<>+16(SB)/8, $0x0000000500000004
DATA tposeIota<>+24(SB)/8, $0x0000000700000006
DATA tposeIota<>+32(SB)/8, $0x0000000900000008
DATA tposeIota<>+40(SB)/8, $0x0000000b0000000a
DATA tposeIota<>+48(SB)/8, $0x0000000d0000000c
DATA tposeIota<>+56(SB)/8, $0x0000000f0000000e
GLOBL tposeIota<>(SB), RODATA|NOPTR, $64

#define Y     DI
#define YT    SI
#define BIAS  R8
#define NBIAS R9  // len(bias)
#define OS    R10
#define MG    R11
#define M     R12 // plane
#define M1    R13
#define RELU  BX
#define FULL  R14 // whole steps of 16 per plane
#define STEP  R15 // 16·mg·4: yt bytes per step
#define PS    DX  // yt + (16·step·mg + m)·4
#define PD    AX  // y + (m·os + 16·step)·4
#define CNT   CX
#define ZERO  Z0
#define IDX   Z1
#define BV    Z3
#define V     Z4

TEXT ·ConvTTransposeAVX512(SB), NOSPLIT, $0-112
	MOVQ y_base+0(FP), Y
	MOVQ yt_base+24(FP), YT
	MOVQ bias_base+48(FP), BIAS
	MOVQ bias_len+56(FP), NBIAS
	MOVQ os+72(FP), OS
	MOVQ mg+80(FP), MG
	MOVQ m0+88(FP), M
	MOVQ m1+96(FP), M1
	MOVQ relu+104(FP), RELU
	CMPQ M, M1
	JGE  done

	// Indices l·mg; K2: the last os mod 16 values of a plane.
	MOVL         MG, CX
	VPBROADCASTD CX, IDX
	VPMULLD      tposeIota<>(SB), IDX, IDX
	VPXORD       ZERO, ZERO, ZERO
	MOVQ         OS, CX
	ANDQ         $15, CX
	MOVQ         $1, AX
	SHLQ         CX, AX
	DECQ         AX
	KMOVW        AX, K2
	MOVQ         OS, FULL
	SHRQ         $4, FULL
	MOVQ         MG, STEP
	SHLQ         $6, STEP

plane:
	// BV = bias[m] (or 0); PS = &yt[m], PD = &y[m·os].
	VPXORD BV, BV, BV
	TESTQ  NBIAS, NBIAS
	JZ     nobias
	VBROADCASTSS (BIAS)(M*4), BV

nobias:
	LEAQ  (YT)(M*4), PS
	MOVQ  M, PD
	IMULQ OS, PD
	LEAQ  (Y)(PD*4), PD
	MOVQ  FULL, CNT
	TESTQ CNT, CNT
	JZ    tail

step:
	KXNORW     K1, K1, K1
	VGATHERDPS (PS)(IDX*4), K1, V
	VADDPS     BV, V, V
	TESTQ      RELU, RELU
	JZ         2(PC)
	VMAXPS     V, ZERO, V
	VMOVUPS    V, (PD)
	ADDQ       STEP, PS
	ADDQ       $64, PD
	DECQ       CNT
	JNZ        step

tail:
	KORTESTW   K2, K2
	JZ         next
	KMOVW      K2, K1
	VGATHERDPS (PS)(IDX*4), K1, V
	VADDPS     BV, V, V
	TESTQ      RELU, RELU
	JZ         2(PC)
	VMAXPS     V, ZERO, V
	VMOVUPS    V, K2, (PD)

next:
	INCQ M
	CMPQ M, M1
	JLT  plane

done:
	VZEROUPPER
	RET
