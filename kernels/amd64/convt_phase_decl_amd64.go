//go:build !noasm

package amd64

// ConvTPhase6x64AVX512 is the AVX-512 tile kernel of ConvTranspose's
// sub-pixel form: six rows of C over tiles of 64 columns, the right
// operand's rows read in place from x at the offsets offs. Its math is
// ConvTPhase6x64Go; operands must be at least as long as stated there.
//
//go:noescape
func ConvTPhase6x64AVX512(k, tiles int, a, x []float32, offs []int, c []float32, ldc int)

// ConvTPhase6x32AVX512 is the half-width last tile of
// ConvTPhase6x64AVX512: six rows of C over 32 columns. Its math is
// ConvTPhase6x32Go; operands must be at least as long as stated there.
//
//go:noescape
func ConvTPhase6x32AVX512(k int, a, x []float32, offs []int, c []float32, ldc int)
