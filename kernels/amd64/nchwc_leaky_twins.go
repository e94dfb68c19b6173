package amd64

// NCHWcLeakyGo is the twin of the LeakyRelu routines: for i < len(x),
//
//	x[i] = alpha·x[i]   where x[i] < 0   (NaN, ±0 and positive values unchanged)
//
// in place. Written as a multiply by a selected factor rather than a branch
// per value, so signs that alternate at random cost no mispredictions.
func NCHWcLeakyGo(x []float32, alpha float32) {
	for i, v := range x {
		f := float32(1)
		if v < 0 {
			f = alpha
		}
		x[i] = v * f
	}
}

// NCHWcHardSwishGo is the twin of the HardSwish routines: for i < len(x),
//
//	x[i] = float32(f·min(max(f·(1/6) + 1/2, 0), 1))   with f = float64(x[i])
//
// in place, each step rounded to float64 (no fused multiply-add), NaN
// staying NaN. It is ONNX HardSwish as vecmath computes it, up to the last
// bit of f/6 in float64 (far below the float32 rounding).
func NCHWcHardSwishGo(x []float32) {
	for i, v := range x {
		f := float64(v)
		y := float64(f*(1.0/6)) + 0.5
		y = max(y, 0)
		y = min(y, 1)
		x[i] = float32(f * y)
	}
}
