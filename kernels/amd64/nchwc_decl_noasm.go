//go:build noasm

package amd64

// NCHWcConvAVX512 is NCHWcConvGo under the noasm tag.
func NCHWcConvAVX512(a *NCHWcConvArgs) { NCHWcConvGo(a) }

// NCHWcMaxPoolAVX512 is NCHWcMaxPoolGo under the noasm tag.
func NCHWcMaxPoolAVX512(dst, src []float32, n, stride int, taps []int) {
	NCHWcMaxPoolGo(dst, src, n, stride, taps)
}

// NCHWcDwAVX512 is NCHWcDwGo under the noasm tag.
func NCHWcDwAVX512(a *NCHWcDwArgs) { NCHWcDwGo(a) }

// NCHWcClampAVX512 is NCHWcClampGo under the noasm tag.
func NCHWcClampAVX512(x []float32, lo, hi float32) { NCHWcClampGo(x, lo, hi) }
