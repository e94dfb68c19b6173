//go:build !noasm

#include "textflag.h"

// func GemvPanels64AVX512(m, k, panels int, a, x []float32, ldx int, y []float32, ldy int, alpha, beta float32)
//
// For every panel p < panels of 64 outputs and every row i < m (m is 1 or 2):
//
//	y[i*ldy + 64p + j] = alpha * Σ_q a[64kp + 64q + j] * x[i*ldx + q] + beta * y[i*ldy + 64p + j]
//
// with y not read when beta == 0 (see GemvPanelsGo). A panel is k rows of
// 64 floats (256 bytes) held in four zmm registers per step of q; each x
// value is broadcast once per step and multiplied into them. Steps go in
// pairs into two accumulator sets (even and odd q) so that enough
// independent FMA chains are in flight to hide the FMA latency; the sets
// are summed before the epilogue.

// General-purpose registers.
#define M      R8  // rows of x and y (1 or 2)
#define KK     R9  // k
#define NP     R10 // panels left
#define PA     AX  // packed A, advances 256 bytes per step of q
#define PX0    BX  // x row 0 at step q
#define PX1    CX  // x row 1 at step q
#define PY0    DI  // y row 0 at the current panel
#define PY1    SI  // y row 1 at the current panel
#define Q      DX  // steps of q left
#define X0BASE R11 // x row 0
#define X1BASE R12 // x row 1

// Vector registers: A in Z16..Z23 (two steps), broadcasts in Z24..Z27,
// accumulators row 0 in Z0..Z3 (even q) and Z8..Z11 (odd q), row 1 in
// Z4..Z7 (even q) and Z12..Z15 (odd q); alpha and beta in Z28, Z29.
#define ALPHA Z28
#define BETA  Z29
#define BETA_X X29 // beta's low lane, for the beta == 0 test

// LOADA loads the four vectors of one step of A at offset off into a0..a3.
#define LOADA(off, a0, a1, a2, a3) \
	VMOVUPS off+0(PA), a0; \
	VMOVUPS off+64(PA), a1; \
	VMOVUPS off+128(PA), a2; \
	VMOVUPS off+192(PA), a3

// FMA4 adds broadcast b times a0..a3 into c0..c3.
#define FMA4(b, a0, a1, a2, a3, c0, c1, c2, c3) \
	VFMADD231PS a0, b, c0; \
	VFMADD231PS a1, b, c1; \
	VFMADD231PS a2, b, c2; \
	VFMADD231PS a3, b, c3

// ADD4 sets c0..c3 += d0..d3 (folds the odd-step set into the even one).
#define ADD4(d0, d1, d2, d3, c0, c1, c2, c3) \
	VADDPS d0, c0, c0; \
	VADDPS d1, c1, c1; \
	VADDPS d2, c2, c2; \
	VADDPS d3, c3, c3

// ZERO4 clears four registers.
#define ZERO4(c0, c1, c2, c3) \
	VPXORD c0, c0, c0; \
	VPXORD c1, c1, c1; \
	VPXORD c2, c2, c2; \
	VPXORD c3, c3, c3

// SCALE4 multiplies c0..c3 by alpha.
#define SCALE4(c0, c1, c2, c3) \
	VMULPS ALPHA, c0, c0; \
	VMULPS ALPHA, c1, c1; \
	VMULPS ALPHA, c2, c2; \
	VMULPS ALPHA, c3, c3

// BETA4 adds beta times the 64 floats of y at p into c0..c3.
#define BETA4(p, c0, c1, c2, c3) \
	VFMADD231PS 0(p), BETA, c0; \
	VFMADD231PS 64(p), BETA, c1; \
	VFMADD231PS 128(p), BETA, c2; \
	VFMADD231PS 192(p), BETA, c3

// STORE4 writes c0..c3 to the 64 floats of y at p.
#define STORE4(p, c0, c1, c2, c3) \
	VMOVUPS c0, 0(p); \
	VMOVUPS c1, 64(p); \
	VMOVUPS c2, 128(p); \
	VMOVUPS c3, 192(p)

TEXT ·GemvPanels64AVX512(SB), NOSPLIT, $0-120
	MOVQ m+0(FP), M
	MOVQ k+8(FP), KK
	MOVQ panels+16(FP), NP
	MOVQ a_base+24(FP), PA
	MOVQ x_base+48(FP), X0BASE
	MOVQ ldx+72(FP), X1BASE
	LEAQ (X0BASE)(X1BASE*4), X1BASE
	MOVQ y_base+80(FP), PY0
	MOVQ ldy+104(FP), PY1
	LEAQ (PY0)(PY1*4), PY1
	VBROADCASTSS alpha+112(FP), ALPHA
	VBROADCASTSS beta+116(FP), BETA

	TESTQ NP, NP
	JLE   done
	CMPQ  M, $2
	JEQ   panel2
	CMPQ  M, $1
	JNE   done

	// ---- one row ----
panel1:
	ZERO4(Z0, Z1, Z2, Z3)
	ZERO4(Z8, Z9, Z10, Z11)
	MOVQ X0BASE, PX0
	MOVQ KK, Q
	CMPQ Q, $2
	JLT  tail1

loop1:
	// Two steps of q: even into Z0..Z3, odd into Z8..Z11.
	LOADA(0, Z16, Z17, Z18, Z19)
	LOADA(256, Z20, Z21, Z22, Z23)
	VBROADCASTSS 0(PX0), Z24
	VBROADCASTSS 4(PX0), Z25
	FMA4(Z24, Z16, Z17, Z18, Z19, Z0, Z1, Z2, Z3)
	FMA4(Z25, Z20, Z21, Z22, Z23, Z8, Z9, Z10, Z11)
	ADDQ $512, PA
	ADDQ $8, PX0
	SUBQ $2, Q
	CMPQ Q, $2
	JGE  loop1

tail1:
	TESTQ Q, Q
	JZ    epi1
	LOADA(0, Z16, Z17, Z18, Z19)
	VBROADCASTSS 0(PX0), Z24
	FMA4(Z24, Z16, Z17, Z18, Z19, Z0, Z1, Z2, Z3)
	ADDQ $256, PA

epi1:
	ADD4(Z8, Z9, Z10, Z11, Z0, Z1, Z2, Z3)
	SCALE4(Z0, Z1, Z2, Z3)
	// beta == 0 (and not NaN): y is not read.
	VXORPS    X30, X30, X30
	VUCOMISS  X30, BETA_X
	JNE       beta1
	JPS       beta1
	JMP       store1

beta1:
	BETA4(PY0, Z0, Z1, Z2, Z3)

store1:
	STORE4(PY0, Z0, Z1, Z2, Z3)
	ADDQ $256, PY0
	DECQ NP
	JNZ  panel1
	JMP  done

	// ---- two rows ----
panel2:
	ZERO4(Z0, Z1, Z2, Z3)
	ZERO4(Z4, Z5, Z6, Z7)
	ZERO4(Z8, Z9, Z10, Z11)
	ZERO4(Z12, Z13, Z14, Z15)
	MOVQ X0BASE, PX0
	MOVQ X1BASE, PX1
	MOVQ KK, Q
	CMPQ Q, $2
	JLT  tail2

loop2:
	// Step q (even set): A in Z16..Z19, x0 and x1 broadcast.
	LOADA(0, Z16, Z17, Z18, Z19)
	VBROADCASTSS 0(PX0), Z24
	VBROADCASTSS 0(PX1), Z25
	FMA4(Z24, Z16, Z17, Z18, Z19, Z0, Z1, Z2, Z3)
	FMA4(Z25, Z16, Z17, Z18, Z19, Z4, Z5, Z6, Z7)
	// Step q+1 (odd set).
	LOADA(256, Z20, Z21, Z22, Z23)
	VBROADCASTSS 4(PX0), Z26
	VBROADCASTSS 4(PX1), Z27
	FMA4(Z26, Z20, Z21, Z22, Z23, Z8, Z9, Z10, Z11)
	FMA4(Z27, Z20, Z21, Z22, Z23, Z12, Z13, Z14, Z15)
	ADDQ $512, PA
	ADDQ $8, PX0
	ADDQ $8, PX1
	SUBQ $2, Q
	CMPQ Q, $2
	JGE  loop2

tail2:
	TESTQ Q, Q
	JZ    epi2
	LOADA(0, Z16, Z17, Z18, Z19)
	VBROADCASTSS 0(PX0), Z24
	VBROADCASTSS 0(PX1), Z25
	FMA4(Z24, Z16, Z17, Z18, Z19, Z0, Z1, Z2, Z3)
	FMA4(Z25, Z16, Z17, Z18, Z19, Z4, Z5, Z6, Z7)
	ADDQ $256, PA

epi2:
	ADD4(Z8, Z9, Z10, Z11, Z0, Z1, Z2, Z3)
	ADD4(Z12, Z13, Z14, Z15, Z4, Z5, Z6, Z7)
	SCALE4(Z0, Z1, Z2, Z3)
	SCALE4(Z4, Z5, Z6, Z7)
	VXORPS    X30, X30, X30
	VUCOMISS  X30, BETA_X
	JNE       beta2
	JPS       beta2
	JMP       store2

beta2:
	BETA4(PY0, Z0, Z1, Z2, Z3)
	BETA4(PY1, Z4, Z5, Z6, Z7)

store2:
	STORE4(PY0, Z0, Z1, Z2, Z3)
	STORE4(PY1, Z4, Z5, Z6, Z7)
	ADDQ $256, PY0
	ADDQ $256, PY1
	DECQ NP
	JNZ  panel2

done:
	VZEROUPPER
	RET
