//go:build !noasm

#include "textflag.h"
#include "neon_arm64.h"

// func GemvPanels16NEON(m, k, panels int, a, x []float32, ldx int, y []float32, ldy int, alpha, beta float32)
//
// For every panel p < panels of 16 outputs and every row i < m (m is 1 or 2):
//
//	y[i*ldy + 16p + j] = alpha * Σ_q a[16kp + 16q + j] * x[i*ldx + q] + beta * y[i*ldy + 16p + j]
//
// with y not read when beta is ±0 (see GemvPanelsGo). A panel is k rows of
// 16 floats (four q registers per step of q); each x value is loaded
// broadcast and multiplied into them. Steps go in pairs into two
// accumulator sets (even and odd q) so that enough independent FMLA
// chains are in flight; the sets are summed before the epilogue.

// General-purpose registers.
#define M    R0  // rows of x and y (1 or 2)
#define KK   R1  // k
#define NP   R2  // panels left
#define PA   R3  // packed A, advances 64 bytes per step of q
#define X0   R4  // x row 0
#define X1   R5  // x row 1
#define PY0  R6  // y row 0 at the current panel
#define PY1  R7  // y row 1 at the current panel
#define NZB  R8  // beta's bits without the sign: zero when beta is ±0
#define PX0  R9  // x row 0 at step q
#define PX1  R10 // x row 1 at step q
#define Q    R11 // steps of q left

// Vector registers: A in V0..V3 (even step) and V4..V7 (odd step), x
// broadcasts in V8..V11, alpha in V12, beta in V13; accumulators: row 0
// in V16..V19 (even) and V24..V27 (odd), row 1 in V20..V23 (even) and
// V28..V31 (odd).

// FMLA4 adds broadcast b times a0..a3 into c0..c3.
#define FMLA4(b, a0, a1, a2, a3, c0, c1, c2, c3) \
	VFMLA a0.S4, b.S4, c0.S4; \
	VFMLA a1.S4, b.S4, c1.S4; \
	VFMLA a2.S4, b.S4, c2.S4; \
	VFMLA a3.S4, b.S4, c3.S4

// ZERO4 clears four registers.
#define ZERO4(c0, c1, c2, c3) \
	VEOR c0.B16, c0.B16, c0.B16; \
	VEOR c1.B16, c1.B16, c1.B16; \
	VEOR c2.B16, c2.B16, c2.B16; \
	VEOR c3.B16, c3.B16, c3.B16

// FOLD4 sets registers c..c+3 = (c + d) * alpha for d..d+3 (numbers).
#define FOLD4(c, d) \
	FADD4S(c, c, d); \
	FADD4S(c+1, c+1, d+1); \
	FADD4S(c+2, c+2, d+2); \
	FADD4S(c+3, c+3, d+3); \
	FMUL4S(c, c, 12); \
	FMUL4S(c+1, c+1, 12); \
	FMUL4S(c+2, c+2, 12); \
	FMUL4S(c+3, c+3, 12)

TEXT ·GemvPanels16NEON(SB), NOSPLIT, $0-120
	MOVD  m+0(FP), M
	MOVD  k+8(FP), KK
	MOVD  panels+16(FP), NP
	MOVD  a_base+24(FP), PA
	MOVD  x_base+48(FP), X0
	MOVD  ldx+72(FP), X1
	ADD   X1<<2, X0, X1
	MOVD  y_base+80(FP), PY0
	MOVD  ldy+104(FP), PY1
	ADD   PY1<<2, PY0, PY1
	FMOVS alpha+112(FP), F12
	VDUP  V12.S[0], V12.S4
	FMOVS beta+116(FP), F13
	VDUP  V13.S[0], V13.S4
	MOVWU beta+116(FP), NZB
	AND   $0x7fffffff, NZB

	CMP $1, NP
	BLT done
	CMP $2, M
	BEQ panel2
	CMP $1, M
	BNE done

	// ---- one row ----
panel1:
	ZERO4(V16, V17, V18, V19)
	ZERO4(V24, V25, V26, V27)
	MOVD X0, PX0
	MOVD KK, Q
	CMP  $2, Q
	BLT  tail1

loop1:
	// Two steps of q: even into V16..V19, odd into V24..V27.
	VLD1.P  64(PA), [V0.S4, V1.S4, V2.S4, V3.S4]
	VLD1.P  64(PA), [V4.S4, V5.S4, V6.S4, V7.S4]
	VLD1R.P 4(PX0), [V8.S4]
	VLD1R.P 4(PX0), [V10.S4]
	FMLA4(V8, V0, V1, V2, V3, V16, V17, V18, V19)
	FMLA4(V10, V4, V5, V6, V7, V24, V25, V26, V27)
	SUB $2, Q
	CMP $2, Q
	BGE loop1

tail1:
	CBZ     Q, epi1
	VLD1.P  64(PA), [V0.S4, V1.S4, V2.S4, V3.S4]
	VLD1R.P 4(PX0), [V8.S4]
	FMLA4(V8, V0, V1, V2, V3, V16, V17, V18, V19)

epi1:
	FOLD4(16, 24)
	CBZ  NZB, store1
	VLD1 (PY0), [V0.S4, V1.S4, V2.S4, V3.S4]
	FMLA4(V13, V0, V1, V2, V3, V16, V17, V18, V19)

store1:
	VST1.P [V16.S4, V17.S4, V18.S4, V19.S4], 64(PY0)
	SUB    $1, NP
	CBNZ   NP, panel1
	B      done

	// ---- two rows ----
panel2:
	ZERO4(V16, V17, V18, V19)
	ZERO4(V20, V21, V22, V23)
	ZERO4(V24, V25, V26, V27)
	ZERO4(V28, V29, V30, V31)
	MOVD X0, PX0
	MOVD X1, PX1
	MOVD KK, Q
	CMP  $2, Q
	BLT  tail2

loop2:
	// Two steps of q; A of each step feeds both rows.
	VLD1.P  64(PA), [V0.S4, V1.S4, V2.S4, V3.S4]
	VLD1.P  64(PA), [V4.S4, V5.S4, V6.S4, V7.S4]
	VLD1R.P 4(PX0), [V8.S4]
	VLD1R.P 4(PX1), [V9.S4]
	VLD1R.P 4(PX0), [V10.S4]
	VLD1R.P 4(PX1), [V11.S4]
	FMLA4(V8, V0, V1, V2, V3, V16, V17, V18, V19)
	FMLA4(V9, V0, V1, V2, V3, V20, V21, V22, V23)
	FMLA4(V10, V4, V5, V6, V7, V24, V25, V26, V27)
	FMLA4(V11, V4, V5, V6, V7, V28, V29, V30, V31)
	SUB $2, Q
	CMP $2, Q
	BGE loop2

tail2:
	CBZ     Q, epi2
	VLD1.P  64(PA), [V0.S4, V1.S4, V2.S4, V3.S4]
	VLD1R.P 4(PX0), [V8.S4]
	VLD1R.P 4(PX1), [V9.S4]
	FMLA4(V8, V0, V1, V2, V3, V16, V17, V18, V19)
	FMLA4(V9, V0, V1, V2, V3, V20, V21, V22, V23)

epi2:
	FOLD4(16, 24)
	FOLD4(20, 28)
	CBZ  NZB, store2
	VLD1 (PY0), [V0.S4, V1.S4, V2.S4, V3.S4]
	VLD1 (PY1), [V4.S4, V5.S4, V6.S4, V7.S4]
	FMLA4(V13, V0, V1, V2, V3, V16, V17, V18, V19)
	FMLA4(V13, V4, V5, V6, V7, V20, V21, V22, V23)

store2:
	VST1.P [V16.S4, V17.S4, V18.S4, V19.S4], 64(PY0)
	VST1.P [V20.S4, V21.S4, V22.S4, V23.S4], 64(PY1)
	SUB    $1, NP
	CBNZ   NP, panel2

done:
	RET
