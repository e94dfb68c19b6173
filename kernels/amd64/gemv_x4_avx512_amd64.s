//go:build !noasm

#include "textflag.h"

// func GemvPanels64x4AVX512(k, panels int, a, x []float32, ldx int, y []float32, ldy int, alpha, beta float32)
//
// For every panel p < panels of 64 outputs and every row i < 4:
//
//	y[i*ldy + 64p + j] = alpha * Σ_q a[64kp + 64q + j] * x[i*ldx + q] + beta * y[i*ldy + 64p + j]
//
// with y not read when beta == 0 (see GemvPanels64x4Go). Four rows of x
// share one stream of the panel: each step of q loads 64 floats of A into
// four zmm registers and multiplies them into four accumulators per row,
// so 16 independent FMA chains hide the FMA latency without splitting q.

#define KK    R9  // k
#define NP    R10 // panels left
#define PA    AX  // packed A, advances 256 bytes per step of q
#define PX    BX  // x row 0 at step q
#define LDXB  CX  // ldx in bytes
#define LDX3  R11 // 3·ldx in bytes
#define Q     DX  // steps of q left
#define PY0   DI  // y row 0 at the current panel
#define PY2   SI  // y row 2 at the current panel
#define LDYB  R12 // ldy in bytes
#define XBASE R13 // x row 0
#define PY1   R8  // y row 1 (epilogue)
#define PY3   R14 // y row 3 (epilogue)

#define ALPHA Z28
#define BETA  Z29
#define BETA_X X29

#define FMA4(b, c0, c1, c2, c3) \
	VFMADD231PS Z16, b, c0; \
	VFMADD231PS Z17, b, c1; \
	VFMADD231PS Z18, b, c2; \
	VFMADD231PS Z19, b, c3

#define ZERO4(c0, c1, c2, c3) \
	VPXORD c0, c0, c0; \
	VPXORD c1, c1, c1; \
	VPXORD c2, c2, c2; \
	VPXORD c3, c3, c3

#define SCALE4(c0, c1, c2, c3) \
	VMULPS ALPHA, c0, c0; \
	VMULPS ALPHA, c1, c1; \
	VMULPS ALPHA, c2, c2; \
	VMULPS ALPHA, c3, c3

#define BETA4(p, c0, c1, c2, c3) \
	VFMADD231PS 0(p), BETA, c0; \
	VFMADD231PS 64(p), BETA, c1; \
	VFMADD231PS 128(p), BETA, c2; \
	VFMADD231PS 192(p), BETA, c3

#define STORE4(p, c0, c1, c2, c3) \
	VMOVUPS c0, 0(p); \
	VMOVUPS c1, 64(p); \
	VMOVUPS c2, 128(p); \
	VMOVUPS c3, 192(p)

TEXT ·GemvPanels64x4AVX512(SB), NOSPLIT, $0-112
	MOVQ k+0(FP), KK
	MOVQ panels+8(FP), NP
	MOVQ a_base+16(FP), PA
	MOVQ x_base+40(FP), XBASE
	MOVQ ldx+64(FP), LDXB
	SHLQ $2, LDXB
	LEAQ (LDXB)(LDXB*2), LDX3
	MOVQ y_base+72(FP), PY0
	MOVQ ldy+96(FP), LDYB
	SHLQ $2, LDYB
	LEAQ (PY0)(LDYB*2), PY2
	VBROADCASTSS alpha+104(FP), ALPHA
	VBROADCASTSS beta+108(FP), BETA

	TESTQ NP, NP
	JLE   done

panel:
	ZERO4(Z0, Z1, Z2, Z3)
	ZERO4(Z4, Z5, Z6, Z7)
	ZERO4(Z8, Z9, Z10, Z11)
	ZERO4(Z12, Z13, Z14, Z15)
	MOVQ  XBASE, PX
	MOVQ  KK, Q
	TESTQ Q, Q
	JLE   epi

loop:
	VMOVUPS      0(PA), Z16
	VMOVUPS      64(PA), Z17
	VMOVUPS      128(PA), Z18
	VMOVUPS      192(PA), Z19
	VBROADCASTSS (PX), Z20
	VBROADCASTSS (PX)(LDXB*1), Z21
	VBROADCASTSS (PX)(LDXB*2), Z22
	VBROADCASTSS (PX)(LDX3*1), Z23
	FMA4(Z20, Z0, Z1, Z2, Z3)
	FMA4(Z21, Z4, Z5, Z6, Z7)
	FMA4(Z22, Z8, Z9, Z10, Z11)
	FMA4(Z23, Z12, Z13, Z14, Z15)
	ADDQ $256, PA
	ADDQ $4, PX
	DECQ Q
	JNZ  loop

epi:
	LEAQ (PY0)(LDYB*1), PY1
	LEAQ (PY2)(LDYB*1), PY3
	SCALE4(Z0, Z1, Z2, Z3)
	SCALE4(Z4, Z5, Z6, Z7)
	SCALE4(Z8, Z9, Z10, Z11)
	SCALE4(Z12, Z13, Z14, Z15)
	// beta == 0 (and not NaN): y is not read.
	VXORPS   X30, X30, X30
	VUCOMISS X30, BETA_X
	JNE      withbeta
	JPS      withbeta
	JMP      store

withbeta:
	BETA4(PY0, Z0, Z1, Z2, Z3)
	BETA4(PY1, Z4, Z5, Z6, Z7)
	BETA4(PY2, Z8, Z9, Z10, Z11)
	BETA4(PY3, Z12, Z13, Z14, Z15)

store:
	STORE4(PY0, Z0, Z1, Z2, Z3)
	STORE4(PY1, Z4, Z5, Z6, Z7)
	STORE4(PY2, Z8, Z9, Z10, Z11)
	STORE4(PY3, Z12, Z13, Z14, Z15)
	ADDQ $256, PY0
	ADDQ $256, PY2
	DECQ NP
	JNZ  panel

done:
	VZEROUPPER
	RET
