//go:build !noasm

package amd64

// VecLayerNormAVX512 normalises one LayerNorm row in one call; its math is
// VecLayerNormGo. The caller checks len(x) ≥ 1 and len(dst), len(scale),
// len(bias) ≥ len(x).
//
//go:noescape
func VecLayerNormAVX512(dst, x, scale, bias []float32, eps float32)
