//go:build !noasm

#include "textflag.h"
#include "winograd_in43_avx2_amd64.h"

// func WinoIn43RowsAVX2(t []float32, ts int, r0, r1, r2, r3, r4, r5 []float32, n int)
//
// The AVX2 form of WinoIn43RowsAVX512 (math: WinoIn43RowsGo): 8 columns
// per step, the last step masked (VMASKMOVPS).

#define TP   DI
#define TS   SI
#define TS3  R8
#define TS5  R9
#define P0   R10
#define P1   R11
#define P2   R12
#define P3   R13
#define P4   R14
#define P5   BX
#define N    AX
#define REM  CX

DATA winoRowsMask<>+0(SB)/8, $-1
DATA winoRowsMask<>+8(SB)/8, $-1
DATA winoRowsMask<>+16(SB)/8, $-1
DATA winoRowsMask<>+24(SB)/8, $-1
DATA winoRowsMask<>+32(SB)/8, $0
DATA winoRowsMask<>+40(SB)/8, $0
DATA winoRowsMask<>+48(SB)/8, $0
DATA winoRowsMask<>+56(SB)/8, $0
GLOBL winoRowsMask<>(SB), RODATA|NOPTR, $64

TEXT ·WinoIn43RowsAVX2(SB), NOSPLIT, $0-184
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
	MOVL $0x40800000, DX // 4.0
	VMOVD DX, X14
	VBROADCASTSS X14, Y14
	MOVL $0x40a00000, DX // 5.0
	VMOVD DX, X15
	VBROADCASTSS X15, Y15

full:
	CMPQ N, $8
	JLT  tail
	VMOVUPS (P0), Y0
	VMOVUPS (P1), Y1
	VMOVUPS (P2), Y2
	VMOVUPS (P3), Y3
	VMOVUPS (P4), Y4
	VMOVUPS (P5), Y5
	BT6Y
	VMOVUPS Y6, (TP)
	VMOVUPS Y1, (TP)(TS*1)
	VMOVUPS Y2, (TP)(TS*2)
	VMOVUPS Y4, (TP)(TS3*1)
	VMOVUPS Y3, (TP)(TS*4)
	VMOVUPS Y7, (TP)(TS5*1)
	ADDQ $32, P0
	ADDQ $32, P1
	ADDQ $32, P2
	ADDQ $32, P3
	ADDQ $32, P4
	ADDQ $32, P5
	ADDQ $32, TP
	SUBQ $8, N
	JMP  full

tail:
	TESTQ N, N
	JLE   done
	MOVQ  N, REM
	YMASK(REM, Y13, winoRowsMask<>)
	VMASKMOVPS (P0), Y13, Y0
	VMASKMOVPS (P1), Y13, Y1
	VMASKMOVPS (P2), Y13, Y2
	VMASKMOVPS (P3), Y13, Y3
	VMASKMOVPS (P4), Y13, Y4
	VMASKMOVPS (P5), Y13, Y5
	BT6Y
	VMASKMOVPS Y6, Y13, (TP)
	VMASKMOVPS Y1, Y13, (TP)(TS*1)
	VMASKMOVPS Y2, Y13, (TP)(TS*2)
	VMASKMOVPS Y4, Y13, (TP)(TS3*1)
	VMASKMOVPS Y3, Y13, (TP)(TS*4)
	VMASKMOVPS Y7, Y13, (TP)(TS5*1)

done:
	VZEROUPPER
	RET
