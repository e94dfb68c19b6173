//go:build !noasm

#include "textflag.h"

// func GemvPanels32AVX2(m, k, panels int, a, x []float32, ldx int, y []float32, ldy int, alpha, beta float32)
//
// For every panel p < panels of 32 outputs and every row i < m (m is 1 or 2):
//
//	y[i*ldy + 32p + j] = alpha * Σ_q a[32kp + 32q + j] * x[i*ldx + q] + beta * y[i*ldy + 32p + j]
//
// with y not read when beta == 0 (see GemvPanelsGo). A panel is k rows of
// 32 floats (128 bytes, four ymm vectors). With one row, steps of q go in
// pairs into two accumulator sets (even and odd q) with A read straight
// from memory by the FMAs; with two rows, A is loaded once per step into
// four registers and feeds both rows' eight accumulators.

// General-purpose registers.
#define M      R8  // rows of x and y (1 or 2)
#define KK     R9  // k
#define NP     R10 // panels left
#define PA     AX  // packed A, advances 128 bytes per step of q
#define PX0    BX  // x row 0 at step q
#define PX1    CX  // x row 1 at step q
#define PY0    DI  // y row 0 at the current panel
#define PY1    SI  // y row 1 at the current panel
#define Q      DX  // steps of q left
#define X0BASE R11 // x row 0
#define X1BASE R12 // x row 1

// Vector registers: accumulators in Y0..Y7, A in Y8..Y11, broadcasts in
// Y12, Y13, alpha and beta in Y14, Y15.
#define ALPHA  Y14
#define BETA   Y15
#define BETA_X X15 // beta's low lane, for the beta == 0 test

// FMA4M adds broadcast b times the four A vectors at offset off into c0..c3.
#define FMA4M(off, b, c0, c1, c2, c3) \
	VFMADD231PS off+0(PA), b, c0; \
	VFMADD231PS off+32(PA), b, c1; \
	VFMADD231PS off+64(PA), b, c2; \
	VFMADD231PS off+96(PA), b, c3

// LOADA loads the four vectors of one step of A into Y8..Y11.
#define LOADA \
	VMOVUPS 0(PA), Y8; \
	VMOVUPS 32(PA), Y9; \
	VMOVUPS 64(PA), Y10; \
	VMOVUPS 96(PA), Y11

// FMA4R adds broadcast b times Y8..Y11 into c0..c3.
#define FMA4R(b, c0, c1, c2, c3) \
	VFMADD231PS Y8, b, c0; \
	VFMADD231PS Y9, b, c1; \
	VFMADD231PS Y10, b, c2; \
	VFMADD231PS Y11, b, c3

// ADD4 sets c0..c3 += d0..d3.
#define ADD4(d0, d1, d2, d3, c0, c1, c2, c3) \
	VADDPS d0, c0, c0; \
	VADDPS d1, c1, c1; \
	VADDPS d2, c2, c2; \
	VADDPS d3, c3, c3

// ZERO4 clears four registers.
#define ZERO4(c0, c1, c2, c3) \
	VXORPS c0, c0, c0; \
	VXORPS c1, c1, c1; \
	VXORPS c2, c2, c2; \
	VXORPS c3, c3, c3

// SCALE4 multiplies c0..c3 by alpha.
#define SCALE4(c0, c1, c2, c3) \
	VMULPS ALPHA, c0, c0; \
	VMULPS ALPHA, c1, c1; \
	VMULPS ALPHA, c2, c2; \
	VMULPS ALPHA, c3, c3

// BETA4 adds beta times the 32 floats of y at p into c0..c3.
#define BETA4(p, c0, c1, c2, c3) \
	VFMADD231PS 0(p), BETA, c0; \
	VFMADD231PS 32(p), BETA, c1; \
	VFMADD231PS 64(p), BETA, c2; \
	VFMADD231PS 96(p), BETA, c3

// STORE4 writes c0..c3 to the 32 floats of y at p.
#define STORE4(p, c0, c1, c2, c3) \
	VMOVUPS c0, 0(p); \
	VMOVUPS c1, 32(p); \
	VMOVUPS c2, 64(p); \
	VMOVUPS c3, 96(p)

TEXT ·GemvPanels32AVX2(SB), NOSPLIT, $0-120
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
	ZERO4(Y0, Y1, Y2, Y3)
	ZERO4(Y4, Y5, Y6, Y7)
	MOVQ X0BASE, PX0
	MOVQ KK, Q
	CMPQ Q, $2
	JLT  tail1

loop1:
	// Two steps of q: even into Y0..Y3, odd into Y4..Y7.
	VBROADCASTSS 0(PX0), Y12
	VBROADCASTSS 4(PX0), Y13
	FMA4M(0, Y12, Y0, Y1, Y2, Y3)
	FMA4M(128, Y13, Y4, Y5, Y6, Y7)
	ADDQ $256, PA
	ADDQ $8, PX0
	SUBQ $2, Q
	CMPQ Q, $2
	JGE  loop1

tail1:
	TESTQ Q, Q
	JZ    epi1
	VBROADCASTSS 0(PX0), Y12
	FMA4M(0, Y12, Y0, Y1, Y2, Y3)
	ADDQ $128, PA

epi1:
	ADD4(Y4, Y5, Y6, Y7, Y0, Y1, Y2, Y3)
	SCALE4(Y0, Y1, Y2, Y3)
	// beta == 0 (and not NaN): y is not read.
	VXORPS   X12, X12, X12
	VUCOMISS X12, BETA_X
	JNE      beta1
	JPS      beta1
	JMP      store1

beta1:
	BETA4(PY0, Y0, Y1, Y2, Y3)

store1:
	STORE4(PY0, Y0, Y1, Y2, Y3)
	ADDQ $128, PY0
	DECQ NP
	JNZ  panel1
	JMP  done

	// ---- two rows ----
panel2:
	ZERO4(Y0, Y1, Y2, Y3)
	ZERO4(Y4, Y5, Y6, Y7)
	MOVQ X0BASE, PX0
	MOVQ X1BASE, PX1
	MOVQ KK, Q
	TESTQ Q, Q
	JZ   epi2

loop2:
	// One step of q: A in Y8..Y11 feeds row 0 (Y0..Y3) and row 1 (Y4..Y7).
	LOADA
	VBROADCASTSS 0(PX0), Y12
	VBROADCASTSS 0(PX1), Y13
	FMA4R(Y12, Y0, Y1, Y2, Y3)
	FMA4R(Y13, Y4, Y5, Y6, Y7)
	ADDQ $128, PA
	ADDQ $4, PX0
	ADDQ $4, PX1
	DECQ Q
	JNZ  loop2

epi2:
	SCALE4(Y0, Y1, Y2, Y3)
	SCALE4(Y4, Y5, Y6, Y7)
	VXORPS   X12, X12, X12
	VUCOMISS X12, BETA_X
	JNE      beta2
	JPS      beta2
	JMP      store2

beta2:
	BETA4(PY0, Y0, Y1, Y2, Y3)
	BETA4(PY1, Y4, Y5, Y6, Y7)

store2:
	STORE4(PY0, Y0, Y1, Y2, Y3)
	STORE4(PY1, Y4, Y5, Y6, Y7)
	ADDQ $128, PY0
	ADDQ $128, PY1
	DECQ NP
	JNZ  panel2

done:
	VZEROUPPER
	RET
