//go:build !noasm

package amd64

// ConvTZip2AVX512 interleaves a and b into dst with a bias added (the two
// column phases of a stride-2 ConvTranspose row). Its math is
// ConvTZip2Go; operands must be as long as stated there.
//
//go:noescape
func ConvTZip2AVX512(dst, a, b []float32, bias float32)
