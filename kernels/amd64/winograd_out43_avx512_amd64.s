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

// EP4 adds the bias (in Z0, when present) and applies ReLU (zero in Z1,
// as the first source of VMAXPS so that NaN propagates) to o0…o3.
#define BIAS4(o0, o1, o2, o3) \
	VADDPS Z0, o0, o0; \
	VADDPS Z0, o1, o1; \
	VADDPS Z0, o2, o2; \
	VADDPS Z0, o3, o3

#define RELU4(o0, o1, o2, o3) \
	VMAXPS o0, Z1, o0; \
	VMAXPS o1, Z1, o1; \
	VMAXPS o2, Z1, o2; \
	VMAXPS o3, Z1, o3

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
	AT(Z8, Z9, Z10, Z11, Z12, Z13)
	AT(Z14, Z15, Z16, Z17, Z18, Z19)
	AT(Z20, Z21, Z22, Z23, Z24, Z25)
	AT(Z26, Z27, Z28, Z29, Z30, Z31)

	TESTQ NBIAS, NBIAS
	JZ    nobias
	VMOVUPS (BIASP), Z0
	BIAS4(Z8, Z10, Z9, Z12)
	BIAS4(Z14, Z16, Z15, Z18)
	BIAS4(Z20, Z22, Z21, Z24)
	BIAS4(Z26, Z28, Z27, Z30)

nobias:
	TESTQ RELU, RELU
	JZ    norelu
	VXORPS Z1, Z1, Z1
	RELU4(Z8, Z10, Z9, Z12)
	RELU4(Z14, Z16, Z15, Z18)
	RELU4(Z20, Z22, Z21, Z24)
	RELU4(Z26, Z28, Z27, Z30)

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
