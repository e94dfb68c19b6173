//go:build !noasm

#include "textflag.h"

// func WinoOut43AVX2(m []float32, ms int, y []float32, plane, row int, bias []float32, relu int)
//
// The AVX2 form of WinoOut43AVX512 (math: WinoOut43Go): the 16 channels
// are done as two halves of 8 (the 8 lanes of a ymm). Per half, pass 1
// applies Aᵀ down each column j of M into T = Aᵀ M, spilled to the stack
// (24 ymm); pass 2 applies it along each row p of T, adds the bias,
// applies ReLU and transposes the four results four lanes at a time, so
// that each channel's four values of row p are one 128-bit store.

#define MP    AX  // m (+ 8 floats for the second half)
#define MSB   BX  // ms in bytes
#define MS6   CX  // 6·ms in bytes
#define YP    DI  // y (+ 8 planes for the second half)
#define PLB   SI  // plane in bytes
#define ROWB  DX
#define BIASP R8
#define NBIAS R9
#define RELU  R10
#define PTR   R11
#define Q     R12
#define HALF  R13
#define YROW  R14

// AT is the AVX-512 routine's AT on ymm: m0 = o0, m2 = o1, m1 = o2,
// m4 = o3 afterwards; Y6 and Y7 are scratch.
#define AT(m0, m1, m2, m3, m4, m5) \
	VADDPS m2, m1, Y6; \
	VSUBPS m2, m1, m1; \
	VADDPS m4, m3, Y7; \
	VSUBPS m4, m3, m3; \
	VADDPS Y6, m0, m0; \
	VADDPS Y7, m0, m0; \
	VADDPS m3, m3, m4; \
	VADDPS m4, m1, m2; \
	VADDPS m4, m4, m4; \
	VADDPS m4, m4, m4; \
	VADDPS m4, m1, m4; \
	VADDPS m5, m4, m4; \
	VADDPS Y7, Y7, Y7; \
	VADDPS Y7, Y7, Y7; \
	VADDPS Y7, Y6, m1

// COL: column j of M (at MP, stride 6·ms) through Aᵀ into T[0..3][j] on
// the stack (T[p][j] at (6p+j)·32); MP moves to the next column.
#define COL(j) \
	MOVQ MP, Q; \
	VMOVUPS (Q), Y0; ADDQ MS6, Q; \
	VMOVUPS (Q), Y1; ADDQ MS6, Q; \
	VMOVUPS (Q), Y2; ADDQ MS6, Q; \
	VMOVUPS (Q), Y3; ADDQ MS6, Q; \
	VMOVUPS (Q), Y4; ADDQ MS6, Q; \
	VMOVUPS (Q), Y5; \
	ADDQ MSB, MP; \
	AT(Y0, Y1, Y2, Y3, Y4, Y5); \
	VMOVUPS Y0, (j*32)(SP); \
	VMOVUPS Y2, ((6+j)*32)(SP); \
	VMOVUPS Y1, ((12+j)*32)(SP); \
	VMOVUPS Y4, ((18+j)*32)(SP)

// ROW: row p of T through A, then + Y8 (the bias, or -0 which adds
// nothing, not even to -0) and max with Y9 (0 for ReLU, else -Inf; the
// value is the second source of VMAXPS so that NaN propagates), then the
// 8 channels' four values stored at YROW, YROW+plane, …; YROW moves down
// a row.
#define ROW(p) \
	VMOVUPS ((6*p)*32)(SP), Y0; \
	VMOVUPS ((6*p+1)*32)(SP), Y1; \
	VMOVUPS ((6*p+2)*32)(SP), Y2; \
	VMOVUPS ((6*p+3)*32)(SP), Y3; \
	VMOVUPS ((6*p+4)*32)(SP), Y4; \
	VMOVUPS ((6*p+5)*32)(SP), Y5; \
	AT(Y0, Y1, Y2, Y3, Y4, Y5); \
	VADDPS Y8, Y0, Y0; \
	VADDPS Y8, Y2, Y2; \
	VADDPS Y8, Y1, Y1; \
	VADDPS Y8, Y4, Y4; \
	VMAXPS Y0, Y9, Y0; \
	VMAXPS Y2, Y9, Y2; \
	VMAXPS Y1, Y9, Y1; \
	VMAXPS Y4, Y9, Y4; \
	VUNPCKLPS Y2, Y0, Y10; \
	VUNPCKHPS Y2, Y0, Y11; \
	VUNPCKLPS Y4, Y1, Y12; \
	VUNPCKHPS Y4, Y1, Y13; \
	VUNPCKLPD Y12, Y10, Y0; \
	VUNPCKHPD Y12, Y10, Y1; \
	VUNPCKLPD Y13, Y11, Y2; \
	VUNPCKHPD Y13, Y11, Y3; \
	MOVQ YROW, PTR; \
	VMOVUPS X0, (PTR); ADDQ PLB, PTR; \
	VMOVUPS X1, (PTR); ADDQ PLB, PTR; \
	VMOVUPS X2, (PTR); ADDQ PLB, PTR; \
	VMOVUPS X3, (PTR); ADDQ PLB, PTR; \
	VEXTRACTF128 $1, Y0, (PTR); ADDQ PLB, PTR; \
	VEXTRACTF128 $1, Y1, (PTR); ADDQ PLB, PTR; \
	VEXTRACTF128 $1, Y2, (PTR); ADDQ PLB, PTR; \
	VEXTRACTF128 $1, Y3, (PTR); \
	ADDQ ROWB, YROW

TEXT ·WinoOut43AVX2(SB), 0, $768-104
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

	// Y9 = 0 (ReLU) or -Inf (identity).
	VXORPS Y9, Y9, Y9
	TESTQ  RELU, RELU
	JNZ    relu
	MOVL   $0xff800000, Q
	VMOVD  Q, X9
	VBROADCASTSS X9, Y9

relu:
	MOVQ $2, HALF

half:
	// Y8 = 8 bias values, or -0.
	TESTQ NBIAS, NBIAS
	JZ    nobias
	VMOVUPS (BIASP), Y8
	JMP   pass1

nobias:
	MOVL  $0x80000000, Q
	VMOVD Q, X8
	VBROADCASTSS X8, Y8

pass1:
	MOVQ MP, R15
	COL(0)
	COL(1)
	COL(2)
	COL(3)
	COL(4)
	COL(5)
	MOVQ R15, MP

	MOVQ YP, YROW
	ROW(0)
	ROW(1)
	ROW(2)
	ROW(3)

	// Second half: the next 8 channels.
	ADDQ $32, MP
	ADDQ $32, BIASP
	LEAQ (YP)(PLB*8), YP
	DECQ HALF
	JNZ  half
	VZEROUPPER
	RET
