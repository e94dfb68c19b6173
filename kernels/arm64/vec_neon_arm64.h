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
#define V_BSL(d, n, m)   WORD $(0x6E601C00 | ((m)<<16) | ((n)<<5) | (d)) // d = d ? n : m (bitwise)
#define V_BIC(d, n, m)   WORD $(0x4E601C00 | ((m)<<16) | ((n)<<5) | (d)) // d = n &^ m (bitwise)
#define V_FCMGEZ(d, n)   WORD $(0x6EA0C800 | ((n)<<5) | (d))             // d = n >= 0 ? ~0 : 0 (false for NaN)

// By-element forms: m.S[i] is lane i of Vm, so that four constants share
// one register (the tables of vecTrigConstsNEON).
#define V_DUP(d, n, i)      WORD $(0x4E000400 | ((((i)<<3)|4)<<16) | ((n)<<5) | (d))                               // d = n.S[i] in every lane
#define V_FMULE(d, n, m, i) WORD $(0x4F809000 | (((i)&1)<<21) | ((m)<<16) | (((i)>>1)<<11) | ((n)<<5) | (d)) // d = n · m.S[i]
#define V_FMLAE(d, n, m, i) WORD $(0x4F801000 | (((i)&1)<<21) | ((m)<<16) | (((i)>>1)<<11) | ((n)<<5) | (d)) // d += n · m.S[i] (fused)

// The .2D (float64) instructions of the float64 activations, and the
// conversions between float32 and float64 lanes.
#define D_FMUL(d, n, m)  WORD $(0x6E60DC00 | ((m)<<16) | ((n)<<5) | (d)) // d = n · m
#define D_FADD(d, n, m)  WORD $(0x4E60D400 | ((m)<<16) | ((n)<<5) | (d)) // d = n + m
#define D_FCMGT(d, n, m) WORD $(0x6EE0E400 | ((m)<<16) | ((n)<<5) | (d)) // d = n > m ? ~0 : 0 (false for NaN)
#define D_FCMLTZ(d, n)   WORD $(0x4EE0E800 | ((n)<<5) | (d))             // d = n < 0 ? ~0 : 0 (false for NaN and -0)
#define D_FCVTL(d, n)    WORD $(0x0E617800 | ((n)<<5) | (d))             // d.2D = float64(n.S[0..1])
#define D_FCVTL2(d, n)   WORD $(0x4E617800 | ((n)<<5) | (d))             // d.2D = float64(n.S[2..3])
#define D_FCVTN(d, n)    WORD $(0x0E616800 | ((n)<<5) | (d))             // d.S[0..1] = float32(n.2D), upper half zeroed
#define D_FCVTN2(d, n)   WORD $(0x4E616800 | ((n)<<5) | (d))             // d.S[2..3] = float32(n.2D), lower half kept

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

// SIGNMASK4(r): Vr = 0x80000000 in every lane (the sign bit), as
// bits(-1) &^ bits(1).
#define SIGNMASK4(r) \
	V_FNEG(r, C_ONE); \
	V_BIC(r, r, C_ONE)

// TANH4: Vx = tanh(x) (purego.Tanh, TANH256's steps): a = |x|; a + a·z·P(z)
// (z = a²) below TanhSmall, else 1 - 2/(exp(2a)+1); the sign bit of x put
// back (Vsg = SIGNMASK4). Rows 6, 7 of vecTrigConstsNEON in V30, V31; a, s,
// e, n, t, u are scratch.
#define TANH4(x, a, s, e, n, t, u, sg) \
	V_FABS(a, x); \
	V_FMUL(n, a, a); \
	V_DUP(s, 31, 0); \
	V_DUP(t, 30, 3); \
	V_FMLA(t, n, s); \
	V_DUP(s, 30, 2); \
	V_FMLA(s, n, t); \
	V_DUP(t, 30, 1); \
	V_FMLA(t, n, s); \
	V_DUP(s, 30, 0); \
	V_FMLA(s, n, t); \
	V_FMUL(s, s, n); \
	V_MOV(t, a); \
	V_FMLA(t, a, s); \
	V_FADD(e, a, a); \
	EXP4(e, n, s, u); \
	V_FADD(e, e, C_ONE); \
	V_DUP(s, 31, 2); \
	V_FDIV(e, s, e); \
	V_FSUB(e, C_ONE, e); \
	V_DUP(s, 31, 1); \
	V_FCMGT(n, s, a); \
	V_BIT(e, t, n); \
	V_BIT(e, x, sg); \
	V_MOV(x, e)

// ERFSMALL4: s = v·P(v²) (ErfP, rows 0-1 in V12, V13), z = v² on return;
// t is scratch.
#define ERFSMALL4(v, s, z, t) \
	V_FMUL(z, v, v); \
	V_DUP(s, 13, 0); \
	V_DUP(t, 12, 3); \
	V_FMLA(t, z, s); \
	V_DUP(s, 12, 2); \
	V_FMLA(s, z, t); \
	V_DUP(t, 12, 1); \
	V_FMLA(t, z, s); \
	V_DUP(s, 12, 0); \
	V_FMLA(s, z, t); \
	V_FMUL(s, v, s)

// ERFCQ4: q = t·Q(t - ErfcT0) with t = 2/(2+v) (the q of erfcCore; rows
// 1-4 in V13-V15, V30); w and k are scratch, t holds 2/(2+v) on return.
#define ERFCQ4(v, q, t, w, k) \
	V_DUP(q, 13, 2); \
	V_FADD(t, v, q); \
	V_FDIV(t, q, t); \
	V_DUP(w, 13, 1); \
	V_FSUB(w, t, w); \
	V_DUP(q, 30, 1); \
	V_DUP(k, 30, 0); \
	V_FMLA(k, w, q); \
	V_DUP(q, 15, 3); \
	V_FMLA(q, w, k); \
	V_DUP(k, 15, 2); \
	V_FMLA(k, w, q); \
	V_DUP(q, 15, 1); \
	V_FMLA(q, w, k); \
	V_DUP(k, 15, 0); \
	V_FMLA(k, w, q); \
	V_DUP(q, 14, 3); \
	V_FMLA(q, w, k); \
	V_DUP(k, 14, 2); \
	V_FMLA(k, w, q); \
	V_DUP(q, 14, 1); \
	V_FMLA(q, w, k); \
	V_DUP(k, 14, 0); \
	V_FMLA(k, w, q); \
	V_FMUL(q, t, k)

// ERFCE4: e = exp(-s)·(1 - se) (the e of erfcCore) given nse = -se:
// e = e + e·nse, the fused step of ERFCE256. s and nse survive.
#define ERFCE4(s, nse, e, n, t, u) \
	V_FNEG(e, s); \
	EXP4(e, n, t, u); \
	V_FMLA(e, e, nse)

// ERF4: Vx = erf(x) (purego.Erf, ERF256's steps): v = min(|x|, ErfClamp);
// v·P(v²) below 1/2, else 1 - e·q; the sign bit of x put back (Vsg =
// SIGNMASK4). Rows 0-4 in V12-V15, V30; the rest are scratch.
#define ERF4(x, v, s, z, se, e, q, n, t, u, sg) \
	V_FABS(v, x); \
	V_DUP(t, 30, 3); \
	V_FMIN(v, v, t); \
	ERFSMALL4(v, s, z, t); \
	V_MOV(se, z); \
	V_FMLS(se, v, v); \
	ERFCE4(z, se, e, n, t, u); \
	ERFCQ4(v, q, t, u, z); \
	V_MOV(z, C_ONE); \
	V_FMLS(z, e, q); \
	V_DUP(t, 13, 3); \
	V_FCMGT(t, t, v); \
	V_BIT(z, s, t); \
	V_BIT(z, x, sg); \
	V_MOV(x, z)

// GELUERF4: Vx = gelu(x), erf form (purego.GeluErf, GELUERF256's steps):
// xc = clamp(x, ±GeluClamp); v = |xc|/√2; hx = xc/2; small: h = hx·(1 -
// v·P(v²)); large: h = (hx·e)·q with v² = xc²/2 split exactly; x - h
// where x ≥ 0, else h. Rows 0-5 in V12-V15, V30, V31; the rest are
// scratch.
#define GELUERF4(x, xc, v, hx, s, z, se, e, q, n, t, u) \
	V_DUP(t, 31, 1); \
	V_FMAX(xc, x, t); \
	V_DUP(t, 31, 0); \
	V_FMIN(xc, xc, t); \
	V_FABS(v, xc); \
	V_FMULE(v, v, 30, 2); \
	V_FMULE(hx, xc, 13, 3); \
	ERFSMALL4(v, s, z, t); \
	V_FSUB(s, C_ONE, s); \
	V_FMUL(s, hx, s); \
	V_FMUL(z, xc, xc); \
	V_MOV(se, z); \
	V_FMLS(se, xc, xc); \
	V_FMULE(z, z, 13, 3); \
	V_FMULE(se, se, 13, 3); \
	ERFCE4(z, se, e, n, t, u); \
	ERFCQ4(v, q, t, u, z); \
	V_FMUL(e, hx, e); \
	V_FMUL(e, e, q); \
	V_DUP(t, 13, 3); \
	V_FCMGT(t, t, v); \
	V_BIT(e, s, t); \
	V_FSUB(t, x, e); \
	V_FCMGEZ(u, x); \
	V_BIT(e, t, u); \
	V_MOV(x, e)

// GELUTANH4: Vx = gelu(x), tanh form (purego.GeluTanh, GELUTANH256's
// steps): xc = max(x, -MaxF32); z2 = xc·(K0 + K1·xc²); x = xc·sigmoid(z2).
// Row 5 in V30, row 7 in V31; the rest are scratch.
#define GELUTANH4(x, xc, z, e, s, n, t, u) \
	V_DUP(t, 31, 3); \
	V_FMAX(xc, x, t); \
	V_FMUL(z, xc, xc); \
	V_DUP(t, 30, 2); \
	V_FMLAE(t, z, 30, 3); \
	V_FMUL(z, xc, t); \
	SIGMOID4(z, e, s, n, t, u); \
	V_FMUL(x, z, xc)
