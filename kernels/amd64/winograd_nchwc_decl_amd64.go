//go:build !noasm

package amd64

// WinoIn43NCHWcAVX512 is the AVX-512 input transform of Winograd F(4×4,
// 3×3) for nt tiles of one 16-channel NCHWc block. Its math is
// WinoIn43NCHWcGo; operands must be as long as stated there.
//
//go:noescape
func WinoIn43NCHWcAVX512(v []float32, vs, ts int, x []float32, row, nt int)

// WinoOut43NCHWcAVX512 is the AVX-512 output transform of Winograd F(4×4,
// 3×3) for one tile of one 16-channel NCHWc block, with bias, residual
// and ReLU. Its math is WinoOut43NCHWcGo; operands must be as long as
// stated there.
//
//go:noescape
func WinoOut43NCHWcAVX512(m []float32, ms int, y []float32, row int, bias, r []float32, relu int)
