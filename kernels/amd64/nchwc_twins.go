package amd64

// Micro-kernels of the blocked NCHWc layout (see kernels/nchwc_conv.go):
// shared argument types and the pure-Go twins the assembly is tested
// against. The twins compile on every architecture; kernels/ falls back to
// them where no assembly exists.

// NCHWcConvPixels is the most output pixels one call of the NCHWc
// convolution micro-kernel computes.
const NCHWcConvPixels = 6

// NCHWcConvArgs are the operands of one call of the NCHWc convolution
// micro-kernel: NP output pixels of F consecutive 16-channel output
// blocks. The first len(Seg)-NT segments have K input channels each, the
// last NT have KT (an input whose channel count is not a multiple of the
// block reads only the real channels of its last block). All offsets and strides count float32 elements. The assembly
// reads the fields at fixed byte offsets (checked by a test): keep the
// order.
type NCHWcConvArgs struct {
	X    []float32            // input; pixel p of segment j, channel k at Off[p]+Seg[j]+k*S
	W    []float32            // packed weights, [segment j][K_j][F][16] (K_j is K or KT)
	Y    []float32            // output; block f, pixel p, lane l at f*YBS + p*16 + l
	Bias []float32            // F*16 values added to every pixel
	Add  []float32            // empty, or an addend laid out like Y (residual, partial sums)
	Seg  []int                // offsets of the (input block, kernel tap) segments
	K    int                  // input channels of each of the first len(Seg)-NT segments (>= 0)
	S    int                  // stride between consecutive input channels of a segment
	YBS  int                  // stride between output blocks in Y and Add
	F    int                  // output blocks: 1..4
	Relu int                  // non-zero: clamp at zero (NaN propagates)
	Off  [NCHWcConvPixels]int // input offset of each pixel (entries past NP are ignored)
	NP   int                  // pixels: 1..NCHWcConvPixels
	KT   int                  // input channels of each of the last NT segments (>= 0)
	NT   int                  // segments with KT channels: 0..len(Seg)
	Mask int                  // non-zero: lanes of output block F-1 kept (bit l: lane l), the others stored as zero
}

// segK returns the input channels of segment j of a.
func (a *NCHWcConvArgs) segK(j int) int {
	if j >= len(a.Seg)-a.NT {
		return a.KT
	}
	return a.K
}

// NCHWcConvGo is the twin of every NCHWc convolution micro-kernel: for
// f < F, p < NP, l < 16, with a = *args, K_j = a.K for j < len(a.Seg)-a.NT
// and a.KT after, and w_j = (K_0+…+K_(j-1))*a.F*16 (where segment j's
// weights start),
//
//	v = a.Bias[f*16+l]
//	v += a.X[a.Off[p]+a.Seg[j]+k*a.S] * a.W[w_j+(k*a.F+f)*16+l]   for j, then k < K_j, increasing
//	v += a.Add[f*a.YBS+p*16+l]                                          when len(a.Add) > 0
//	v = max(0, v)                                                       when a.Relu != 0 (NaN stays NaN)
//	v = 0                                   when a.Mask != 0, f = a.F-1 and bit l of a.Mask is clear
//	a.Y[f*a.YBS+p*16+l] = v
//
// The assembly fuses each multiply-add, so results agree up to rounding
// (exactly for small-integer data).
func NCHWcConvGo(a *NCHWcConvArgs) {
	var acc [4 * NCHWcConvPixels * 16]float32
	f16 := a.F * 16
	for p := range a.NP {
		copy(acc[p*f16:(p+1)*f16], a.Bias[:f16])
	}
	wo := 0
	for j, seg := range a.Seg {
		kj := a.segK(j)
		w := a.W[wo : wo+kj*f16]
		wo += kj * f16
		for p := range a.NP {
			row := acc[p*f16 : (p+1)*f16]
			base := a.Off[p] + seg
			for k := range kj {
				x := a.X[base+k*a.S]
				wk := w[k*f16 : (k+1)*f16]
				for i := range row {
					row[i] += x * wk[i]
				}
			}
		}
	}
	for f := range a.F {
		for p := range a.NP {
			o := f*a.YBS + p*16
			for l := range 16 {
				v := acc[p*f16+f*16+l]
				if len(a.Add) > 0 {
					v += a.Add[o+l]
				}
				if a.Relu != 0 && v < 0 {
					v = 0
				}
				if a.Mask != 0 && f == a.F-1 && a.Mask&(1<<l) == 0 {
					v = 0
				}
				a.Y[o+l] = v
			}
		}
	}
}

// NCHWcMaxPoolGo is the twin of the NCHWc max-pooling row kernel: for
// p < n and l < 16,
//
//	dst[p*16+l] = max over t of src[p*stride+taps[t]+l]
//
// with NaN propagating (any NaN in a window gives NaN). taps must not be
// empty.
func NCHWcMaxPoolGo(dst, src []float32, n, stride int, taps []int) {
	for p := range n {
		d := dst[p*16 : p*16+16]
		b := p * stride
		copy(d, src[b+taps[0]:b+taps[0]+16])
		for _, t := range taps[1:] {
			s := src[b+t : b+t+16]
			for l := range d {
				d[l] = max(d[l], s[l])
			}
		}
	}
}
