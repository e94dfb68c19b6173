// Vector math bodies for AVX-512 (16 float32 lanes in a zmm register),
// shared by the vec_*_avx512_amd64.s routines. Each macro computes one
// function of package purego lane by lane, with the same algorithm and
// constants (CV rows of vecConsts); arguments are zmm registers, the first
// is the input and output, the rest are scratch. Routines using EXP512
// must hold ExpLo in ZEXPLO and ExpHi in ZEXPHI.
//
// Operand order is Go's: VOP src2, src1, dst computes dst = src1 OP src2;
// VFMADD213PS m, a, d: d = a·d + m; VFMADD231PS m, a, d: d = a·m + d;
// VFNMADD231PS m, a, d: d = d - a·m. VMAXPS/VMINPS return src2 when either
// is NaN, so clamps keep the value being clamped in src2 (a register).

#define ZEXPLO Z30
#define ZEXPHI Z31

// EXP512: x = exp(x) (purego.Exp).
//   clamp to [ExpLo, ExpHi] (NaN stays); n = round(x·log2e) by the
//   1.5·2^23 trick; r = x - n·ln2 (Cody-Waite, two FNMADDs);
//   p = (P(r)·r + 1)·r + 1; x = p·2^n (VSCALEFPS, rounded once, as the
//   twin's p·2^(n>>1)·2^(n - n>>1), whose first product is exact).
//   Where the result is subnormal or 0 (x < ExpSub, lanes K7, clobbered)
//   x = bits(p·2^(n+126) + 1) - bits(1): p·2^(n+126) < 1 is normal and
//   the sum rounds on the grid of 2^-23, which is the subnormals' grid
//   scaled by 2^126, so this is the twin's rounded product without an
//   underflowing operation, which costs a slow microcode assist on
//   current x86 cores (about 3x the whole routine's time on inputs in
//   [-100, 0]).
#define EXP512(x, n, t, u) \
	VMAXPS       x, ZEXPLO, x; \
	VMINPS       x, ZEXPHI, x; \
	VCMPPS       $1, CV(K_EXPSUB), x, K7; \
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
	VADDPS       CV(K_F126), n, K7, n; \
	VSCALEFPS    n, t, t; \
	VMOVUPS.Z    CV(K_ONE), K7, u; \
	VADDPS       u, t, t; \
	VPSUBD       u, t, x

// SIGMOID512: x = sigmoid(x) (purego.Sigmoid): e = exp(-|x|), s = 1/(1+e),
// e·s where x < 0. Where e is subnormal (EXP512's lanes K7) 1 + e rounds
// to 1, so s = 1 and e·s = e: the product is masked off there (K6), as a
// product with a subnormal result costs a slow microcode assist on current
// x86 cores (about 3x the routine's time on inputs in [-100, 0]). K1, K6
// and K7 are clobbered.
#define SIGMOID512(x, e, s, n, t, u) \
	VPANDD    CV(K_ABSMASK), x, e; \
	VPXORD    CV(K_SIGNMASK), e, e; \
	EXP512(e, n, t, u); \
	KNOTW     K7, K6; \
	VADDPS    CV(K_ONE), e, t; \
	VMOVUPS   CV(K_ONE), s; \
	VDIVPS    t, s, s; \
	VMULPS    s, e, K6, e; \
	VCMPPS    $1, CV(K_ZERO), x, K1; \
	VMOVAPS   e, K1, s; \
	VMOVAPS   s, x

// TANH512: x = tanh(x) (purego.Tanh): a = |x|; a + a·z·P(z) (z = a²) below
// TanhSmall, else 1 - 2/(exp(2a)+1); the sign of x restored. K1 clobbered.
#define TANH512(x, a, s, e, n, t, u) \
	VPANDD      CV(K_ABSMASK), x, a; \
	VMULPS      a, a, n; \
	VMOVUPS     CV(K_TANHP4), s; \
	VFMADD213PS CV(K_TANHP3), n, s; \
	VFMADD213PS CV(K_TANHP2), n, s; \
	VFMADD213PS CV(K_TANHP1), n, s; \
	VFMADD213PS CV(K_TANHP0), n, s; \
	VMULPS      n, s, s; \
	VFMADD213PS a, a, s; \
	VADDPS      a, a, e; \
	EXP512(e, n, t, u); \
	VADDPS      CV(K_ONE), e, e; \
	VMOVUPS     CV(K_TWO), t; \
	VDIVPS      e, t, e; \
	VMOVUPS     CV(K_ONE), t; \
	VSUBPS      e, t, e; \
	VCMPPS      $1, CV(K_TANHSMALL), a, K1; \
	VMOVAPS     s, K1, e; \
	VPANDD      CV(K_SIGNMASK), x, t; \
	VPORD       t, e, x

// ERFSMALL512: s = v·P(v²) (ErfP), z = v² on return.
#define ERFSMALL512(v, s, z) \
	VMULPS      v, v, z; \
	VMOVUPS     CV(K_ERFP4), s; \
	VFMADD213PS CV(K_ERFP3), z, s; \
	VFMADD213PS CV(K_ERFP2), z, s; \
	VFMADD213PS CV(K_ERFP1), z, s; \
	VFMADD213PS CV(K_ERFP0), z, s; \
	VMULPS      v, s, s

// ERFCQ512: q = t·Q(t - ErfcT0) with t = 2/(2+v) (the q of erfcCore).
#define ERFCQ512(v, q, t, w) \
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

// ERFCE512: e = exp(-s)·(1 - se) (the e of erfcCore); s and se survive.
#define ERFCE512(s, se, e, n, t, u) \
	VPXORD       CV(K_SIGNMASK), s, e; \
	EXP512(e, n, t, u); \
	VFNMADD231PS se, e, e

// ERF512: x = erf(x) (purego.Erf). K1 clobbered.
#define ERF512(x, v, s, z, se, e, q, n, t, u) \
	VPANDD      CV(K_ABSMASK), x, v; \
	VMOVUPS     CV(K_ERFCLAMP), t; \
	VMINPS      v, t, v; \
	ERFSMALL512(v, s, z); \
	VMOVAPS     z, se; \
	VFMSUB231PS v, v, se; \
	ERFCE512(z, se, e, n, t, u); \
	ERFCQ512(v, q, t, u); \
	VFNMADD213PS CV(K_ONE), e, q; \
	VCMPPS      $1, CV(K_HALF), v, K1; \
	VMOVAPS     s, K1, q; \
	VPANDD      CV(K_SIGNMASK), x, t; \
	VPORD       t, q, x

// GELUERF512: x = gelu(x), erf form (purego.GeluErf). K1, K2 clobbered.
//   xc = clamp(x, ±GeluClamp); v = |xc|/√2; hx = xc/2;
//   small: h = hx·(1 - v·P(v²)); large: h = (hx·e)·q with v² = xc²/2
//   split exactly (s = fl(xc²)/2, se = (xc² - fl(xc²))/2);
//   x = x - h where x ≥ 0, else h.
#define GELUERF512(x, xc, v, hx, s, z, se, e, q, n, t, u) \
	VMOVUPS      CV(K_NEGGELUCLAMP), t; \
	VMAXPS       x, t, xc; \
	VMOVUPS      CV(K_GELUCLAMP), t; \
	VMINPS       xc, t, xc; \
	VPANDD       CV(K_ABSMASK), xc, v; \
	VMULPS       CV(K_INVSQRT2), v, v; \
	VMULPS       CV(K_HALF), xc, hx; \
	ERFSMALL512(v, s, z); \
	VMOVUPS      CV(K_ONE), t; \
	VSUBPS       s, t, s; \
	VMULPS       s, hx, s; \
	VMULPS       xc, xc, z; \
	VMOVAPS      z, se; \
	VFMSUB231PS  xc, xc, se; \
	VMULPS       CV(K_HALF), z, z; \
	VMULPS       CV(K_HALF), se, se; \
	ERFCE512(z, se, e, n, t, u); \
	ERFCQ512(v, q, t, u); \
	VMULPS       e, hx, e; \
	VMULPS       q, e, e; \
	VCMPPS       $1, CV(K_HALF), v, K1; \
	VMOVAPS      s, K1, e; \
	VSUBPS       e, x, t; \
	VCMPPS       $13, CV(K_ZERO), x, K2; \
	VMOVAPS      t, K2, e; \
	VMOVAPS      e, x

// GELUTANH512: x = gelu(x), tanh form (purego.GeluTanh): xc = max(x,
// -MaxF32); z2 = xc·(K0 + K1·xc²); x = xc·sigmoid(z2). K1 clobbered.
#define GELUTANH512(x, xc, z, e, s, n, t, u) \
	VMOVUPS     CV(K_NEGMAX), t; \
	VMAXPS      x, t, xc; \
	VMULPS      xc, xc, z; \
	VMOVUPS     CV(K_GELUK1), t; \
	VFMADD213PS CV(K_GELUK0), t, z; \
	VMULPS      xc, z, z; \
	SIGMOID512(z, e, s, n, t, u); \
	VMULPS      z, xc, x
