package purego

import "math"

// Lanes is the number of partial sums the reduction twins keep; the
// assembly keeps 32 (AVX2) or 64 (AVX-512). Either way each partial sum
// adds about n/lanes terms, so the float32 rounding error of a sum is at
// most about (n/lanes + log2(lanes))·2^-24·Σ|terms|.
const Lanes = 32

// sumLanes adds f(x[i]) into Lanes partial sums, then adds those pairwise.
func sumLanes(x []float32, f func(float32) float32) float32 {
	var acc [Lanes]float32
	i := 0
	for ; i+Lanes <= len(x); i += Lanes {
		for l := range Lanes {
			acc[l] += f(x[i+l])
		}
	}
	for l := 0; i < len(x); i, l = i+1, l+1 {
		acc[l] += f(x[i])
	}
	for w := Lanes / 2; w >= 1; w /= 2 {
		for l := range w {
			acc[l] += acc[l+w]
		}
	}
	return acc[0]
}

// Sum is the twin of VecSum*: Σ x[i] in float32 over Lanes partial sums
// (0 for an empty slice; NaN and ±Inf propagate as in IEEE addition).
func Sum(x []float32) float32 {
	return sumLanes(x, func(v float32) float32 { return v })
}

// SumSqDiff is the twin of VecSumSqDiff*: Σ (x[i] - c)² in float32 over
// Lanes partial sums. With c = 0 it is the sum of squares; with c = the
// mean it is the second pass of a two-pass variance.
func SumSqDiff(x []float32, c float32) float32 {
	return sumLanes(x, func(v float32) float32 { d := v - c; return d * d })
}

// Max is the twin of VecMax*: the largest x[i], NaN when any x[i] is NaN,
// -Inf for an empty slice. (-0 and +0 compare equal; either may be returned.)
func Max(x []float32) float32 {
	m := float32(math.Inf(-1))
	for _, v := range x {
		if v != v {
			return v
		}
		if v > m {
			m = v
		}
	}
	return m
}

// ExpShiftSum is the twin of VecExpShiftSum*, the middle pass of softmax:
// dst[i] = exp(x[i] - c) (Exp's algorithm) and it returns Σ dst[i]
// accumulated like Sum. len(dst) ≥ len(x); dst may be x.
func ExpShiftSum(dst, x []float32, c float32) float32 {
	dst = dst[:len(x)]
	for i, v := range x {
		dst[i] = exp1(v - c)
	}
	return Sum(dst)
}
