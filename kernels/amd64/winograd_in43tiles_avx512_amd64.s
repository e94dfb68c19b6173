//go:build !noasm

#include "textflag.h"
#include "winograd_in43_avx512_amd64.h"

// func WinoIn43TilesAVX512(v []float32, vs int, t []float32, ts, nt int)
//
// For each row k < 6 of t and each tile j < nt, d_i = t[k·ts + 4j + i]
// and v[(6k+l)·vs + j] = (Bᵀ d)_l (see WinoIn43TilesGo). Sixteen tiles
// span 66 floats of a row: four zmm loads Z0…Z3 (floats 0…63) and two
// broadcasts Z4, Z5 (floats 64, 65). Two-source permutes gather phases
// 0/1 and 2/3 of tiles 0…7 (from Z0:Z1) and 8…15 (from Z2:Z3); 256-bit
// shuffles join the halves into the phase vectors d0…d3 (lane j = tile
// j); d4 and d5 are d0 and d1 shifted down one lane with floats 64 and 65
// shifted in. A last group of r < 16 tiles uses masked loads (4r+2 floats)
// and stores (r lanes).

#define OP   DI  // v + (6k)·vs + j: output of row k; +64 per group
#define VS   SI  // vs in bytes
#define VS3  R8
#define VS5  R9
#define RP   R10 // current position in row k of t; +256 per group
#define TROW R11 // start of row k of t
#define TS   R12 // ts in bytes
#define LEFT R13 // tiles left in row k
#define K    R14 // rows left
#define REM  AX
#define NT   BX

// Two-source permute indices into (Z0:Z1) or (Z2:Z3): lanes 0…7 take phase
// 0 (or 2) of tiles 0…7, lanes 8…15 phase 1 (or 3).
DATA winoIdx01<>+0(SB)/4, $0
DATA winoIdx01<>+4(SB)/4, $4
DATA winoIdx01<>+8(SB)/4, $8
DATA winoIdx01<>+12(SB)/4, $12
DATA winoIdx01<>+16(SB)/4, $16
DATA winoIdx01<>+20(SB)/4, $20
DATA winoIdx01<>+24(SB)/4, $24
DATA winoIdx01<>+28(SB)/4, $28
DATA winoIdx01<>+32(SB)/4, $1
DATA winoIdx01<>+36(SB)/4, $5
DATA winoIdx01<>+40(SB)/4, $9
DATA winoIdx01<>+44(SB)/4, $13
DATA winoIdx01<>+48(SB)/4, $17
DATA winoIdx01<>+52(SB)/4, $21
DATA winoIdx01<>+56(SB)/4, $25
DATA winoIdx01<>+60(SB)/4, $29
GLOBL winoIdx01<>(SB), RODATA|NOPTR, $64

DATA winoIdx23<>+0(SB)/4, $2
DATA winoIdx23<>+4(SB)/4, $6
DATA winoIdx23<>+8(SB)/4, $10
DATA winoIdx23<>+12(SB)/4, $14
DATA winoIdx23<>+16(SB)/4, $18
DATA winoIdx23<>+20(SB)/4, $22
DATA winoIdx23<>+24(SB)/4, $26
DATA winoIdx23<>+28(SB)/4, $30
DATA winoIdx23<>+32(SB)/4, $3
DATA winoIdx23<>+36(SB)/4, $7
DATA winoIdx23<>+40(SB)/4, $11
DATA winoIdx23<>+44(SB)/4, $15
DATA winoIdx23<>+48(SB)/4, $19
DATA winoIdx23<>+52(SB)/4, $23
DATA winoIdx23<>+56(SB)/4, $27
DATA winoIdx23<>+60(SB)/4, $31
GLOBL winoIdx23<>(SB), RODATA|NOPTR, $64

// DEINTERLEAVE turns Z0…Z5 into the phase vectors d0…d5 in Z10…Z15.
#define DEINTERLEAVE \
	VMOVUPS winoIdx01<>(SB), Z6; \
	VPERMI2PS Z1, Z0, Z6; \
	VMOVUPS winoIdx23<>(SB), Z7; \
	VPERMI2PS Z1, Z0, Z7; \
	VMOVUPS winoIdx01<>(SB), Z8; \
	VPERMI2PS Z3, Z2, Z8; \
	VMOVUPS winoIdx23<>(SB), Z9; \
	VPERMI2PS Z3, Z2, Z9; \
	VSHUFF64X2 $0x44, Z8, Z6, Z10; \
	VSHUFF64X2 $0xEE, Z8, Z6, Z11; \
	VSHUFF64X2 $0x44, Z9, Z7, Z12; \
	VSHUFF64X2 $0xEE, Z9, Z7, Z13; \
	VALIGND $1, Z10, Z4, Z14; \
	VALIGND $1, Z11, Z5, Z15

TEXT ·WinoIn43TilesAVX512(SB), NOSPLIT, $0-72
	MOVQ vs+24(FP), VS
	SHLQ $2, VS
	LEAQ (VS)(VS*2), VS3
	LEAQ (VS)(VS*4), VS5
	MOVQ t_base+32(FP), TROW
	MOVQ ts+56(FP), TS
	SHLQ $2, TS
	MOVQ nt+64(FP), NT
	MOVL $0x40800000, AX // 4.0
	VPBROADCASTD AX, Z30
	MOVL $0x40a00000, AX // 5.0
	VPBROADCASTD AX, Z31
	MOVQ $6, K

row:
	// OP = v + 6·(6-K)·vs, the first output row of row k = 6-K.
	MOVQ $6, OP
	SUBQ K, OP
	IMULQ VS, OP
	LEAQ (OP)(OP*2), OP
	ADDQ OP, OP
	ADDQ v_base+0(FP), OP
	MOVQ TROW, RP
	MOVQ NT, LEFT

group:
	CMPQ LEFT, $16
	JLT  tail
	VMOVUPS (RP), Z0
	VMOVUPS 64(RP), Z1
	VMOVUPS 128(RP), Z2
	VMOVUPS 192(RP), Z3
	VBROADCASTSS 256(RP), Z4
	VBROADCASTSS 260(RP), Z5
	DEINTERLEAVE
	BT6(Z10, Z11, Z12, Z13, Z14, Z15)
	VMOVUPS Z22, (OP)
	VMOVUPS Z23, (OP)(VS*1)
	VMOVUPS Z24, (OP)(VS*2)
	VMOVUPS Z26, (OP)(VS3*1)
	VMOVUPS Z27, (OP)(VS*4)
	VMOVUPS Z28, (OP)(VS5*1)
	ADDQ $256, RP
	ADDQ $64, OP
	SUBQ $16, LEFT
	JMP  group

tail:
	TESTQ LEFT, LEFT
	JLE   nextrow

	// r = LEFT tiles need 4r+2 floats: masks for the four loads in K2…K5
	// (floats 64 and 65 are not needed), r lanes stored under K1.
	LEAQ 2(LEFT)(LEFT*2), REM
	ADDQ LEFT, REM
	MASK(REM, K2)
	LEAQ -14(LEFT)(LEFT*2), REM
	ADDQ LEFT, REM
	MASK(REM, K3)
	LEAQ -30(LEFT)(LEFT*2), REM
	ADDQ LEFT, REM
	MASK(REM, K4)
	LEAQ -46(LEFT)(LEFT*2), REM
	ADDQ LEFT, REM
	MASK(REM, K5)
	MOVQ LEFT, REM
	MASK(REM, K1)
	VMOVUPS.Z (RP), K2, Z0
	VMOVUPS.Z 64(RP), K3, Z1
	VMOVUPS.Z 128(RP), K4, Z2
	VMOVUPS.Z 192(RP), K5, Z3
	VXORPS Z4, Z4, Z4
	VXORPS Z5, Z5, Z5
	DEINTERLEAVE
	BT6(Z10, Z11, Z12, Z13, Z14, Z15)
	VMOVUPS Z22, K1, (OP)
	VMOVUPS Z23, K1, (OP)(VS*1)
	VMOVUPS Z24, K1, (OP)(VS*2)
	VMOVUPS Z26, K1, (OP)(VS3*1)
	VMOVUPS Z27, K1, (OP)(VS*4)
	VMOVUPS Z28, K1, (OP)(VS5*1)

nextrow:
	ADDQ TS, TROW
	DECQ K
	JNZ  row
	VZEROUPPER
	RET
