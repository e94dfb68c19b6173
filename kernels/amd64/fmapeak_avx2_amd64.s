//go:build !noasm

#include "textflag.h"

// func FMAPeakAVX2(n int)
//
// n rounds of 12 independent ymm FMAs (192 FLOPs per round).

#define N CX

TEXT ·FMAPeakAVX2(SB), NOSPLIT, $0-8
	MOVQ n+0(FP), N

	// Multiplier 0.5 and addend 1 keep the values finite (x = x*0.5 + 1).
	MOVL         $0x3f000000, AX
	MOVL         AX, X0
	VBROADCASTSS X0, Y0
	MOVL         $0x3f800000, AX
	MOVL         AX, X1
	VBROADCASTSS X1, Y1
	VMOVAPS      Y1, Y4
	VMOVAPS      Y1, Y5
	VMOVAPS      Y1, Y6
	VMOVAPS      Y1, Y7
	VMOVAPS      Y1, Y8
	VMOVAPS      Y1, Y9
	VMOVAPS      Y1, Y10
	VMOVAPS      Y1, Y11
	VMOVAPS      Y1, Y12
	VMOVAPS      Y1, Y13
	VMOVAPS      Y1, Y14
	VMOVAPS      Y1, Y15
	TESTQ        N, N
	JZ           done

loop:
	// 12 independent chains: Yi = Yi*Y0 + Y1.
	VFMADD132PS Y0, Y1, Y4
	VFMADD132PS Y0, Y1, Y5
	VFMADD132PS Y0, Y1, Y6
	VFMADD132PS Y0, Y1, Y7
	VFMADD132PS Y0, Y1, Y8
	VFMADD132PS Y0, Y1, Y9
	VFMADD132PS Y0, Y1, Y10
	VFMADD132PS Y0, Y1, Y11
	VFMADD132PS Y0, Y1, Y12
	VFMADD132PS Y0, Y1, Y13
	VFMADD132PS Y0, Y1, Y14
	VFMADD132PS Y0, Y1, Y15
	DECQ        N
	JNZ         loop

done:
	VZEROUPPER
	RET
