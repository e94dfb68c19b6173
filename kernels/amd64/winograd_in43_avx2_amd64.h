// Shared by the AVX2 Winograd F(4×4, 3×3) input transform routines.

// BT6Y applies Bᵀ (see WinoIn43RowsGo) to d0…d5 in Y0…Y5 with the
// constants 4 in Y14 and 5 in Y15, using Y0…Y11: the results land in
// Y6 (o0), Y1 (o1), Y2 (o2), Y4 (o3), Y3 (o4), Y7 (o5). The order of
// operations is the Go twin's, so the roundings agree.
#define BT6Y \
	VMULPS Y14, Y0, Y6; \
	VMULPS Y15, Y2, Y8; \
	VSUBPS Y8, Y6, Y6; \
	VADDPS Y4, Y6, Y6; \
	VMULPS Y14, Y1, Y7; \
	VMULPS Y15, Y3, Y8; \
	VSUBPS Y8, Y7, Y7; \
	VADDPS Y5, Y7, Y7; \
	VADDPS Y2, Y1, Y0; \
	VSUBPS Y2, Y1, Y5; \
	VADDPS Y4, Y3, Y8; \
	VSUBPS Y3, Y4, Y9; \
	VSUBPS Y2, Y4, Y10; \
	VSUBPS Y1, Y3, Y11; \
	VMULPS Y14, Y0, Y1; \
	VSUBPS Y1, Y8, Y1; \
	VMULPS Y14, Y5, Y2; \
	VADDPS Y2, Y9, Y2; \
	VADDPS Y11, Y11, Y3; \
	VADDPS Y3, Y10, Y4; \
	VSUBPS Y3, Y10, Y3

// YMASK loads into ymm y the mask of the low min(max(n, 0), 8) lanes, n
// in reg (clobbered, with DX), from the table tab (8 × -1, then 8 × 0).
#define YMASK(reg, y, tab) \
	XORL DX, DX; \
	CMPQ reg, $0; \
	CMOVQLT DX, reg; \
	MOVL $8, DX; \
	CMPQ reg, DX; \
	CMOVQGT DX, reg; \
	NEGQ reg; \
	LEAQ tab+32(SB), DX; \
	VMOVUPS (DX)(reg*4), y
