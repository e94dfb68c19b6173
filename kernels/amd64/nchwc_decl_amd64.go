//go:build !noasm

package amd64

// NCHWcConvAVX512 is the AVX-512 NCHWc convolution micro-kernel: a.NP
// (1..6) output pixels of a.F (1..4) 16-channel output blocks in NP·F zmm
// accumulators. Its math is NCHWcConvGo; a.K, a.KT and len(a.Seg) may be
// zero.
//
//go:noescape
func NCHWcConvAVX512(a *NCHWcConvArgs)

// NCHWcMaxPoolAVX512 is the AVX-512 NCHWc max-pooling row kernel; its
// math is NCHWcMaxPoolGo.
//
//go:noescape
func NCHWcMaxPoolAVX512(dst, src []float32, n, stride int, taps []int)

// NCHWcDwAVX512 is the AVX-512 NCHWc depthwise convolution kernel; its
// math is NCHWcDwGo. The caller guarantees the operands pass NCHWcDwCheck.
//
//go:noescape
func NCHWcDwAVX512(a *NCHWcDwArgs)

// NCHWcClampAVX512 is the AVX-512 clamp; its math is NCHWcClampGo.
//
//go:noescape
func NCHWcClampAVX512(x []float32, lo, hi float32)
