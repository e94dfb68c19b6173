//go:build noasm

package amd64

// Tile6x32StrideAVX512 is Tile6x32StrideGo under the noasm tag.
func Tile6x32StrideAVX512(k int, a, b []float32, ldb int, c []float32, ldc int, alpha float32) {
	Tile6x32StrideGo(k, a, b, ldb, c, ldc, alpha)
}
