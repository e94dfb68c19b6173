// Encodings (Arm A64 manual) of the .4S vector instructions the vec_*
// routines use that Go's arm64 assembler lacks, plus a few it has, so
// that math macros can take register numbers (V0..V31 = 0..31).
// d: destination, n and m: sources.

#define V_FADD(d, n, m)  WORD $(0x4E20D400 | ((m)<<16) | ((n)<<5) | (d)) // d = n + m
#define V_FSUB(d, n, m)  WORD $(0x4EA0D400 | ((m)<<16) | ((n)<<5) | (d)) // d = n - m
#define V_FMUL(d, n, m)  WORD $(0x6E20DC00 | ((m)<<16) | ((n)<<5) | (d)) // d = n · m
#define V_FDIV(d, n, m)  WORD $(0x6E20FC00 | ((m)<<16) | ((n)<<5) | (d)) // d = n / m
#define V_FMAX(d, n, m)  WORD $(0x4E20F400 | ((m)<<16) | ((n)<<5) | (d)) // d = max(n, m), NaN if either is
#define V_FMIN(d, n, m)  WORD $(0x4EA0F400 | ((m)<<16) | ((n)<<5) | (d)) // d = min(n, m), NaN if either is
#define V_FMLA(d, n, m)  WORD $(0x4E20CC00 | ((m)<<16) | ((n)<<5) | (d)) // d += n · m (fused)
#define V_FMLS(d, n, m)  WORD $(0x4EA0CC00 | ((m)<<16) | ((n)<<5) | (d)) // d -= n · m (fused)
#define V_FCMGT(d, n, m) WORD $(0x6EA0E400 | ((m)<<16) | ((n)<<5) | (d)) // d = n > m ? ~0 : 0
#define V_FCMEQ(d, n, m) WORD $(0x4E20E400 | ((m)<<16) | ((n)<<5) | (d)) // d = n == m ? ~0 : 0 (false for NaN)
#define V_FCMLTZ(d, n)   WORD $(0x4EA0E800 | ((n)<<5) | (d))             // d = n < 0 ? ~0 : 0
#define V_FABS(d, n)     WORD $(0x4EA0F800 | ((n)<<5) | (d))             // d = |n|
#define V_FNEG(d, n)     WORD $(0x6EA0F800 | ((n)<<5) | (d))             // d = -n
#define V_FCVTNS(d, n)   WORD $(0x4E21A800 | ((n)<<5) | (d))             // d = int32(round-to-nearest(n))
#define V_ADD(d, n, m)   WORD $(0x4EA08400 | ((m)<<16) | ((n)<<5) | (d)) // d = n + m (int32)
#define V_SUB(d, n, m)   WORD $(0x6EA08400 | ((m)<<16) | ((n)<<5) | (d)) // d = n - m (int32)
#define V_SSHR(d, n, s)  WORD $(0x4F000400 | ((64-(s))<<16) | ((n)<<5) | (d)) // d = n >> s (arithmetic, int32)
#define V_SHL(d, n, s)   WORD $(0x4F005400 | ((32+(s))<<16) | ((n)<<5) | (d)) // d = n << s (int32)
#define V_MOV(d, n)      WORD $(0x4EA01C00 | ((n)<<16) | ((n)<<5) | (d)) // d = n (ORR d, n, n)
#define V_BIT(d, n, m)   WORD $(0x6EA01C00 | ((m)<<16) | ((n)<<5) | (d)) // d = m ? n : d (bitwise)
#define V_BIF(d, n, m)   WORD $(0x6EE01C00 | ((m)<<16) | ((n)<<5) | (d)) // d = m ? d : n (bitwise)
#define V_FADDP(d, n, m) WORD $(0x6E20D400 | ((m)<<16) | ((n)<<5) | (d)) // pairwise add of n:m
#define V_FMAXP(d, n, m) WORD $(0x6E20F400 | ((m)<<16) | ((n)<<5) | (d)) // pairwise max of n:m (NaN propagates)

// Constant registers loaded by LOADEXPCONSTS from vecConstsNEON.
#define C_LOG2E 16
#define C_MAGIC 17
#define C_LN2HI 18
#define C_LN2LO 19
#define C_P5    20
#define C_P4    21
#define C_P3    22
#define C_P2    23
#define C_P1    24
#define C_P0    25
#define C_ONE   26
#define C_LO    27
#define C_HI    28
#define C_I127  29

// LOADEXPCONSTS broadcasts the table vecConstsNEON into V16..V29 (R8 clobbered).
#define LOADEXPCONSTS \
	MOVD    $·vecConstsNEON(SB), R8; \
	VLD1R.P 4(R8), [V16.S4]; \
	VLD1R.P 4(R8), [V17.S4]; \
	VLD1R.P 4(R8), [V18.S4]; \
	VLD1R.P 4(R8), [V19.S4]; \
	VLD1R.P 4(R8), [V20.S4]; \
	VLD1R.P 4(R8), [V21.S4]; \
	VLD1R.P 4(R8), [V22.S4]; \
	VLD1R.P 4(R8), [V23.S4]; \
	VLD1R.P 4(R8), [V24.S4]; \
	VLD1R.P 4(R8), [V25.S4]; \
	VLD1R.P 4(R8), [V26.S4]; \
	VLD1R.P 4(R8), [V27.S4]; \
	VLD1R.P 4(R8), [V28.S4]; \
	VLD1R.P 4(R8), [V29.S4]

// EXP4: Vx = exp(Vx), purego.Exp's algorithm (clamp; n = round(x·log2e)
// by the 1.5·2^23 trick; Cody-Waite r; p = (P(r)·r + 1)·r + 1; scale by
// 2^(n>>1)·2^(n-n>>1)). n, t, u are scratch register numbers. FMAX/FMIN
// propagate NaN, so the clamps keep NaN.
#define EXP4(x, n, t, u) \
	V_FMAX(x, x, C_LO); \
	V_FMIN(x, x, C_HI); \
	V_MOV(n, C_MAGIC); \
	V_FMLA(n, x, C_LOG2E); \
	V_FSUB(n, n, C_MAGIC); \
	V_FMLS(x, n, C_LN2HI); \
	V_FMLS(x, n, C_LN2LO); \
	V_MOV(t, C_P4); \
	V_FMLA(t, x, C_P5); \
	V_MOV(u, C_P3); \
	V_FMLA(u, x, t); \
	V_MOV(t, C_P2); \
	V_FMLA(t, x, u); \
	V_MOV(u, C_P1); \
	V_FMLA(u, x, t); \
	V_MOV(t, C_P0); \
	V_FMLA(t, x, u); \
	V_MOV(u, C_ONE); \
	V_FMLA(u, x, t); \
	V_MOV(t, C_ONE); \
	V_FMLA(t, x, u); \
	V_FCVTNS(n, n); \
	V_SSHR(u, n, 1); \
	V_SUB(n, n, u); \
	V_ADD(u, u, C_I127); \
	V_SHL(u, u, 23); \
	V_ADD(n, n, C_I127); \
	V_SHL(n, n, 23); \
	V_FMUL(t, t, u); \
	V_FMUL(x, t, n)

// SIGMOID4: Vx = sigmoid(x) (purego.Sigmoid): e = exp(-|x|), s = 1/(1+e),
// e·s where x < 0. e, s, n, t, u are scratch.
#define SIGMOID4(x, e, s, n, t, u) \
	V_FABS(e, x); \
	V_FNEG(e, e); \
	EXP4(e, n, t, u); \
	V_FADD(t, e, C_ONE); \
	V_FDIV(s, C_ONE, t); \
	V_FMUL(e, e, s); \
	V_FCMLTZ(t, x); \
	V_BIT(s, e, t); \
	V_MOV(x, s)
