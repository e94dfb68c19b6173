package vecmath

// Sum returns Σ x[i] accumulated in float32 in 32 (AVX2, Generic) or 64
// (AVX-512) interleaved partial sums that are added pairwise at the end:
// the rounding error is at most about (len(x)/lanes + 6)·2^-24·Σ|x[i]|
// (checked by the tests with that bound). 0 for an empty slice.
func Sum(x []float32) float32 { return current().Sum(x) }

// SumSquares returns Σ x[i]² with Sum's accumulation and error bound
// (relative to the result, since every term is non-negative).
func SumSquares(x []float32) float32 { return current().SumSquares(x) }

// SumSqDiff returns Σ (x[i]-c)², accumulated like Sum.
func SumSqDiff(x []float32, c float32) float32 { return current().SumSqDiff(x, c) }

// Max returns the largest x[i]; NaN when any x[i] is NaN; -Inf when x is
// empty.
func Max(x []float32) float32 { return current().Max(x) }

// Mean returns Sum(x)/len(x) (NaN for an empty slice).
func Mean(x []float32) float32 { return Sum(x) / float32(len(x)) }
