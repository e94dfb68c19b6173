// Shared by the AVX-512 Winograd F(4×4, 3×3) output transforms (NCHW
// and NCHWc). COL expects the including file to define MP (the column
// pointer), MSB (ms in bytes), MS6 (6·ms in bytes) and Q (scratch).

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
