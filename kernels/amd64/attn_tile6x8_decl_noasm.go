//go:build noasm

package amd64

// Tile6x8StrideAVX2 is Tile6x8StrideGo under the noasm tag.
func Tile6x8StrideAVX2(k int, a, b []float32, ldb int, c []float32, ldc int, alpha float32) {
	Tile6x8StrideGo(k, a, b, ldb, c, ldc, alpha)
}
