//go:build !noasm

#include "textflag.h"
#include "vec_amd64.h"
#include "vec_math_avx512_amd64.h"

// func LSTMGatesAVX512(p []float32, ld int, c, h []float32)
//
// The LSTM gate math of purego.LSTMGates, 16 hidden units per vector:
// the four gate pre-activations at p, p+ld, p+2·ld and p+3·ld (floats) are
// read once, c is updated and h written, with the activations of
// SIGMOID512 and TANH512 (vec_math_avx512_amd64.h); two vectors at a time
// while 32 units remain.

#define PI  SI // input gate pre-activations, advances
#define PO  R8 // output gate
#define PF  R9 // forget gate
#define PG  R10 // cell gate
#define CP  DI // cell state, advances
#define HP  DX // hidden state out, advances
#define N   CX // units left (also the tail shift count)

// GATES512 computes one vector of 16 units whose inputs were loaded into
// Z0 (i), Z1 (o), Z2 (f), Z3 (g) and Z10 (c): Z10 = c', Z11 = h. The four
// independent activations come first, so that the chain through c' and
// tanh(c') overlaps the next vector's.
#define GATES512 \
	SIGMOID512(Z0, Z4, Z5, Z6, Z7, Z8); \
	SIGMOID512(Z2, Z4, Z5, Z6, Z7, Z8); \
	TANH512(Z3, Z4, Z5, Z6, Z7, Z8, Z9); \
	SIGMOID512(Z1, Z4, Z5, Z6, Z7, Z8); \
	VMULPS  Z2, Z10, Z10; \
	VMULPS  Z0, Z3, Z3; \
	VADDPS  Z3, Z10, Z10; \
	VMOVAPS Z10, Z11; \
	TANH512(Z11, Z4, Z5, Z6, Z7, Z8, Z9); \
	VMULPS  Z11, Z1, Z11

// GATES512X2 is GATES512 on two vectors, the second in Z12 (i), Z13 (o),
// Z14 (f), Z15 (g) and Z22 (c), giving Z22 = c', Z23 = h; the steps of
// the two alternate, so that each one's latency is hidden by the other.
#define GATES512X2 \
	SIGMOID512(Z0, Z4, Z5, Z6, Z7, Z8); \
	SIGMOID512(Z12, Z16, Z17, Z18, Z19, Z20); \
	SIGMOID512(Z2, Z4, Z5, Z6, Z7, Z8); \
	SIGMOID512(Z14, Z16, Z17, Z18, Z19, Z20); \
	TANH512(Z3, Z4, Z5, Z6, Z7, Z8, Z9); \
	TANH512(Z15, Z16, Z17, Z18, Z19, Z20, Z21); \
	SIGMOID512(Z1, Z4, Z5, Z6, Z7, Z8); \
	SIGMOID512(Z13, Z16, Z17, Z18, Z19, Z20); \
	VMULPS  Z2, Z10, Z10; \
	VMULPS  Z14, Z22, Z22; \
	VMULPS  Z0, Z3, Z3; \
	VMULPS  Z12, Z15, Z15; \
	VADDPS  Z3, Z10, Z10; \
	VADDPS  Z15, Z22, Z22; \
	VMOVAPS Z10, Z11; \
	VMOVAPS Z22, Z23; \
	TANH512(Z11, Z4, Z5, Z6, Z7, Z8, Z9); \
	TANH512(Z23, Z16, Z17, Z18, Z19, Z20, Z21); \
	VMULPS  Z11, Z1, Z11; \
	VMULPS  Z23, Z13, Z23

TEXT ·LSTMGatesAVX512(SB), NOSPLIT, $0-80
	MOVQ    p_base+0(FP), PI
	MOVQ    ld+24(FP), AX
	MOVQ    c_base+32(FP), CP
	MOVQ    h_base+56(FP), HP
	MOVQ    h_len+64(FP), N
	SHLQ    $2, AX
	LEAQ    (PI)(AX*1), PO
	LEAQ    (PO)(AX*1), PF
	LEAQ    (PF)(AX*1), PG
	VMOVUPS CV(K_EXPLO), ZEXPLO
	VMOVUPS CV(K_EXPHI), ZEXPHI

loop32:
	CMPQ    N, $32
	JLT     loop16
	VMOVUPS 0(PI), Z0
	VMOVUPS 0(PO), Z1
	VMOVUPS 0(PF), Z2
	VMOVUPS 0(PG), Z3
	VMOVUPS 0(CP), Z10
	VMOVUPS 64(PI), Z12
	VMOVUPS 64(PO), Z13
	VMOVUPS 64(PF), Z14
	VMOVUPS 64(PG), Z15
	VMOVUPS 64(CP), Z22
	GATES512X2
	VMOVUPS Z10, 0(CP)
	VMOVUPS Z11, 0(HP)
	VMOVUPS Z22, 64(CP)
	VMOVUPS Z23, 64(HP)
	ADDQ    $128, PI
	ADDQ    $128, PO
	ADDQ    $128, PF
	ADDQ    $128, PG
	ADDQ    $128, CP
	ADDQ    $128, HP
	SUBQ    $32, N
	JMP     loop32

loop16:
	CMPQ    N, $16
	JLT     tail
	VMOVUPS 0(PI), Z0
	VMOVUPS 0(PO), Z1
	VMOVUPS 0(PF), Z2
	VMOVUPS 0(PG), Z3
	VMOVUPS 0(CP), Z10
	GATES512
	VMOVUPS Z10, 0(CP)
	VMOVUPS Z11, 0(HP)
	ADDQ    $64, PI
	ADDQ    $64, PO
	ADDQ    $64, PF
	ADDQ    $64, PG
	ADDQ    $64, CP
	ADDQ    $64, HP
	SUBQ    $16, N

tail:
	// The last 0..15 units under the mask K3 = 2^N - 1 (zeroed lanes are
	// computed and dropped).
	TESTQ     N, N
	JZ        done
	MOVL      $1, AX
	SHLL      CX, AX
	DECL      AX
	KMOVW     AX, K3
	VMOVUPS.Z 0(PI), K3, Z0
	VMOVUPS.Z 0(PO), K3, Z1
	VMOVUPS.Z 0(PF), K3, Z2
	VMOVUPS.Z 0(PG), K3, Z3
	VMOVUPS.Z 0(CP), K3, Z10
	GATES512
	VMOVUPS   Z10, K3, 0(CP)
	VMOVUPS   Z11, K3, 0(HP)

done:
	VZEROUPPER
	RET
