//go:build !noasm

package amd64

// ConvTZipRowsAVX512 interleaves rows of a and b into rows of dst with a
// bias (and a ReLU) applied: the two column phases of a stride-2
// ConvTranspose output. Its math is ConvTZipRowsGo; operands must be as
// long as stated there.
//
//go:noescape
func ConvTZipRowsAVX512(dst, a, b []float32, n, rows, ldd, lds, relu int, bias float32)
