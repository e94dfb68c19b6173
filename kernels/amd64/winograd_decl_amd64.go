//go:build !noasm

package amd64

// WinoOut43AVX512 is the AVX-512 output transform of Winograd F(4×4, 3×3)
// for one tile of 16 channels, bias and ReLU included, storing the 4×4
// tile of each channel straight into an NCHW plane. Its math is
// WinoOut43Go; operands must be as long as stated there.
//
//go:noescape
func WinoOut43AVX512(m []float32, ms int, y []float32, plane, row int, bias []float32, relu int)

// WinoIn43RowsAVX512 is the AVX-512 column pass of the F(4×4, 3×3) input
// transform, 16 columns per step (masked at the end). Its math is
// WinoIn43RowsGo.
//
//go:noescape
func WinoIn43RowsAVX512(t []float32, ts int, r0, r1, r2, r3, r4, r5 []float32, n int)

// WinoIn43TilesAVX512 is the AVX-512 row pass of the F(4×4, 3×3) input
// transform, 16 tiles per step: the overlapping 6-wide windows are
// de-interleaved with two-source permutes. Its math is WinoIn43TilesGo.
//
//go:noescape
func WinoIn43TilesAVX512(v []float32, vs int, t []float32, ts, nt int)

// WinoOut43AVX2 is the AVX2 form of WinoOut43AVX512 (two halves of 8
// channels). Its math is WinoOut43Go.
//
//go:noescape
func WinoOut43AVX2(m []float32, ms int, y []float32, plane, row int, bias []float32, relu int)

// WinoIn43RowsAVX2 is the AVX2 form of WinoIn43RowsAVX512 (8 columns per
// step). Its math is WinoIn43RowsGo.
//
//go:noescape
func WinoIn43RowsAVX2(t []float32, ts int, r0, r1, r2, r3, r4, r5 []float32, n int)

// WinoIn43TilesAVX2 is the AVX2 form of WinoIn43TilesAVX512 (8 tiles per
// step). Its math is WinoIn43TilesGo.
//
//go:noescape
func WinoIn43TilesAVX2(v []float32, vs int, t []float32, ts, nt int)
