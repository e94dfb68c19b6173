//go:build !noasm

#include "textflag.h"
#include "vec_amd64.h"
#include "vec_math_avx2_amd64.h"

// func LSTMGatesAVX2(p []float32, ld int, c, h []float32)
//
// The LSTM gate math of purego.LSTMGates, 8 hidden units per iteration:
// the four gate pre-activations at p, p+ld, p+2·ld and p+3·ld (floats) are
// read once, c is updated and h written, with the activations of
// SIGMOID256 and TANH256 (vec_math_avx2_amd64.h).

#define PI   SI  // input gate pre-activations, advances
#define PO   R8  // output gate
#define PF   R9  // forget gate
#define PG   R10 // cell gate
#define CP   DI  // cell state, advances
#define HP   DX  // hidden state out, advances
#define N    CX  // units left
#define MASK Y12 // tail mask (Y14/Y15 hold the exp clamps)

// GATES256 computes one vector of 8 units whose inputs were loaded into
// Y0 (i), Y1 (o), Y2 (f), Y3 (g) and Y10 (c): Y10 = c', Y11 = h. The four
// independent activations come first, so that the chain through c' and
// tanh(c') overlaps the next vector's (there are too few registers to
// interleave two vectors, as the AVX-512 kernel does).
#define GATES256 \
	SIGMOID256(Y0, Y4, Y5, Y6, Y7, Y8); \
	SIGMOID256(Y2, Y4, Y5, Y6, Y7, Y8); \
	TANH256(Y3, Y4, Y5, Y6, Y7, Y8, Y9); \
	SIGMOID256(Y1, Y4, Y5, Y6, Y7, Y8); \
	VMULPS  Y2, Y10, Y10; \
	VMULPS  Y0, Y3, Y3; \
	VADDPS  Y3, Y10, Y10; \
	VMOVAPS Y10, Y11; \
	TANH256(Y11, Y4, Y5, Y6, Y7, Y8, Y9); \
	VMULPS  Y11, Y1, Y11

TEXT ·LSTMGatesAVX2(SB), NOSPLIT, $0-80
	MOVQ    p_base+0(FP), PI
	MOVQ    ld+24(FP), AX
	MOVQ    c_base+32(FP), CP
	MOVQ    h_base+56(FP), HP
	MOVQ    h_len+64(FP), N
	SHLQ    $2, AX
	LEAQ    (PI)(AX*1), PO
	LEAQ    (PO)(AX*1), PF
	LEAQ    (PF)(AX*1), PG
	VMOVUPS CV(K_EXPLO), YEXPLO
	VMOVUPS CV(K_EXPHI), YEXPHI

loop8:
	CMPQ    N, $8
	JLT     tail
	VMOVUPS 0(PI), Y0
	VMOVUPS 0(PO), Y1
	VMOVUPS 0(PF), Y2
	VMOVUPS 0(PG), Y3
	VMOVUPS 0(CP), Y10
	GATES256
	VMOVUPS Y10, 0(CP)
	VMOVUPS Y11, 0(HP)
	ADDQ    $32, PI
	ADDQ    $32, PO
	ADDQ    $32, PF
	ADDQ    $32, PG
	ADDQ    $32, CP
	ADDQ    $32, HP
	SUBQ    $8, N
	JMP     loop8

tail:
	// The last 0..7 units under the mask vecMask8[8-N:] (masked-out lanes
	// load as 0, are computed and not stored).
	TESTQ      N, N
	JZ         done
	LEAQ       ·vecMask8(SB), AX
	MOVQ       $8, BX
	SUBQ       N, BX
	VMOVDQU    (AX)(BX*4), MASK
	VMASKMOVPS 0(PI), MASK, Y0
	VMASKMOVPS 0(PO), MASK, Y1
	VMASKMOVPS 0(PF), MASK, Y2
	VMASKMOVPS 0(PG), MASK, Y3
	VMASKMOVPS 0(CP), MASK, Y10
	GATES256
	VMASKMOVPS Y10, MASK, 0(CP)
	VMASKMOVPS Y11, MASK, 0(HP)

done:
	VZEROUPPER
	RET
