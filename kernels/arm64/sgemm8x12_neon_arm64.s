//go:build !noasm

#include "textflag.h"
#include "neon_arm64.h"

// func Sgemm8x12NEON(k int, a, b, c []float32, ldc int, alpha, beta float32, bias []float32, act int)
//
// C[0:8, 0:12] = act(alpha * Apanel(8×k) · Bpanel(k×12) + beta*C + bias)
// with Apanel stored a[p*8+i] and Bpanel stored b[p*12+j] (see Sgemm8x12Go).

// General-purpose registers.
#define K    R0  // remaining steps of k
#define PA   R1  // packed A, advances 8 floats (32 bytes) per step
#define PB   R2  // packed B, advances 12 floats (48 bytes) per step
#define PC   R3  // current row of C
#define LDC  R4  // row stride of C in bytes
#define BIAS R5  // bias pointer
#define TMP  R6

// Vector registers: B in V0..V2, the A broadcast alternates V3/V4, V5 holds
// alpha, V6 beta, V7 zero; row r of the 8×3 accumulator tile lives in
// V(8+3r)..V(10+3r) (consecutive, so one VST1 stores a row).

// ROW adds broadcast A (register VA) times the three B vectors into row r.
#define ROW(VA, c0, c1, c2) \
	VFMLA V0.S4, VA.S4, c0.S4; \
	VFMLA V1.S4, VA.S4, c1.S4; \
	VFMLA V2.S4, VA.S4, c2.S4

TEXT ·Sgemm8x12NEON(SB), NOSPLIT, $0-128
	MOVD k+0(FP), K
	MOVD a_base+8(FP), PA
	MOVD b_base+32(FP), PB
	MOVD ldc+80(FP), LDC
	LSL  $2, LDC, LDC

	// Clear the accumulators.
	VEOR V8.B16, V8.B16, V8.B16
	VEOR V9.B16, V9.B16, V9.B16
	VEOR V10.B16, V10.B16, V10.B16
	VEOR V11.B16, V11.B16, V11.B16
	VEOR V12.B16, V12.B16, V12.B16
	VEOR V13.B16, V13.B16, V13.B16
	VEOR V14.B16, V14.B16, V14.B16
	VEOR V15.B16, V15.B16, V15.B16
	VEOR V16.B16, V16.B16, V16.B16
	VEOR V17.B16, V17.B16, V17.B16
	VEOR V18.B16, V18.B16, V18.B16
	VEOR V19.B16, V19.B16, V19.B16
	VEOR V20.B16, V20.B16, V20.B16
	VEOR V21.B16, V21.B16, V21.B16
	VEOR V22.B16, V22.B16, V22.B16
	VEOR V23.B16, V23.B16, V23.B16
	VEOR V24.B16, V24.B16, V24.B16
	VEOR V25.B16, V25.B16, V25.B16
	VEOR V26.B16, V26.B16, V26.B16
	VEOR V27.B16, V27.B16, V27.B16
	VEOR V28.B16, V28.B16, V28.B16
	VEOR V29.B16, V29.B16, V29.B16
	VEOR V30.B16, V30.B16, V30.B16
	VEOR V31.B16, V31.B16, V31.B16

	CBZ K, epilogue

loop:
	// One step of k: 12 floats of B, then each of the 8 A values broadcast.
	VLD1.P 48(PB), [V0.S4, V1.S4, V2.S4]
	VLD1R.P 4(PA), [V3.S4]
	ROW(V3, V8, V9, V10)
	VLD1R.P 4(PA), [V4.S4]
	ROW(V4, V11, V12, V13)
	VLD1R.P 4(PA), [V3.S4]
	ROW(V3, V14, V15, V16)
	VLD1R.P 4(PA), [V4.S4]
	ROW(V4, V17, V18, V19)
	VLD1R.P 4(PA), [V3.S4]
	ROW(V3, V20, V21, V22)
	VLD1R.P 4(PA), [V4.S4]
	ROW(V4, V23, V24, V25)
	VLD1R.P 4(PA), [V3.S4]
	ROW(V3, V26, V27, V28)
	VLD1R.P 4(PA), [V4.S4]
	ROW(V4, V29, V30, V31)
	SUB  $1, K
	CBNZ K, loop

epilogue:
	// acc *= alpha.
	FMOVS alpha+88(FP), F5
	VDUP  V5.S[0], V5.S4
	FMUL4S(8, 8, 5)
	FMUL4S(9, 9, 5)
	FMUL4S(10, 10, 5)
	FMUL4S(11, 11, 5)
	FMUL4S(12, 12, 5)
	FMUL4S(13, 13, 5)
	FMUL4S(14, 14, 5)
	FMUL4S(15, 15, 5)
	FMUL4S(16, 16, 5)
	FMUL4S(17, 17, 5)
	FMUL4S(18, 18, 5)
	FMUL4S(19, 19, 5)
	FMUL4S(20, 20, 5)
	FMUL4S(21, 21, 5)
	FMUL4S(22, 22, 5)
	FMUL4S(23, 23, 5)
	FMUL4S(24, 24, 5)
	FMUL4S(25, 25, 5)
	FMUL4S(26, 26, 5)
	FMUL4S(27, 27, 5)
	FMUL4S(28, 28, 5)
	FMUL4S(29, 29, 5)
	FMUL4S(30, 30, 5)
	FMUL4S(31, 31, 5)

	// acc += beta*C, skipped (C unread) when beta is ±0.
	MOVWU beta+92(FP), TMP
	AND   $0x7fffffff, TMP
	CBZ   TMP, bias
	FMOVS beta+92(FP), F6
	VDUP  V6.S[0], V6.S4
	MOVD  c_base+56(FP), PC
	VLD1 (PC), [V0.S4, V1.S4, V2.S4]
	VFMLA V6.S4, V0.S4, V8.S4
	VFMLA V6.S4, V1.S4, V9.S4
	VFMLA V6.S4, V2.S4, V10.S4
	ADD LDC, PC
	VLD1 (PC), [V0.S4, V1.S4, V2.S4]
	VFMLA V6.S4, V0.S4, V11.S4
	VFMLA V6.S4, V1.S4, V12.S4
	VFMLA V6.S4, V2.S4, V13.S4
	ADD LDC, PC
	VLD1 (PC), [V0.S4, V1.S4, V2.S4]
	VFMLA V6.S4, V0.S4, V14.S4
	VFMLA V6.S4, V1.S4, V15.S4
	VFMLA V6.S4, V2.S4, V16.S4
	ADD LDC, PC
	VLD1 (PC), [V0.S4, V1.S4, V2.S4]
	VFMLA V6.S4, V0.S4, V17.S4
	VFMLA V6.S4, V1.S4, V18.S4
	VFMLA V6.S4, V2.S4, V19.S4
	ADD LDC, PC
	VLD1 (PC), [V0.S4, V1.S4, V2.S4]
	VFMLA V6.S4, V0.S4, V20.S4
	VFMLA V6.S4, V1.S4, V21.S4
	VFMLA V6.S4, V2.S4, V22.S4
	ADD LDC, PC
	VLD1 (PC), [V0.S4, V1.S4, V2.S4]
	VFMLA V6.S4, V0.S4, V23.S4
	VFMLA V6.S4, V1.S4, V24.S4
	VFMLA V6.S4, V2.S4, V25.S4
	ADD LDC, PC
	VLD1 (PC), [V0.S4, V1.S4, V2.S4]
	VFMLA V6.S4, V0.S4, V26.S4
	VFMLA V6.S4, V1.S4, V27.S4
	VFMLA V6.S4, V2.S4, V28.S4
	ADD LDC, PC
	VLD1 (PC), [V0.S4, V1.S4, V2.S4]
	VFMLA V6.S4, V0.S4, V29.S4
	VFMLA V6.S4, V1.S4, V30.S4
	VFMLA V6.S4, V2.S4, V31.S4
	ADD LDC, PC

bias:
	// acc += bias[0:12] on every row, when a bias is given.
	MOVD bias_len+104(FP), TMP
	CBZ  TMP, act
	MOVD bias_base+96(FP), BIAS
	VLD1 (BIAS), [V0.S4, V1.S4, V2.S4]
	FADD4S(8, 8, 0)
	FADD4S(9, 9, 1)
	FADD4S(10, 10, 2)
	FADD4S(11, 11, 0)
	FADD4S(12, 12, 1)
	FADD4S(13, 13, 2)
	FADD4S(14, 14, 0)
	FADD4S(15, 15, 1)
	FADD4S(16, 16, 2)
	FADD4S(17, 17, 0)
	FADD4S(18, 18, 1)
	FADD4S(19, 19, 2)
	FADD4S(20, 20, 0)
	FADD4S(21, 21, 1)
	FADD4S(22, 22, 2)
	FADD4S(23, 23, 0)
	FADD4S(24, 24, 1)
	FADD4S(25, 25, 2)
	FADD4S(26, 26, 0)
	FADD4S(27, 27, 1)
	FADD4S(28, 28, 2)
	FADD4S(29, 29, 0)
	FADD4S(30, 30, 1)
	FADD4S(31, 31, 2)

act:
	// ReLU when act == ActReLU (1); FMAX propagates NaN.
	MOVD act+120(FP), TMP
	CMP  $1, TMP
	BNE  store
	VEOR V7.B16, V7.B16, V7.B16
	FMAX4S(8, 8, 7)
	FMAX4S(9, 9, 7)
	FMAX4S(10, 10, 7)
	FMAX4S(11, 11, 7)
	FMAX4S(12, 12, 7)
	FMAX4S(13, 13, 7)
	FMAX4S(14, 14, 7)
	FMAX4S(15, 15, 7)
	FMAX4S(16, 16, 7)
	FMAX4S(17, 17, 7)
	FMAX4S(18, 18, 7)
	FMAX4S(19, 19, 7)
	FMAX4S(20, 20, 7)
	FMAX4S(21, 21, 7)
	FMAX4S(22, 22, 7)
	FMAX4S(23, 23, 7)
	FMAX4S(24, 24, 7)
	FMAX4S(25, 25, 7)
	FMAX4S(26, 26, 7)
	FMAX4S(27, 27, 7)
	FMAX4S(28, 28, 7)
	FMAX4S(29, 29, 7)
	FMAX4S(30, 30, 7)
	FMAX4S(31, 31, 7)

store:
	// Write the eight rows of C.
	MOVD c_base+56(FP), PC
	VST1 [V8.S4, V9.S4, V10.S4], (PC)
	ADD LDC, PC
	VST1 [V11.S4, V12.S4, V13.S4], (PC)
	ADD LDC, PC
	VST1 [V14.S4, V15.S4, V16.S4], (PC)
	ADD LDC, PC
	VST1 [V17.S4, V18.S4, V19.S4], (PC)
	ADD LDC, PC
	VST1 [V20.S4, V21.S4, V22.S4], (PC)
	ADD LDC, PC
	VST1 [V23.S4, V24.S4, V25.S4], (PC)
	ADD LDC, PC
	VST1 [V26.S4, V27.S4, V28.S4], (PC)
	ADD LDC, PC
	VST1 [V29.S4, V30.S4, V31.S4], (PC)
	ADD LDC, PC
	RET
