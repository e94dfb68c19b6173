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
