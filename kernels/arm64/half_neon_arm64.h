// Encodings of the float16 conversions Go's arm64 assembler lacks (Arm A64
// instruction set manual, FCVTL/FCVTL2 and FCVTN/FCVTN2 with sz = 0).
// Arguments are register numbers (V0..V31 = 0..31).

// FCVTL Vd.4S, Vn.4H: widen the low four float16 lanes of Vn (exact).
#define FCVTL4S(d, n) WORD $(0x0E217800 | ((n)<<5) | (d))

// FCVTL2 Vd.4S, Vn.8H: widen the high four float16 lanes of Vn (exact).
#define FCVTL2_4S(d, n) WORD $(0x4E217800 | ((n)<<5) | (d))

// FCVTN Vd.4H, Vn.4S: round Vn to float16 (FPCR mode, nearest even) into
// the low half of Vd, zeroing the high half.
#define FCVTN4H(d, n) WORD $(0x0E216800 | ((n)<<5) | (d))

// FCVTN2 Vd.8H, Vn.4S: round Vn to float16 into the high half of Vd,
// keeping the low half.
#define FCVTN2_8H(d, n) WORD $(0x4E216800 | ((n)<<5) | (d))
