// Shared body of the AVX-512 6×64 SGEMM micro-kernels (packed, B in place,
// general strides: sgemm6x64*_avx512_amd64.s): the vector register roles,
// one step of k, and the blocks of the epilogue. The including file
// defines PC (a row of C) and LDC (C's row stride in bytes) and owns the
// control flow; this file holds the one copy of the arithmetic.
//
// Vector registers: four B vectors, two alternating A broadcasts, and the
// 6×4 accumulator tile: row r, column block q lives in Z(8+4r+q).

#define B0 Z0
#define B1 Z1
#define B2 Z2
#define B3 Z3
#define A0 Z4
#define A1 Z5
#define ALPHA Z6
#define BETA Z7

// FMA4 adds broadcast A times the four B vectors into one accumulator row.
#define FMA4(A, c0, c1, c2, c3) \
	VFMADD231PS B0, A, c0; \
	VFMADD231PS B1, A, c1; \
	VFMADD231PS B2, A, c2; \
	VFMADD231PS B3, A, c3

// STEP6X64 does one step of k: the 64 floats of B's row from the memory
// operands b0..b3 (64 bytes apart), the six A values from a0..a5 (rows
// 0..5), 24 FMAs. The broadcasts alternate between A0 and A1 so that each
// is loaded while the other feeds its FMAs.
#define STEP6X64(b0, b1, b2, b3, a0, a1, a2, a3, a4, a5) \
	VMOVUPS      b0, B0; \
	VMOVUPS      b1, B1; \
	VMOVUPS      b2, B2; \
	VMOVUPS      b3, B3; \
	VBROADCASTSS a0, A0; \
	VBROADCASTSS a1, A1; \
	FMA4(A0, Z8, Z9, Z10, Z11); \
	VBROADCASTSS a2, A0; \
	FMA4(A1, Z12, Z13, Z14, Z15); \
	VBROADCASTSS a3, A1; \
	FMA4(A0, Z16, Z17, Z18, Z19); \
	VBROADCASTSS a4, A0; \
	FMA4(A1, Z20, Z21, Z22, Z23); \
	VBROADCASTSS a5, A1; \
	FMA4(A0, Z24, Z25, Z26, Z27); \
	FMA4(A1, Z28, Z29, Z30, Z31)

// CLEAR6X64 zeroes the 24 accumulators.
#define CLEAR6X64 \
	VPXORD Z8, Z8, Z8; \
	VPXORD Z9, Z9, Z9; \
	VPXORD Z10, Z10, Z10; \
	VPXORD Z11, Z11, Z11; \
	VPXORD Z12, Z12, Z12; \
	VPXORD Z13, Z13, Z13; \
	VPXORD Z14, Z14, Z14; \
	VPXORD Z15, Z15, Z15; \
	VPXORD Z16, Z16, Z16; \
	VPXORD Z17, Z17, Z17; \
	VPXORD Z18, Z18, Z18; \
	VPXORD Z19, Z19, Z19; \
	VPXORD Z20, Z20, Z20; \
	VPXORD Z21, Z21, Z21; \
	VPXORD Z22, Z22, Z22; \
	VPXORD Z23, Z23, Z23; \
	VPXORD Z24, Z24, Z24; \
	VPXORD Z25, Z25, Z25; \
	VPXORD Z26, Z26, Z26; \
	VPXORD Z27, Z27, Z27; \
	VPXORD Z28, Z28, Z28; \
	VPXORD Z29, Z29, Z29; \
	VPXORD Z30, Z30, Z30; \
	VPXORD Z31, Z31, Z31

// PREFETCH_C starts loading one row of the C tile at PC (read when beta
// != 0, written at the end) and moves PC to the next row: the loads of
// the epilogue then hit L1 instead of waiting on L3.
#define PREFETCH_C \
	PREFETCHT0 0(PC); \
	PREFETCHT0 64(PC); \
	PREFETCHT0 128(PC); \
	PREFETCHT0 192(PC); \
	PREFETCHT0 252(PC); \
	ADDQ LDC, PC

// PREFETCH6X64 prefetches the six rows of the C tile from PC on.
#define PREFETCH6X64 \
	PREFETCH_C; \
	PREFETCH_C; \
	PREFETCH_C; \
	PREFETCH_C; \
	PREFETCH_C; \
	PREFETCH_C

// SCALE4 multiplies one accumulator row by alpha.
#define SCALE4(c0, c1, c2, c3) \
	VMULPS ALPHA, c0, c0; \
	VMULPS ALPHA, c1, c1; \
	VMULPS ALPHA, c2, c2; \
	VMULPS ALPHA, c3, c3

// SCALE6X64 multiplies the tile by ALPHA.
#define SCALE6X64 \
	SCALE4(Z8, Z9, Z10, Z11); \
	SCALE4(Z12, Z13, Z14, Z15); \
	SCALE4(Z16, Z17, Z18, Z19); \
	SCALE4(Z20, Z21, Z22, Z23); \
	SCALE4(Z24, Z25, Z26, Z27); \
	SCALE4(Z28, Z29, Z30, Z31)

// BETA4 adds beta times the C row at PC, then moves PC to the next row.
#define BETA4(c0, c1, c2, c3) \
	VFMADD231PS 0(PC), BETA, c0; \
	VFMADD231PS 64(PC), BETA, c1; \
	VFMADD231PS 128(PC), BETA, c2; \
	VFMADD231PS 192(PC), BETA, c3; \
	ADDQ LDC, PC

// BETA6X64 adds BETA times the C tile at PC (row 0) to the tile.
#define BETA6X64 \
	BETA4(Z8, Z9, Z10, Z11); \
	BETA4(Z12, Z13, Z14, Z15); \
	BETA4(Z16, Z17, Z18, Z19); \
	BETA4(Z20, Z21, Z22, Z23); \
	BETA4(Z24, Z25, Z26, Z27); \
	BETA4(Z28, Z29, Z30, Z31)

// BIAS4 adds the bias vectors held in B0..B3.
#define BIAS4(c0, c1, c2, c3) \
	VADDPS B0, c0, c0; \
	VADDPS B1, c1, c1; \
	VADDPS B2, c2, c2; \
	VADDPS B3, c3, c3

// BIAS6X64 adds the 64 bias values at register r down the rows.
#define BIAS6X64(r) \
	VMOVUPS 0(r), B0; \
	VMOVUPS 64(r), B1; \
	VMOVUPS 128(r), B2; \
	VMOVUPS 192(r), B3; \
	BIAS4(Z8, Z9, Z10, Z11); \
	BIAS4(Z12, Z13, Z14, Z15); \
	BIAS4(Z16, Z17, Z18, Z19); \
	BIAS4(Z20, Z21, Z22, Z23); \
	BIAS4(Z24, Z25, Z26, Z27); \
	BIAS4(Z28, Z29, Z30, Z31)

// RELU4 clamps one row at zero (in A0); zero is the first source so NaN
// propagates.
#define RELU4(c0, c1, c2, c3) \
	VMAXPS c0, A0, c0; \
	VMAXPS c1, A0, c1; \
	VMAXPS c2, A0, c2; \
	VMAXPS c3, A0, c3

// RELU6X64 clamps the tile at zero.
#define RELU6X64 \
	VPXORD A0, A0, A0; \
	RELU4(Z8, Z9, Z10, Z11); \
	RELU4(Z12, Z13, Z14, Z15); \
	RELU4(Z16, Z17, Z18, Z19); \
	RELU4(Z20, Z21, Z22, Z23); \
	RELU4(Z24, Z25, Z26, Z27); \
	RELU4(Z28, Z29, Z30, Z31)

// STORE4 writes one row to C at PC and moves PC to the next row.
#define STORE4(c0, c1, c2, c3) \
	VMOVUPS c0, 0(PC); \
	VMOVUPS c1, 64(PC); \
	VMOVUPS c2, 128(PC); \
	VMOVUPS c3, 192(PC); \
	ADDQ LDC, PC

// STORE6X64 writes the tile to C at PC (row 0).
#define STORE6X64 \
	STORE4(Z8, Z9, Z10, Z11); \
	STORE4(Z12, Z13, Z14, Z15); \
	STORE4(Z16, Z17, Z18, Z19); \
	STORE4(Z20, Z21, Z22, Z23); \
	STORE4(Z24, Z25, Z26, Z27); \
	STORE4(Z28, Z29, Z30, Z31)
