// Shared by the AVX-512 Winograd F(4×4, 3×3) input transform routines.

// BT6 applies Bᵀ (see WinoIn43RowsGo) to d0…d5 with the constants 4 in
// Z30 and 5 in Z31, using Z16…Z21, Z25 and Z29 as scratch; the results
// land in Z22 (o0), Z23 (o1), Z24 (o2), Z26 (o3), Z27 (o4), Z28 (o5). The
// order of operations is the Go twin's, so the roundings agree.
#define BT6(d0, d1, d2, d3, d4, d5) \
	VADDPS d2, d1, Z16; \
	VSUBPS d2, d1, Z17; \
	VADDPS d4, d3, Z18; \
	VSUBPS d3, d4, Z19; \
	VSUBPS d2, d4, Z20; \
	VSUBPS d1, d3, Z21; \
	VMULPS Z30, d0, Z22; \
	VMULPS Z31, d2, Z23; \
	VSUBPS Z23, Z22, Z22; \
	VADDPS d4, Z22, Z22; \
	VMULPS Z30, Z16, Z23; \
	VSUBPS Z23, Z18, Z23; \
	VMULPS Z30, Z17, Z24; \
	VADDPS Z24, Z19, Z24; \
	VADDPS Z21, Z21, Z25; \
	VADDPS Z25, Z20, Z26; \
	VSUBPS Z25, Z20, Z27; \
	VMULPS Z30, d1, Z28; \
	VMULPS Z31, d3, Z29; \
	VSUBPS Z29, Z28, Z28; \
	VADDPS d5, Z28, Z28

// MASK sets opmask k to the low min(max(n, 0), 16) bits, n in reg (which
// is clobbered, with CX and DX).
#define MASK(reg, k) \
	XORL DX, DX; \
	CMPQ reg, $0; \
	CMOVQLT DX, reg; \
	MOVL $16, DX; \
	CMPQ reg, DX; \
	CMOVQGT DX, reg; \
	MOVQ reg, CX; \
	MOVL $1, DX; \
	SHLL CX, DX; \
	DECL DX; \
	KMOVW DX, k
