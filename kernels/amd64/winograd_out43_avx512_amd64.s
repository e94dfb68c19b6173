//go:build !noasm

#include "textflag.h"
#include "winograd_out43_avx512_amd64.h"

// func WinoOut43AVX512(m []float32, ms int, y []float32, plane, row int, bias []float32, relu int)
//
// Winograd F(4×4, 3×3) output transform of 16 channels (the 16 lanes of a
// zmm) of one tile: y[l·plane + p·row + q] = act((Aᵀ M_l A)[p][q] + bias[l])
// with M_l[k][j] = m[(6k+j)·ms + l] (see WinoOut43Go). Pass 1 applies Aᵀ
// down each column j of M (six loads, stride 6·ms) into the 4×6 matrix
// T = Aᵀ M, kept in Z8…Z31; pass 2 applies it along each row p of T; the
// 4×4 results of each row are then transposed four lanes at a time so that
// each channel's four values of row p are one 128-bit store.

#define MP    AX  // m
#define MSB   BX  // ms in bytes
#define MS6   CX  // 6·ms in bytes
#define YP    DI  // y
#define PLB   SI  // plane in bytes
#define ROWB  DX  // row in bytes
#define BIASP R8
#define NBIAS R9
#define RELU  R10
#define PTR   R11
#define Q     R12

// T[p][j] lives in Z(8+6p+j).

// ROWSTORE transposes a=o[p][0], b=o[p][1], c=o[p][2], d=o[p][3] (lanes =
// channels) so that 128-bit lane j of Z(4+i) holds row p of channel 4j+i,
// and stores the sixteen rows at PTR, PTR+plane, … (PTR advances).
#define ROWSTORE(a, b, c, d) \
	VUNPCKLPS b, a, Z0; \
	VUNPCKHPS b, a, Z1; \
	VUNPCKLPS d, c, Z2; \
	VUNPCKHPS d, c, Z3; \
	VUNPCKLPD Z2, Z0, Z4; \
	VUNPCKHPD Z2, Z0, Z5; \
	VUNPCKLPD Z3, Z1, Z6; \
	VUNPCKHPD Z3, Z1, Z7; \
	VMOVUPS X4, (PTR); ADDQ PLB, PTR; \
	VMOVUPS X5, (PTR); ADDQ PLB, PTR; \
	VMOVUPS X6, (PTR); ADDQ PLB, PTR; \
	VMOVUPS X7, (PTR); ADDQ PLB, PTR; \
	VEXTRACTF32X4 $1, Z4, (PTR); ADDQ PLB, PTR; \
	VEXTRACTF32X4 $1, Z5, (PTR); ADDQ PLB, PTR; \
	VEXTRACTF32X4 $1, Z6, (PTR); ADDQ PLB, PTR; \
	VEXTRACTF32X4 $1, Z7, (PTR); ADDQ PLB, PTR; \
	VEXTRACTF32X4 $2, Z4, (PTR); ADDQ PLB, PTR; \
	VEXTRACTF32X4 $2, Z5, (PTR); ADDQ PLB, PTR; \
	VEXTRACTF32X4 $2, Z6, (PTR); ADDQ PLB, PTR; \
	VEXTRACTF32X4 $2, Z7, (PTR); ADDQ PLB, PTR; \
	VEXTRACTF32X4 $3, Z4, (PTR); ADDQ PLB, PTR; \
	VEXTRACTF32X4 $3, Z5, (PTR); ADDQ PLB, PTR; \
	VEXTRACTF32X4 $3, Z6, (PTR); ADDQ PLB, PTR; \
	VEXTRACTF32X4 $3, Z7, (PTR)

TEXT ·WinoOut43AVX512(SB), NOSPLIT, $0-104
	MOVQ m_base+0(FP), MP
	MOVQ ms+24(FP), MSB
	SHLQ $2, MSB
	LEAQ (MSB)(MSB*2), MS6
	ADDQ MS6, MS6
	MOVQ y_base+32(FP), YP
	MOVQ plane+56(FP), PLB
	SHLQ $2, PLB
	MOVQ row+64(FP), ROWB
	SHLQ $2, ROWB
	MOVQ bias_base+72(FP), BIASP
	MOVQ bias_len+80(FP), NBIAS
	MOVQ relu+96(FP), RELU

	// Pass 1: T = Aᵀ M, column by column.
	COL(Z8, Z14, Z20, Z26)
	COL(Z9, Z15, Z21, Z27)
	COL(Z10, Z16, Z22, Z28)
	COL(Z11, Z17, Z23, Z29)
	COL(Z12, Z18, Z24, Z30)
	COL(Z13, Z19, Z25, Z31)

	// Pass 2: O = T A, row by row; row p's o0…o3 end up in
	// Z(8+6p), Z(10+6p), Z(9+6p), Z(12+6p).
	ROWS43

	TESTQ NBIAS, NBIAS
	JZ    nobias
	BIAS43

nobias:
	TESTQ RELU, RELU
	JZ    norelu
	RELU43

norelu:
	MOVQ YP, PTR
	ROWSTORE(Z8, Z10, Z9, Z12)
	ADDQ ROWB, YP
	MOVQ YP, PTR
	ROWSTORE(Z14, Z16, Z15, Z18)
	ADDQ ROWB, YP
	MOVQ YP, PTR
	ROWSTORE(Z20, Z22, Z21, Z24)
	ADDQ ROWB, YP
	MOVQ YP, PTR
	ROWSTORE(Z26, Z28, Z27, Z30)
	VZEROUPPER
	RET
