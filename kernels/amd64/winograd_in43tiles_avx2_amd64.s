//go:build !noasm

#include "textflag.h"
#include "winograd_in43_avx2_amd64.h"

// func WinoIn43TilesAVX2(v []float32, vs int, t []float32, ts, nt int)
//
// The AVX2 form of WinoIn43TilesAVX512 (math: WinoIn43TilesGo), 8 tiles
// per step. Eight tiles span 34 floats of a row: four ymm loads Y0…Y3
// (tiles 2i and 2i+1 in the two 128-bit halves of Yi) and two broadcasts
// (floats 32, 33). A 4×4 transpose within the 128-bit halves yields the
// phase vectors with the tiles in the order 0 2 4 6 1 3 5 7, which one
// permute puts right; d4 and d5 are d0 and d1 rotated down one lane with
// floats 32 and 33 blended into lane 7. A last group of r < 8 tiles uses
// masked loads (4r+2 floats) and stores (r lanes).

#define OP   DI  // v + (6k)·vs + j: outputs of row k
#define VS   SI  // vs in bytes
#define VS3  R8
#define VS5  R9
#define RP   R10 // position in row k of t
#define TROW R11 // start of row k of t
#define TS   R12 // ts in bytes
#define LEFT R13 // tiles left in row k
#define K    R14 // rows left
#define REM  AX
#define NT   BX
#define TMP  CX

DATA winoTilesMask<>+0(SB)/8, $-1
DATA winoTilesMask<>+8(SB)/8, $-1
DATA winoTilesMask<>+16(SB)/8, $-1
DATA winoTilesMask<>+24(SB)/8, $-1
DATA winoTilesMask<>+32(SB)/8, $0
DATA winoTilesMask<>+40(SB)/8, $0
DATA winoTilesMask<>+48(SB)/8, $0
DATA winoTilesMask<>+56(SB)/8, $0
GLOBL winoTilesMask<>(SB), RODATA|NOPTR, $64

// Lane order fix (0 2 4 6 1 3 5 7 → 0…7) and rotation by one lane.
DATA winoTilesUnzip<>+0(SB)/4, $0
DATA winoTilesUnzip<>+4(SB)/4, $4
DATA winoTilesUnzip<>+8(SB)/4, $1
DATA winoTilesUnzip<>+12(SB)/4, $5
DATA winoTilesUnzip<>+16(SB)/4, $2
DATA winoTilesUnzip<>+20(SB)/4, $6
DATA winoTilesUnzip<>+24(SB)/4, $3
DATA winoTilesUnzip<>+28(SB)/4, $7
GLOBL winoTilesUnzip<>(SB), RODATA|NOPTR, $32
DATA winoTilesRot<>+0(SB)/4, $1
DATA winoTilesRot<>+4(SB)/4, $2
DATA winoTilesRot<>+8(SB)/4, $3
DATA winoTilesRot<>+12(SB)/4, $4
DATA winoTilesRot<>+16(SB)/4, $5
DATA winoTilesRot<>+20(SB)/4, $6
DATA winoTilesRot<>+24(SB)/4, $7
DATA winoTilesRot<>+28(SB)/4, $0
GLOBL winoTilesRot<>(SB), RODATA|NOPTR, $32

// DEINT turns Y0…Y3 and the broadcasts in Y8, Y9 into d0…d5 in Y0…Y5.
#define DEINT \
	VUNPCKLPS Y1, Y0, Y4; \
	VUNPCKHPS Y1, Y0, Y5; \
	VUNPCKLPS Y3, Y2, Y6; \
	VUNPCKHPS Y3, Y2, Y7; \
	VUNPCKLPD Y6, Y4, Y0; \
	VUNPCKHPD Y6, Y4, Y1; \
	VUNPCKLPD Y7, Y5, Y2; \
	VUNPCKHPD Y7, Y5, Y3; \
	VMOVUPS winoTilesUnzip<>(SB), Y12; \
	VPERMPS Y0, Y12, Y0; \
	VPERMPS Y1, Y12, Y1; \
	VPERMPS Y2, Y12, Y2; \
	VPERMPS Y3, Y12, Y3; \
	VMOVUPS winoTilesRot<>(SB), Y12; \
	VPERMPS Y0, Y12, Y4; \
	VPERMPS Y1, Y12, Y5; \
	VBLENDPS $0x80, Y8, Y4, Y4; \
	VBLENDPS $0x80, Y9, Y5, Y5

TEXT ·WinoIn43TilesAVX2(SB), NOSPLIT, $0-72
	MOVQ vs+24(FP), VS
	SHLQ $2, VS
	LEAQ (VS)(VS*2), VS3
	LEAQ (VS)(VS*4), VS5
	MOVQ t_base+32(FP), TROW
	MOVQ ts+56(FP), TS
	SHLQ $2, TS
	MOVQ nt+64(FP), NT
	MOVL $0x40800000, DX // 4.0
	VMOVD DX, X14
	VBROADCASTSS X14, Y14
	MOVL $0x40a00000, DX // 5.0
	VMOVD DX, X15
	VBROADCASTSS X15, Y15
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
	CMPQ LEFT, $8
	JLT  tail
	VMOVUPS (RP), Y0
	VMOVUPS 32(RP), Y1
	VMOVUPS 64(RP), Y2
	VMOVUPS 96(RP), Y3
	VBROADCASTSS 128(RP), Y8
	VBROADCASTSS 132(RP), Y9
	DEINT
	BT6Y
	VMOVUPS Y6, (OP)
	VMOVUPS Y1, (OP)(VS*1)
	VMOVUPS Y2, (OP)(VS*2)
	VMOVUPS Y4, (OP)(VS3*1)
	VMOVUPS Y3, (OP)(VS*4)
	VMOVUPS Y7, (OP)(VS5*1)
	ADDQ $128, RP
	ADDQ $32, OP
	SUBQ $8, LEFT
	JMP  group

tail:
	TESTQ LEFT, LEFT
	JLE   nextrow

	// r = LEFT tiles need 4r+2 floats: masked loads of Y0…Y3 (floats 32
	// and 33 are not needed), then r lanes stored under Y13.
	LEAQ 2(LEFT)(LEFT*2), REM
	ADDQ LEFT, REM
	MOVQ REM, TMP
	YMASK(REM, Y12, winoTilesMask<>)
	VMASKMOVPS (RP), Y12, Y0
	LEAQ -8(TMP), REM
	YMASK(REM, Y12, winoTilesMask<>)
	VMASKMOVPS 32(RP), Y12, Y1
	LEAQ -16(TMP), REM
	YMASK(REM, Y12, winoTilesMask<>)
	VMASKMOVPS 64(RP), Y12, Y2
	LEAQ -24(TMP), REM
	YMASK(REM, Y12, winoTilesMask<>)
	VMASKMOVPS 96(RP), Y12, Y3
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	DEINT
	BT6Y
	MOVQ LEFT, REM
	YMASK(REM, Y13, winoTilesMask<>)
	VMASKMOVPS Y6, Y13, (OP)
	VMASKMOVPS Y1, Y13, (OP)(VS*1)
	VMASKMOVPS Y2, Y13, (OP)(VS*2)
	VMASKMOVPS Y4, Y13, (OP)(VS3*1)
	VMASKMOVPS Y3, Y13, (OP)(VS*4)
	VMASKMOVPS Y7, Y13, (OP)(VS5*1)

nextrow:
	ADDQ TS, TROW
	DECQ K
	JNZ  row
	VZEROUPPER
	RET
