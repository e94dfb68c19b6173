//go:build !noasm

#include "textflag.h"
#include "winograd_out43_avx512_amd64.h"

// func WinoOut43NCHWcAVX512(m []float32, ms int, y []float32, row int, bias, r []float32, relu int)
//
// Winograd F(4×4, 3×3) output transform of one tile of one 16-channel
// block in the NCHWc layout: y[p·row + q·16 + l] = act((Aᵀ M_l A)[p][q] +
// bias[l] + r[p·row + q·16 + l]) with M_l[k][j] = m[(6k+j)·ms + l] (see
// WinoOut43NCHWcGo). Pass 1 applies Aᵀ down each column j of M into the
// 4×6 matrix T = Aᵀ M, kept in Z8…Z31; pass 2 applies it along each row
// p of T. Channels are lanes, so each output pixel is one vector store.

#define MP    AX  // m
#define MSB   BX  // ms in bytes
#define MS6   CX  // 6·ms in bytes
#define YP    DI  // y, advances a row at a time
#define ROWB  DX  // row in bytes
#define BIASP R8
#define NBIAS R9
#define RP    R10 // r, advances a row at a time
#define NR    R11
#define RELU  R12
#define Q     R13

// T[p][j] lives in Z(8+6p+j); after pass 2 row p's o0…o3 are in
// Z(8+6p), Z(10+6p), Z(9+6p), Z(12+6p).

// RES4 adds the residual row at RP and advances RP a row.
#define RES4(o0, o1, o2, o3) \
	VADDPS (RP), o0, o0; \
	VADDPS 64(RP), o1, o1; \
	VADDPS 128(RP), o2, o2; \
	VADDPS 192(RP), o3, o3; \
	ADDQ ROWB, RP

// STORE4 stores a row of four pixels at YP and advances YP a row.
#define STORE4(o0, o1, o2, o3) \
	VMOVUPS o0, (YP); \
	VMOVUPS o1, 64(YP); \
	VMOVUPS o2, 128(YP); \
	VMOVUPS o3, 192(YP); \
	ADDQ ROWB, YP

TEXT ·WinoOut43NCHWcAVX512(SB), NOSPLIT, $0-120
	MOVQ m_base+0(FP), MP
	MOVQ ms+24(FP), MSB
	SHLQ $2, MSB
	LEAQ (MSB)(MSB*2), MS6
	ADDQ MS6, MS6
	MOVQ y_base+32(FP), YP
	MOVQ row+56(FP), ROWB
	SHLQ $2, ROWB
	MOVQ bias_base+64(FP), BIASP
	MOVQ bias_len+72(FP), NBIAS
	MOVQ r_base+88(FP), RP
	MOVQ r_len+96(FP), NR
	MOVQ relu+112(FP), RELU

	// Pass 1: T = Aᵀ M, column by column.
	COL(Z8, Z14, Z20, Z26)
	COL(Z9, Z15, Z21, Z27)
	COL(Z10, Z16, Z22, Z28)
	COL(Z11, Z17, Z23, Z29)
	COL(Z12, Z18, Z24, Z30)
	COL(Z13, Z19, Z25, Z31)

	// Pass 2: O = T A, row by row.
	ROWS43

	TESTQ NBIAS, NBIAS
	JZ    nobias
	BIAS43

nobias:
	TESTQ NR, NR
	JZ    nores
	RES4(Z8, Z10, Z9, Z12)
	RES4(Z14, Z16, Z15, Z18)
	RES4(Z20, Z22, Z21, Z24)
	RES4(Z26, Z28, Z27, Z30)

nores:
	TESTQ RELU, RELU
	JZ    norelu
	RELU43

norelu:
	STORE4(Z8, Z10, Z9, Z12)
	STORE4(Z14, Z16, Z15, Z18)
	STORE4(Z20, Z22, Z21, Z24)
	STORE4(Z26, Z28, Z27, Z30)
	VZEROUPPER
	RET
