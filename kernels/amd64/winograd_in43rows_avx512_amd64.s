//go:build !noasm

#include "textflag.h"
#include "winograd_in43_avx512_amd64.h"

// func WinoIn43RowsAVX512(t []float32, ts int, r0, r1, r2, r3, r4, r5 []float32, n int)
//
// t[k·ts + j] = (Bᵀ (r0[j], …, r5[j]))_k for k < 6, j < n (see
// WinoIn43RowsGo): 16 columns per step, the last step masked.

#define TP   DI  // t, advances 64 bytes per step
#define TS   SI  // ts in bytes
#define TS3  R8
#define TS5  R9
#define P0   R10
#define P1   R11
#define P2   R12
#define P3   R13
#define P4   R14
#define P5   R15
#define N    BX  // columns left
#define REM  AX

TEXT ·WinoIn43RowsAVX512(SB), NOSPLIT, $0-184
	MOVQ t_base+0(FP), TP
	MOVQ ts+24(FP), TS
	SHLQ $2, TS
	LEAQ (TS)(TS*2), TS3
	LEAQ (TS)(TS*4), TS5
	MOVQ r0_base+32(FP), P0
	MOVQ r1_base+56(FP), P1
	MOVQ r2_base+80(FP), P2
	MOVQ r3_base+104(FP), P3
	MOVQ r4_base+128(FP), P4
	MOVQ r5_base+152(FP), P5
	MOVQ n+176(FP), N
	MOVL $0x40800000, AX // 4.0 (no global data: R15 is in use)
	VPBROADCASTD AX, Z30
	MOVL $0x40a00000, AX // 5.0
	VPBROADCASTD AX, Z31

loop:
	TESTQ N, N
	JLE   done
	MOVQ  N, REM
	MASK(REM, K1)

	// Load 16 (or fewer, zero-filled) columns of the six rows.
	VMOVUPS.Z (P0), K1, Z0
	VMOVUPS.Z (P1), K1, Z1
	VMOVUPS.Z (P2), K1, Z2
	VMOVUPS.Z (P3), K1, Z3
	VMOVUPS.Z (P4), K1, Z4
	VMOVUPS.Z (P5), K1, Z5
	BT6(Z0, Z1, Z2, Z3, Z4, Z5)

	// Store the six rows of t.
	VMOVUPS Z22, K1, (TP)
	VMOVUPS Z23, K1, (TP)(TS*1)
	VMOVUPS Z24, K1, (TP)(TS*2)
	VMOVUPS Z26, K1, (TP)(TS3*1)
	VMOVUPS Z27, K1, (TP)(TS*4)
	VMOVUPS Z28, K1, (TP)(TS5*1)

	ADDQ $64, P0
	ADDQ $64, P1
	ADDQ $64, P2
	ADDQ $64, P3
	ADDQ $64, P4
	ADDQ $64, P5
	ADDQ $64, TP
	SUBQ $16, N
	JMP  loop

done:
	VZEROUPPER
	RET
