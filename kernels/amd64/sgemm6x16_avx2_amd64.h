// Shared body of the AVX2+FMA 6×16 SGEMM micro-kernels (packed, B in
// place, general strides: sgemm6x16*_avx2_amd64.s): the vector register
// roles, one step of k, and the blocks of the epilogue. The including file
// defines PC (a row of C) and LDC (C's row stride in bytes) and owns the
// control flow; this file holds the one copy of the arithmetic.
//
// Vector registers: two B vectors, two alternating A broadcasts, and the
// 6×2 accumulator tile: row r, column block q lives in Y(4+2r+q). After
// the k loop the B and A registers are reused for alpha, beta, bias, zero.

#define B0 Y0
#define B1 Y1
#define A0 Y2
#define A1 Y3
#define ALPHA Y0
#define BETA Y1
#define BIAS0 Y2
#define BIAS1 Y3
#define ZERO Y0

// FMA2 adds broadcast A times the two B vectors into one accumulator row.
#define FMA2(A, c0, c1) \
	VFMADD231PS B0, A, c0; \
	VFMADD231PS B1, A, c1

// STEP6X16 does one step of k: the 16 floats of B's row from the memory
// operands b0, b1 (32 bytes apart), the six A values from a0..a5 (rows
// 0..5), 12 FMAs.
#define STEP6X16(b0, b1, a0, a1, a2, a3, a4, a5) \
	VMOVUPS      b0, B0; \
	VMOVUPS      b1, B1; \
	VBROADCASTSS a0, A0; \
	VBROADCASTSS a1, A1; \
	FMA2(A0, Y4, Y5); \
	VBROADCASTSS a2, A0; \
	FMA2(A1, Y6, Y7); \
	VBROADCASTSS a3, A1; \
	FMA2(A0, Y8, Y9); \
	VBROADCASTSS a4, A0; \
	FMA2(A1, Y10, Y11); \
	VBROADCASTSS a5, A1; \
	FMA2(A0, Y12, Y13); \
	FMA2(A1, Y14, Y15)

// CLEAR6X16 zeroes the 12 accumulators.
#define CLEAR6X16 \
	VXORPS Y4, Y4, Y4; \
	VXORPS Y5, Y5, Y5; \
	VXORPS Y6, Y6, Y6; \
	VXORPS Y7, Y7, Y7; \
	VXORPS Y8, Y8, Y8; \
	VXORPS Y9, Y9, Y9; \
	VXORPS Y10, Y10, Y10; \
	VXORPS Y11, Y11, Y11; \
	VXORPS Y12, Y12, Y12; \
	VXORPS Y13, Y13, Y13; \
	VXORPS Y14, Y14, Y14; \
	VXORPS Y15, Y15, Y15

// PREFETCH_C starts loading one row of the C tile at PC (read when beta
// != 0, written at the end) and moves PC to the next row: the loads of
// the epilogue then hit L1 instead of waiting on L3.
#define PREFETCH_C \
	PREFETCHT0 (PC); \
	PREFETCHT0 60(PC); \
	ADDQ LDC, PC

// PREFETCH6X16 prefetches the six rows of the C tile from PC on.
#define PREFETCH6X16 \
	PREFETCH_C; \
	PREFETCH_C; \
	PREFETCH_C; \
	PREFETCH_C; \
	PREFETCH_C; \
	PREFETCH_C

// SCALE6X16 multiplies the tile by ALPHA.
#define SCALE6X16 \
	VMULPS ALPHA, Y4, Y4; \
	VMULPS ALPHA, Y5, Y5; \
	VMULPS ALPHA, Y6, Y6; \
	VMULPS ALPHA, Y7, Y7; \
	VMULPS ALPHA, Y8, Y8; \
	VMULPS ALPHA, Y9, Y9; \
	VMULPS ALPHA, Y10, Y10; \
	VMULPS ALPHA, Y11, Y11; \
	VMULPS ALPHA, Y12, Y12; \
	VMULPS ALPHA, Y13, Y13; \
	VMULPS ALPHA, Y14, Y14; \
	VMULPS ALPHA, Y15, Y15

// BETA2 adds beta times the C row at PC, then moves PC to the next row.
#define BETA2(c0, c1) \
	VFMADD231PS 0(PC), BETA, c0; \
	VFMADD231PS 32(PC), BETA, c1; \
	ADDQ LDC, PC

// BETA6X16 adds BETA times the C tile at PC (row 0) to the tile.
#define BETA6X16 \
	BETA2(Y4, Y5); \
	BETA2(Y6, Y7); \
	BETA2(Y8, Y9); \
	BETA2(Y10, Y11); \
	BETA2(Y12, Y13); \
	BETA2(Y14, Y15)

// BIAS6X16 adds the 16 bias values at register r to every row.
#define BIAS6X16(r) \
	VMOVUPS 0(r), BIAS0; \
	VMOVUPS 32(r), BIAS1; \
	VADDPS  BIAS0, Y4, Y4; \
	VADDPS  BIAS1, Y5, Y5; \
	VADDPS  BIAS0, Y6, Y6; \
	VADDPS  BIAS1, Y7, Y7; \
	VADDPS  BIAS0, Y8, Y8; \
	VADDPS  BIAS1, Y9, Y9; \
	VADDPS  BIAS0, Y10, Y10; \
	VADDPS  BIAS1, Y11, Y11; \
	VADDPS  BIAS0, Y12, Y12; \
	VADDPS  BIAS1, Y13, Y13; \
	VADDPS  BIAS0, Y14, Y14; \
	VADDPS  BIAS1, Y15, Y15

// RELU6X16 clamps the tile at zero; zero is the first source so NaN
// propagates.
#define RELU6X16 \
	VXORPS ZERO, ZERO, ZERO; \
	VMAXPS Y4, ZERO, Y4; \
	VMAXPS Y5, ZERO, Y5; \
	VMAXPS Y6, ZERO, Y6; \
	VMAXPS Y7, ZERO, Y7; \
	VMAXPS Y8, ZERO, Y8; \
	VMAXPS Y9, ZERO, Y9; \
	VMAXPS Y10, ZERO, Y10; \
	VMAXPS Y11, ZERO, Y11; \
	VMAXPS Y12, ZERO, Y12; \
	VMAXPS Y13, ZERO, Y13; \
	VMAXPS Y14, ZERO, Y14; \
	VMAXPS Y15, ZERO, Y15

// STORE2 writes one row to C at PC and moves PC to the next row.
#define STORE2(c0, c1) \
	VMOVUPS c0, 0(PC); \
	VMOVUPS c1, 32(PC); \
	ADDQ LDC, PC

// STORE6X16 writes the tile to C at PC (row 0).
#define STORE6X16 \
	STORE2(Y4, Y5); \
	STORE2(Y6, Y7); \
	STORE2(Y8, Y9); \
	STORE2(Y10, Y11); \
	STORE2(Y12, Y13); \
	STORE2(Y14, Y15)
