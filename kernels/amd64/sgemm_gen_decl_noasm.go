//go:build noasm

package amd64

// Sgemm6x64GenAVX512 is Sgemm6x64GenGo under the noasm tag.
func Sgemm6x64GenAVX512(k int, a []float32, rsa, csa int, b []float32, ldb, bnext int, c []float32, ldc int, alpha, beta float32, bias []float32, act, tiles int) {
	Sgemm6x64GenGo(k, a, rsa, csa, b, ldb, bnext, c, ldc, alpha, beta, bias, act, tiles)
}

// Sgemm6x16GenAVX2 is Sgemm6x16GenGo under the noasm tag.
func Sgemm6x16GenAVX2(k int, a []float32, rsa, csa int, b []float32, ldb, bnext int, c []float32, ldc int, alpha, beta float32, bias []float32, act, tiles int) {
	Sgemm6x16GenGo(k, a, rsa, csa, b, ldb, bnext, c, ldc, alpha, beta, bias, act, tiles)
}

// Sgemm4x64GenAVX512 is Sgemm4x64GenGo under the noasm tag.
func Sgemm4x64GenAVX512(k int, a []float32, rsa, csa int, b []float32, ldb, bnext int, c []float32, ldc int, alpha, beta float32, bias []float32, act, tiles int) {
	Sgemm4x64GenGo(k, a, rsa, csa, b, ldb, bnext, c, ldc, alpha, beta, bias, act, tiles)
}

// Sgemm2x64GenAVX512 is Sgemm2x64GenGo under the noasm tag.
func Sgemm2x64GenAVX512(k int, a []float32, rsa, csa int, b []float32, ldb, bnext int, c []float32, ldc int, alpha, beta float32, bias []float32, act, tiles int) {
	Sgemm2x64GenGo(k, a, rsa, csa, b, ldb, bnext, c, ldc, alpha, beta, bias, act, tiles)
}

// Sgemm4x16GenAVX2 is Sgemm4x16GenGo under the noasm tag.
func Sgemm4x16GenAVX2(k int, a []float32, rsa, csa int, b []float32, ldb, bnext int, c []float32, ldc int, alpha, beta float32, bias []float32, act, tiles int) {
	Sgemm4x16GenGo(k, a, rsa, csa, b, ldb, bnext, c, ldc, alpha, beta, bias, act, tiles)
}

// Sgemm2x16GenAVX2 is Sgemm2x16GenGo under the noasm tag.
func Sgemm2x16GenAVX2(k int, a []float32, rsa, csa int, b []float32, ldb, bnext int, c []float32, ldc int, alpha, beta float32, bias []float32, act, tiles int) {
	Sgemm2x16GenGo(k, a, rsa, csa, b, ldb, bnext, c, ldc, alpha, beta, bias, act, tiles)
}

// Sgemm6x64W16GenAVX512 is Sgemm6x64W16GenGo under the noasm tag.
func Sgemm6x64W16GenAVX512(k int, a []float32, rsa, csa int, b []float32, ldb, bnext int, c []float32, ldc int, alpha, beta float32, bias []float32, act, tiles int) {
	Sgemm6x64W16GenGo(k, a, rsa, csa, b, ldb, bnext, c, ldc, alpha, beta, bias, act, tiles)
}

// Sgemm6x64W32GenAVX512 is Sgemm6x64W32GenGo under the noasm tag.
func Sgemm6x64W32GenAVX512(k int, a []float32, rsa, csa int, b []float32, ldb, bnext int, c []float32, ldc int, alpha, beta float32, bias []float32, act, tiles int) {
	Sgemm6x64W32GenGo(k, a, rsa, csa, b, ldb, bnext, c, ldc, alpha, beta, bias, act, tiles)
}

// Sgemm6x64W48GenAVX512 is Sgemm6x64W48GenGo under the noasm tag.
func Sgemm6x64W48GenAVX512(k int, a []float32, rsa, csa int, b []float32, ldb, bnext int, c []float32, ldc int, alpha, beta float32, bias []float32, act, tiles int) {
	Sgemm6x64W48GenGo(k, a, rsa, csa, b, ldb, bnext, c, ldc, alpha, beta, bias, act, tiles)
}

// Sgemm6x16W8GenAVX2 is Sgemm6x16W8GenGo under the noasm tag.
func Sgemm6x16W8GenAVX2(k int, a []float32, rsa, csa int, b []float32, ldb, bnext int, c []float32, ldc int, alpha, beta float32, bias []float32, act, tiles int) {
	Sgemm6x16W8GenGo(k, a, rsa, csa, b, ldb, bnext, c, ldc, alpha, beta, bias, act, tiles)
}

// Sgemm6x16DownGenAVX2 is Sgemm6x16DownGenGo under the noasm tag.
func Sgemm6x16DownGenAVX2(k int, a []float32, rsa, csa int, b []float32, ldb, bnext int, c []float32, ldc int, alpha, beta float32, bias []float32, act, tiles int) {
	Sgemm6x16DownGenGo(k, a, rsa, csa, b, ldb, bnext, c, ldc, alpha, beta, bias, act, tiles)
}
