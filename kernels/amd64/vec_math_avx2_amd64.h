// Vector math bodies for AVX2+FMA (8 float32 lanes in a ymm register),
// shared by the vec_*_avx2_amd64.s routines; the same algorithms as
// vec_math_avx512_amd64.h, with compares into a vector mask and
// VBLENDVPS (VBLENDVPS m, a, b, d: d = m ? a : b) instead of k masks. Each macro computes one
// function of package purego lane by lane, with the same algorithm and
// constants (CV rows of vecConsts); arguments are ymm registers, the first
// is the input and output, the rest are scratch. Routines using EXP256
// must hold ExpLo in YEXPLO and ExpHi in YEXPHI.
//
// Operand order is Go's: VOP src2, src1, dst computes dst = src1 OP src2;
// VFMADD213PS m, a, d: d = a·d + m; VFMADD231PS m, a, d: d = a·m + d;
// VFNMADD231PS m, a, d: d = d - a·m. VMAXPS/VMINPS return src2 when either
// is NaN, so clamps keep the value being clamped in src2 (a register).

#define YEXPLO Y14
#define YEXPHI Y15

// EXP256: x = exp(x) (purego.Exp).
//   clamp to [ExpLo, ExpHi] (NaN stays); n = round(x·log2e) by the 1.5·2^23
//   trick; r = x - n·ln2 (Cody-Waite, two FNMADDs); p = (P(r)·r + 1)·r + 1;
//   x = p · 2^(n>>1) · 2^(n - n>>1).
//   Where the result is subnormal or 0 (x < ExpSub; mask in u), n is raised
//   by 126 and x = bits(p·2^(n+126) + 1) - bits(1): p·2^(n+126) < 1 is
//   normal (the first scaling exact, the second fused with the sum) and the
//   sum rounds on the grid of 2^-23, the subnormals' grid scaled by 2^126,
//   so this is the twin's once-rounded product without an underflowing
//   multiply, which costs a slow microcode assist on current x86 cores
//   (about 3x the routine's time on inputs in [-120, -80]). Elsewhere u is
//   0 and the sum and the integer difference change nothing (as EXP512).
#define EXP256(x, n, t, u) \
	VMAXPS       x, YEXPLO, x; \
	VMINPS       x, YEXPHI, x; \
	VCMPPS       $1, CV(K_EXPSUB), x, u; \
	VMOVUPS      CV(K_MAGIC), n; \
	VFMADD231PS  CV(K_LOG2E), x, n; \
	VSUBPS       CV(K_MAGIC), n, n; \
	VFNMADD231PS CV(K_LN2HI), n, x; \
	VFNMADD231PS CV(K_LN2LO), n, x; \
	VMOVUPS      CV(K_EXPP5), t; \
	VFMADD213PS  CV(K_EXPP4), x, t; \
	VFMADD213PS  CV(K_EXPP3), x, t; \
	VFMADD213PS  CV(K_EXPP2), x, t; \
	VFMADD213PS  CV(K_EXPP1), x, t; \
	VFMADD213PS  CV(K_EXPP0), x, t; \
	VFMADD213PS  CV(K_ONE), x, t; \
	VFMADD213PS  CV(K_ONE), x, t; \
	VANDPS       CV(K_F126), u, x; \
	VADDPS       x, n, n; \
	VCVTPS2DQ    n, n; \
	VPSRAD       $1, n, x; \
	VPSUBD       x, n, n; \
	VPADDD       CV(K_I127), x, x; \
	VPSLLD       $23, x, x; \
	VPADDD       CV(K_I127), n, n; \
	VPSLLD       $23, n, n; \
	VMULPS       x, t, t; \
	VANDPS       CV(K_ONE), u, u; \
	VFMADD213PS  u, n, t; \
	VPSUBD       u, t, x

// SIGMOID256: x = sigmoid(x) (purego.Sigmoid): e = exp(-|x|), s = 1/(1+e),
// e·s where x < 0. Where e is subnormal or 0 (EXP256's lanes, u = 1.0,
// made a full mask by comparing the bits with 1.0) 1 + e rounds to 1, so
// s = 1 and e·s = e: the product takes 0 there and e is blended back, as
// a product with a subnormal operand costs a slow microcode assist on
// current x86 cores (as in SIGMOID512).
#define SIGMOID256(x, e, s, n, t, u) \
	VPAND     CV(K_ABSMASK), x, e; \
	VPXOR     CV(K_SIGNMASK), e, e; \
	EXP256(e, n, t, u); \
	VADDPS    CV(K_ONE), e, t; \
	VMOVUPS   CV(K_ONE), s; \
	VDIVPS    t, s, s; \
	VPCMPEQD  CV(K_ONE), u, u; \
	VANDNPS   e, u, n; \
	VMULPS    s, n, n; \
	VBLENDVPS u, e, n, n; \
	VCMPPS    $1, CV(K_ZERO), x, t; \
	VBLENDVPS t, n, s, s; \
	VMOVAPS   s, x

// TANH256: x = tanh(x) (purego.Tanh): a = |x|; a + a·z·P(z) (z = a²) below
// TanhSmall, else 1 - 2/(exp(2a)+1); the sign of x restored.
#define TANH256(x, a, s, e, n, t, u) \
	VPAND       CV(K_ABSMASK), x, a; \
	VMULPS      a, a, n; \
	VMOVUPS     CV(K_TANHP4), s; \
	VFMADD213PS CV(K_TANHP3), n, s; \
	VFMADD213PS CV(K_TANHP2), n, s; \
	VFMADD213PS CV(K_TANHP1), n, s; \
	VFMADD213PS CV(K_TANHP0), n, s; \
	VMULPS      n, s, s; \
	VFMADD213PS a, a, s; \
	VADDPS      a, a, e; \
	EXP256(e, n, t, u); \
	VADDPS      CV(K_ONE), e, e; \
	VMOVUPS     CV(K_TWO), t; \
	VDIVPS      e, t, e; \
	VMOVUPS     CV(K_ONE), t; \
	VSUBPS      e, t, e; \
	VCMPPS      $1, CV(K_TANHSMALL), a, t; \
	VBLENDVPS   t, s, e, e; \
	VPAND       CV(K_SIGNMASK), x, t; \
	VPOR        t, e, x

// ERFSMALL256: s = v·P(v²) (ErfP), z = v² on return.
#define ERFSMALL256(v, s, z) \
	VMULPS      v, v, z; \
	VMOVUPS     CV(K_ERFP4), s; \
	VFMADD213PS CV(K_ERFP3), z, s; \
	VFMADD213PS CV(K_ERFP2), z, s; \
	VFMADD213PS CV(K_ERFP1), z, s; \
	VFMADD213PS CV(K_ERFP0), z, s; \
	VMULPS      v, s, s

// ERFCQ256: q = t·Q(t - ErfcT0) with t = 2/(2+v) (the q of erfcCore).
#define ERFCQ256(v, q, t, w) \
	VADDPS      CV(K_TWO), v, t; \
	VMOVUPS     CV(K_TWO), q; \
	VDIVPS      t, q, t; \
	VSUBPS      CV(K_ERFCT0), t, w; \
	VMOVUPS     CV(K_ERFCQ9), q; \
	VFMADD213PS CV(K_ERFCQ8), w, q; \
	VFMADD213PS CV(K_ERFCQ7), w, q; \
	VFMADD213PS CV(K_ERFCQ6), w, q; \
	VFMADD213PS CV(K_ERFCQ5), w, q; \
	VFMADD213PS CV(K_ERFCQ4), w, q; \
	VFMADD213PS CV(K_ERFCQ3), w, q; \
	VFMADD213PS CV(K_ERFCQ2), w, q; \
	VFMADD213PS CV(K_ERFCQ1), w, q; \
	VFMADD213PS CV(K_ERFCQ0), w, q; \
	VMULPS      t, q, q

// ERFCE256: e = exp(-s)·(1 - se) (the e of erfcCore); s and se survive.
#define ERFCE256(s, se, e, n, t, u) \
	VPXOR        CV(K_SIGNMASK), s, e; \
	EXP256(e, n, t, u); \
	VFNMADD231PS se, e, e

// ERF256: x = erf(x) (purego.Erf).
#define ERF256(x, v, s, z, se, e, q, n, t, u) \
	VPAND       CV(K_ABSMASK), x, v; \
	VMOVUPS     CV(K_ERFCLAMP), t; \
	VMINPS      v, t, v; \
	ERFSMALL256(v, s, z); \
	VMOVAPS     z, se; \
	VFMSUB231PS v, v, se; \
	ERFCE256(z, se, e, n, t, u); \
	ERFCQ256(v, q, t, u); \
	VFNMADD213PS CV(K_ONE), e, q; \
	VCMPPS      $1, CV(K_HALF), v, t; \
	VBLENDVPS   t, s, q, q; \
	VPAND       CV(K_SIGNMASK), x, t; \
	VPOR        t, q, x

// GELUERF256: x = gelu(x), erf form (purego.GeluErf).
//   xc = clamp(x, ±GeluClamp); v = |xc|/√2; hx = xc/2;
//   small: h = hx·(1 - v·P(v²)); large: h = (hx·e)·q with v² = xc²/2
//   split exactly (s = fl(xc²)/2, se = (xc² - fl(xc²))/2);
//   x = x - h where x ≥ 0, else h.
#define GELUERF256(x, xc, v, hx, s, z, se, e, q, n, t, u) \
	VMOVUPS      CV(K_NEGGELUCLAMP), t; \
	VMAXPS       x, t, xc; \
	VMOVUPS      CV(K_GELUCLAMP), t; \
	VMINPS       xc, t, xc; \
	VPAND        CV(K_ABSMASK), xc, v; \
	VMULPS       CV(K_INVSQRT2), v, v; \
	VMULPS       CV(K_HALF), xc, hx; \
	ERFSMALL256(v, s, z); \
	VMOVUPS      CV(K_ONE), t; \
	VSUBPS       s, t, s; \
	VMULPS       s, hx, s; \
	VMULPS       xc, xc, z; \
	VMOVAPS      z, se; \
	VFMSUB231PS  xc, xc, se; \
	VMULPS       CV(K_HALF), z, z; \
	VMULPS       CV(K_HALF), se, se; \
	ERFCE256(z, se, e, n, t, u); \
	ERFCQ256(v, q, t, u); \
	VMULPS       e, hx, e; \
	VMULPS       q, e, e; \
	VCMPPS       $1, CV(K_HALF), v, t; \
	VBLENDVPS    t, s, e, e; \
	VSUBPS       e, x, t; \
	VCMPPS       $13, CV(K_ZERO), x, u; \
	VBLENDVPS    u, t, e, e; \
	VMOVAPS      e, x

// GELUTANH256: x = gelu(x), tanh form (purego.GeluTanh): xc = max(x,
// -MaxF32); z2 = xc·(K0 + K1·xc²); x = xc·sigmoid(z2).
#define GELUTANH256(x, xc, z, e, s, n, t, u) \
	VMOVUPS     CV(K_NEGMAX), t; \
	VMAXPS      x, t, xc; \
	VMULPS      xc, xc, z; \
	VMOVUPS     CV(K_GELUK1), t; \
	VFMADD213PS CV(K_GELUK0), t, z; \
	VMULPS      xc, z, z; \
	SIGMOID256(z, e, s, n, t, u); \
	VMULPS      z, xc, x
