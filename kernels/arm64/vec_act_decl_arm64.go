//go:build !noasm

package arm64

// The piecewise activations (vec_act_neon_arm64.s) work on whole vectors
// of 4; the exported wrappers run the remaining 1…3 elements through the
// same routine on a padded copy.

//go:noescape
func vecLeakyReluNEON(dst, x []float32, alpha float32)

//go:noescape
func vecHardSigmoidNEON(dst, x []float32, alpha, beta float64)

//go:noescape
func vecHardSwishNEON(dst, x []float32)

// VecLeakyReluNEON: dst[i] = x[i]·alpha where x[i] < 0, else x[i]·1; its
// twin is purego.LeakyRelu (bit for bit). len(dst) ≥ len(x), dst may be x.
func VecLeakyReluNEON(dst, x []float32, alpha float32) {
	n := len(x) &^ 3
	if n > 0 {
		vecLeakyReluNEON(dst[:n], x[:n], alpha)
	}
	if r := len(x) - n; r > 0 {
		var buf [4]float32
		copy(buf[:], x[n:])
		vecLeakyReluNEON(buf[:], buf[:], alpha)
		copy(dst[n:len(x)], buf[:r])
	}
}

// VecHardSigmoidNEON: dst[i] = clamp01(alpha·x[i] + beta) in float64; its
// twin is purego.HardSigmoid (bit for bit). len(dst) ≥ len(x), dst may be
// x.
func VecHardSigmoidNEON(dst, x []float32, alpha, beta float64) {
	n := len(x) &^ 3
	if n > 0 {
		vecHardSigmoidNEON(dst[:n], x[:n], alpha, beta)
	}
	if r := len(x) - n; r > 0 {
		var buf [4]float32
		copy(buf[:], x[n:])
		vecHardSigmoidNEON(buf[:], buf[:], alpha, beta)
		copy(dst[n:len(x)], buf[:r])
	}
}

// VecHardSwishNEON: dst[i] = x·clamp01(x/6 + 1/2) in float64; its twin is
// purego.HardSwish (bit for bit). len(dst) ≥ len(x), dst may be x.
func VecHardSwishNEON(dst, x []float32) {
	n := len(x) &^ 3
	if n > 0 {
		vecHardSwishNEON(dst[:n], x[:n])
	}
	if r := len(x) - n; r > 0 {
		var buf [4]float32
		copy(buf[:], x[n:])
		vecHardSwishNEON(buf[:], buf[:])
		copy(dst[n:len(x)], buf[:r])
	}
}
