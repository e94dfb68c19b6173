//go:build !noasm

package amd64

// QGemmTile8x32VNNI is QGemmTile8x32Go with AVX-512 VNNI: per group of 4
// taps, two 64-byte loads of b and sixteen VPDPBUSD with a's 4 weights of
// a row broadcast, each adding 64 exact u8·s8 products into 16 int32
// lanes (wrapping, as the twin). The corrections initialise the
// accumulators (VPMULLD, VPADDD) and the stores are masked to rows×cols,
// so nothing outside the tile is touched. The CPU must have AVX512F and
// AVX512_VNNI (and BMI2, which every such CPU has).
//
//go:noescape
func QGemmTile8x32VNNI(k4 int, a []int8, b []uint8, c []int32, ldc, rows, cols int, rowAdd, colMul, colSum []int32)

// QPackK4x32AVX2 is QPackK4x32Go with 128-bit AVX2 unpacks (bytes, then
// words, of four rows at a time) and column sums by VPMADDUBSW against
// ones (pairs of u8·1, at most 510: no saturation) and VPMADDWD against
// ones. The CPU must have AVX2.
//
//go:noescape
func QPackK4x32AVX2(dst, src []uint8, ld, k4 int, colSum []int32)

// QGemmTile8x32AVX2 is QGemmTile8x32Go with AVX2: VPMADDWD on the
// activations zero-extended and the weights sign-extended to 16 bits
// (exact: each pair of products is below 2^16 in magnitude; the
// saturating VPMADDUBSW is not used), in eight passes over the taps of
// 4 rows × 8 columns each, masked stores (VPMASKMOVD). The CPU must have
// AVX2.
//
//go:noescape
func QGemmTile8x32AVX2(k4 int, a []int8, b []uint8, c []int32, ldc, rows, cols int, rowAdd, colMul, colSum []int32)
