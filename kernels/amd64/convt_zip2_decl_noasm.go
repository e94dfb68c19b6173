//go:build noasm

package amd64

// ConvTZip2AVX512 is ConvTZip2Go under the noasm tag.
func ConvTZip2AVX512(dst, a, b []float32, bias float32) { ConvTZip2Go(dst, a, b, bias) }
