// Shared by the AVX-512 Winograd F(4×4, 3×3) output transforms (NCHW
// and NCHWc). COL expects the including file to define MP (the column
// pointer), MSB (ms in bytes), MS6 (6·ms in bytes) and Q (scratch); BIAS43
// expects BIASP (the bias pointer).

// AT applies Aᵀ to the six vectors m0…m5 in place, using Z6 and Z7:
// afterwards m0 = o0, m2 = o1, m1 = o2, m4 = o3, where
// o0 = (m0+a12)+a34, o1 = s12+2·s34, o2 = a12+4·a34, o3 = (s12+8·s34)+m5
// with a12 = m1+m2, s12 = m1-m2, a34 = m3+m4, s34 = m3-m4. Doubling by
// addition is exact, so this rounds as the Go twin does.
#define AT(m0, m1, m2, m3, m4, m5) \
	VADDPS m2, m1, Z6; \
	VSUBPS m2, m1, m1; \
	VADDPS m4, m3, Z7; \
	VSUBPS m4, m3, m3; \
	VADDPS Z6, m0, m0; \
	VADDPS Z7, m0, m0; \
	VADDPS m3, m3, m4; \
	VADDPS m4, m1, m2; \
	VADDPS m4, m4, m4; \
	VADDPS m4, m4, m4; \
	VADDPS m4, m1, m4; \
	VADDPS m5, m4, m4; \
	VADDPS Z7, Z7, Z7; \
	VADDPS Z7, Z7, Z7; \
	VADDPS Z7, Z6, m1

// COL loads column j of M (at Q, stride 6·ms), applies Aᵀ and moves the
// four results to T[0..3][j]; then advances MP to the next column.
#define COL(t0, t1, t2, t3) \
	MOVQ MP, Q; \
	VMOVUPS (Q), Z0; ADDQ MS6, Q; \
	VMOVUPS (Q), Z1; ADDQ MS6, Q; \
	VMOVUPS (Q), Z2; ADDQ MS6, Q; \
	VMOVUPS (Q), Z3; ADDQ MS6, Q; \
	VMOVUPS (Q), Z4; ADDQ MS6, Q; \
	VMOVUPS (Q), Z5; \
	ADDQ MSB, MP; \
	AT(Z0, Z1, Z2, Z3, Z4, Z5); \
	VMOVAPS Z0, t0; \
	VMOVAPS Z2, t1; \
	VMOVAPS Z1, t2; \
	VMOVAPS Z4, t3

// ROWS43 is pass 2, O = T·A, on the four rows of T held in Z8…Z31 (row p
// in Z(8+6p)…Z(13+6p)); row p's o0…o3 end up in Z(8+6p), Z(10+6p),
// Z(9+6p), Z(12+6p).
#define ROWS43 \
	AT(Z8, Z9, Z10, Z11, Z12, Z13); \
	AT(Z14, Z15, Z16, Z17, Z18, Z19); \
	AT(Z20, Z21, Z22, Z23, Z24, Z25); \
	AT(Z26, Z27, Z28, Z29, Z30, Z31)

// BIAS4 adds the bias vector in Z0 to o0…o3.
#define BIAS4(o0, o1, o2, o3) \
	VADDPS Z0, o0, o0; \
	VADDPS Z0, o1, o1; \
	VADDPS Z0, o2, o2; \
	VADDPS Z0, o3, o3

// BIAS43 adds the bias vector at BIASP to the 4×4 outputs of ROWS43.
#define BIAS43 \
	VMOVUPS (BIASP), Z0; \
	BIAS4(Z8, Z10, Z9, Z12); \
	BIAS4(Z14, Z16, Z15, Z18); \
	BIAS4(Z20, Z22, Z21, Z24); \
	BIAS4(Z26, Z28, Z27, Z30)

// RELU4 clamps o0…o3 at the zero vector in Z1.
#define RELU4(o0, o1, o2, o3) \
	VMAXPS o0, Z1, o0; \
	VMAXPS o1, Z1, o1; \
	VMAXPS o2, Z1, o2; \
	VMAXPS o3, Z1, o3

// RELU43 clamps the 4×4 outputs of ROWS43 at zero.
#define RELU43 \
	VXORPS Z1, Z1, Z1; \
	RELU4(Z8, Z10, Z9, Z12); \
	RELU4(Z14, Z16, Z15, Z18); \
	RELU4(Z20, Z22, Z21, Z24); \
	RELU4(Z26, Z28, Z27, Z30)
