//go:build noasm

package amd64

// Sgemm6x64GenCopyAVX512 is Sgemm6x64GenCopyGo under the noasm tag.
func Sgemm6x64GenCopyAVX512(k int, a []float32, rsa, csa int, b []float32, ldb, bnext int, c []float32, ldc int, alpha, beta float32, bias []float32, act, tiles int, src []float32, lds int, dst []float32, rows int) {
	Sgemm6x64GenCopyGo(k, a, rsa, csa, b, ldb, bnext, c, ldc, alpha, beta, bias, act, tiles, src, lds, dst, rows)
}
