package kernels

import (
	"math"
	"math/rand/v2"
)

// numpyRNG is the Mersenne Twister MT19937 with the seeding and the
// derived distributions of numpy's legacy RandomState, the generator the
// ONNX reference implementation uses for the random ops
// (np.random.RandomState(int(seed))). Seeded random ops built on it produce,
// for a seed s, exactly what RandomState(s) produces; that makes seeded
// results reproducible across runs and comparable with the reference.
//
// A numpyRNG is not safe for concurrent use; kernels make one per run.
type numpyRNG struct {
	mt  [mtN]uint32
	pos int

	hasGauss bool
	gauss    float64
}

const (
	mtN         = 624
	mtM         = 397
	mtMatrixA   = 0x9908b0df
	mtUpperMask = 0x80000000
	mtLowerMask = 0x7fffffff
)

// newNumpyRNG seeds the generator like numpy's RandomState(seed) for an
// integer seed in [0, 2³²): Knuth's linear initialisation (init_genrand).
func newNumpyRNG(seed uint32) *numpyRNG {
	r := &numpyRNG{}
	r.mt[0] = seed
	for i := 1; i < mtN; i++ {
		prev := r.mt[i-1]
		r.mt[i] = 1812433253*(prev^(prev>>30)) + uint32(i)
	}
	r.pos = mtN
	return r
}

// rndSeed turns a random op's seed attribute (a float) into the 32-bit
// MT seed: numpy's int(seed) for the seeds numpy accepts ([0, 2³²)), the low
// 32 bits of the integer part otherwise. Without a seed attribute a fresh
// random seed is drawn, so each run differs.
func rndSeed(has bool, seed float32) uint32 {
	if !has || math.IsNaN(float64(seed)) {
		return rand.Uint32()
	}
	f := float64(seed)
	if f >= 0 && f < 1<<32 {
		return uint32(f)
	}
	return uint32(int64(f))
}

// Uint32 returns the next tempered 32-bit output of MT19937.
func (r *numpyRNG) Uint32() uint32 {
	if r.pos >= mtN {
		r.twist()
	}
	y := r.mt[r.pos]
	r.pos++
	y ^= y >> 11
	y ^= (y << 7) & 0x9d2c5680
	y ^= (y << 15) & 0xefc60000
	y ^= y >> 18
	return y
}

func (r *numpyRNG) twist() {
	for i := 0; i < mtN; i++ {
		y := (r.mt[i] & mtUpperMask) | (r.mt[(i+1)%mtN] & mtLowerMask)
		v := r.mt[(i+mtM)%mtN] ^ (y >> 1)
		if y&1 != 0 {
			v ^= mtMatrixA
		}
		r.mt[i] = v
	}
	r.pos = 0
}

// Float64 returns a uniform double in [0, 1) with 53 random bits, built
// from two outputs as numpy's random_sample does: (a>>5 · 2²⁶ + b>>6) / 2⁵³.
func (r *numpyRNG) Float64() float64 {
	a := r.Uint32() >> 5
	b := r.Uint32() >> 6
	return (float64(a)*67108864 + float64(b)) / 9007199254740992
}

// Uniform returns low + (high-low)·U, U uniform in [0, 1) (numpy's uniform).
func (r *numpyRNG) Uniform(low, high float64) float64 {
	return low + (high-low)*r.Float64()
}

// Gauss returns a standard normal deviate by the polar Box–Muller method,
// caching the second deviate of each pair (numpy's legacy_gauss).
func (r *numpyRNG) Gauss() float64 {
	if r.hasGauss {
		r.hasGauss = false
		return r.gauss
	}
	var x1, x2, r2 float64
	for {
		x1 = 2*r.Float64() - 1
		x2 = 2*r.Float64() - 1
		r2 = x1*x1 + x2*x2
		if r2 < 1 && r2 != 0 {
			break
		}
	}
	f := math.Sqrt(-2 * math.Log(r2) / r2)
	r.gauss = f * x1
	r.hasGauss = true
	return f * x2
}

// Bernoulli returns 1 with probability p and 0 otherwise, consuming one
// uniform as numpy's binomial(1, p) does by inversion: with q = 1-p it
// compares against exp(log(q)) when p <= 0.5, and otherwise draws the
// complementary event with probability exp(log(1-q)).
func (r *numpyRNG) Bernoulli(p float64) bool {
	u := r.Float64()
	q := 1 - p
	if p <= 0.5 {
		return u > math.Exp(math.Log(q))
	}
	return !(u > math.Exp(math.Log(1-q)))
}
