package amd64

// NCHWcDwArgs are the operands of one call of the NCHWc depthwise
// convolution kernel (see kernels/nchwc_depthwise.go): a rectangle of NR
// output rows × NP output pixels of one 16-channel block, each the sum of
// the taps listed in XOff/WOff. All offsets and strides count float32
// elements. The assembly reads the fields at fixed byte offsets (checked
// by a test): keep the order.
type NCHWcDwArgs struct {
	X    []float32 // input; tap t of pixel p in row r at XOff[t] + r*RS + p*PS
	W    []float32 // weights; tap t at WOff[t], 16 lanes
	Y    []float32 // output; pixel p of row r at r*YRS + p*16
	Bias []float32 // 16 values, the start of every sum
	XOff []int     // per tap: input offset of pixel 0 of row 0
	WOff []int     // per tap: weight offset (len(WOff) == len(XOff))
	NP   int       // pixels per row (≥ 0)
	NR   int       // rows (≥ 0)
	PS   int       // input stride between consecutive pixels
	RS   int       // input stride between consecutive rows
	YRS  int       // output stride between consecutive rows
	Lo   float32   // lower clamp (-Inf: none)
	Hi   float32   // upper clamp (+Inf: none)
}

// NCHWcDwGo is the twin of every NCHWc depthwise kernel: for r < NR,
// p < NP, l < 16, with a = *args,
//
//	v = a.Bias[l]
//	v += a.W[a.WOff[t]+l] * a.X[a.XOff[t]+r*a.RS+p*a.PS+l]   for t increasing
//	v = max(v, a.Lo); v = min(v, a.Hi)                          (NaN stays NaN)
//	a.Y[r*a.YRS+p*16+l] = v
//
// The assembly fuses each multiply-add, so results agree up to rounding
// (exactly for small-integer data). Inputs are not modified.
func NCHWcDwGo(a *NCHWcDwArgs) {
	var acc [16]float32
	for r := range a.NR {
		for p := range a.NP {
			copy(acc[:], a.Bias[:16])
			base := r*a.RS + p*a.PS
			for t, xo := range a.XOff {
				x := a.X[base+xo : base+xo+16]
				w := a.W[a.WOff[t] : a.WOff[t]+16]
				for l := range acc {
					acc[l] += w[l] * x[l]
				}
			}
			y := a.Y[r*a.YRS+p*16 : r*a.YRS+p*16+16]
			for l, v := range acc {
				if v < a.Lo {
					v = a.Lo
				}
				if v > a.Hi {
					v = a.Hi
				}
				y[l] = v
			}
		}
	}
}

// NCHWcDwCheck panics when a call with operands a would read or write
// outside its slices (an internal bug in the caller); kernels check each
// call shape once, when they plan it.
func NCHWcDwCheck(a *NCHWcDwArgs) {
	if a.NP < 0 || a.NR < 0 || len(a.XOff) != len(a.WOff) {
		panic("BUG: amd64: NCHWcDw: inconsistent operands")
	}
	if a.NP == 0 || a.NR == 0 {
		return
	}
	if len(a.Bias) < 16 || a.PS < 0 || a.RS < 0 || a.YRS < 0 ||
		len(a.Y) < (a.NR-1)*a.YRS+a.NP*16 || (a.NR > 1 && a.YRS < a.NP*16) {
		panic("BUG: amd64: NCHWcDw: output or bias too short")
	}
	reach := (a.NR-1)*a.RS + (a.NP-1)*a.PS + 16
	for t, xo := range a.XOff {
		if xo < 0 || xo+reach > len(a.X) || a.WOff[t] < 0 || a.WOff[t]+16 > len(a.W) {
			panic("BUG: amd64: NCHWcDw: tap outside the input or weights")
		}
	}
}

// NCHWcClampGo is the twin of the clamp routines: for i < len(x),
//
//	x[i] = min(max(x[i], lo), hi)   (NaN stays NaN)
//
// in place.
func NCHWcClampGo(x []float32, lo, hi float32) {
	for i, v := range x {
		if v < lo {
			v = lo
		}
		if v > hi {
			v = hi
		}
		x[i] = v
	}
}
