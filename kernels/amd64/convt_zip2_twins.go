package amd64

// ConvTZip2Go is the twin of ConvTZip2AVX512: for i < len(a)
//
//	dst[2i] = a[i] + bias,  dst[2i+1] = b[i] + bias
//
// It needs len(b) ≥ len(a) and len(dst) ≥ 2·len(a); nothing else of dst
// is written.
func ConvTZip2Go(dst, a, b []float32, bias float32) {
	b = b[:len(a)]
	dst = dst[:2*len(a)]
	for i, v := range a {
		d := (*[2]float32)(dst[2*i:])
		d[0], d[1] = v+bias, b[i]+bias
	}
}
