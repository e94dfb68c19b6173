package kernels

import (
	"fmt"
	"math"

	"github.com/nncc/nncc/ir"
)

// DFT (ai.onnx opsets 17 and 20): the discrete Fourier transform along one
// signal axis of a tensor whose last dimension holds a real value (size 1)
// or a complex one (size 2, real then imaginary). Opset 17 takes the axis as
// an attribute (default 1); opset 20 as an optional input (default -2).
//
//	forward:          y[k] = Σ_t x[t] e^{-2πi kt/n}             (n outputs, or n/2+1 with onesided)
//	inverse:          x[t] = 1/n Σ_k y[k] e^{+2πi kt/n}          (n complex outputs)
//	inverse+onesided: the real signal of length n whose spectrum is
//	                  Hermitian with the given first n/2+1 bins (IRFFT)
//
// n is dft_length (zero-padding or truncating the signal), by default the
// axis length, or 2*(length-1) for IRFFT. Computed in float64.

func init() { Register("", "DFT", buildDFT) }

type dftConfig struct {
	inverse, onesided bool
	axisAttr          int64
	axisInput         bool // opset 20: axis comes from input 2
}

func buildDFT(b *Build) (Func, error) {
	a := b.Attrs()
	cfg := &dftConfig{
		inverse:  a.Int("inverse", 0) != 0,
		onesided: a.Int("onesided", 0) != 0,
	}
	if b.Node.Opset != 0 && b.Node.Opset < 20 {
		cfg.axisAttr = a.Int("axis", 1)
	} else {
		if a.Has("axis") {
			return nil, b.Errorf("axis is an input, not an attribute, from opset 20")
		}
		cfg.axisInput = true
		cfg.axisAttr = -2
	}
	if dt := b.InDType(0); dt != ir.Undefined && !advIsFloat(dt) {
		return nil, b.Errorf("input must be a float tensor, got %v", dt)
	}
	return func(c *Ctx, in []*ir.Tensor) error {
		x := in[0]
		axis := cfg.axisAttr
		if cfg.axisInput {
			if t := attnInput(in, 2); t != nil {
				v, err := advInts(t, "axis")
				if err != nil || len(v) != 1 {
					return c.Errorf("axis must be an integer scalar")
				}
				axis = v[0]
			}
		}
		var n int64 = -1
		if t := attnInput(in, 1); t != nil {
			v, err := advInts(t, "dft_length")
			if err != nil || len(v) != 1 {
				return c.Errorf("dft_length must be an integer scalar")
			}
			if n = v[0]; n <= 0 {
				return c.Errorf("dft_length must be positive, got %d", n)
			}
		}
		if _, err := dftRun(c, cfg, x, axis, n); err != nil {
			return c.Errorf("%v", err)
		}
		return nil
	}, nil
}

// dftAxis validates axis for an input of rank r (the last axis holds the
// complex parts and cannot be transformed).
func dftAxis(axis int64, r int) (int, error) {
	if r < 2 {
		return 0, fmt.Errorf("input must have rank at least 2, got %d", r)
	}
	a := axis
	if a < 0 {
		a += int64(r)
	}
	if a < 0 || a >= int64(r-1) {
		return 0, fmt.Errorf("axis %d out of range for rank %d (the last axis holds the complex parts)", axis, r)
	}
	return int(a), nil
}

func dftRun(c *Ctx, cfg *dftConfig, x *ir.Tensor, axis int64, n int64) (*ir.Tensor, error) {
	r := x.Rank()
	a, err := dftAxis(axis, r)
	if err != nil {
		return nil, err
	}
	comp := int(x.Shape[r-1])
	if comp != 1 && comp != 2 {
		return nil, fmt.Errorf("last dimension must be 1 (real) or 2 (complex), got shape %v", x.Shape)
	}
	L := int(x.Shape[a])
	if n < 0 {
		n = int64(L)
		if cfg.inverse && cfg.onesided {
			n = 2 * (int64(L) - 1)
		}
	}
	if n <= 0 {
		return nil, fmt.Errorf("dft_length must be positive, got %d", n)
	}
	if n > 1<<24 {
		return nil, fmt.Errorf("dft_length %d is too large", n)
	}
	nn := int(n)
	outLen, outComp := nn, 2
	switch {
	case cfg.onesided && !cfg.inverse:
		outLen = nn/2 + 1
	case cfg.onesided && cfg.inverse:
		outComp = 1
	}
	outShape := append([]int64{}, x.Shape...)
	outShape[a] = int64(outLen)
	outShape[r-1] = int64(outComp)
	y, err := c.OutputUninit(0, x.DType, outShape)
	if err != nil {
		return nil, err
	}
	xf, err := advFloats(x)
	if err != nil {
		return nil, err
	}
	outer := ir.NumElements(x.Shape[:a])
	inner := ir.NumElements(x.Shape[a+1 : r-1])
	out := make([]float64, y.Len())
	plan := newDFTPlan(nn)
	re, im := make([]float64, nn), make([]float64, nn)
	ore, oim := make([]float64, nn), make([]float64, nn)
	for o := 0; o < outer; o++ {
		for i := 0; i < inner; i++ {
			clear(re)
			clear(im)
			if cfg.inverse && cfg.onesided {
				// Hermitian spectrum from the first n/2+1 bins.
				for k := 0; k <= nn/2 && k < L; k++ {
					p := ((o*L+k)*inner + i) * comp
					re[k] = xf[p]
					if comp == 2 {
						im[k] = xf[p+1]
					}
				}
				im[0] = 0
				if nn%2 == 0 {
					im[nn/2] = 0
				}
				for k := 1; k < (nn+1)/2; k++ {
					re[nn-k], im[nn-k] = re[k], -im[k]
				}
			} else {
				for t := 0; t < L && t < nn; t++ {
					p := ((o*L+t)*inner + i) * comp
					re[t] = xf[p]
					if comp == 2 {
						im[t] = xf[p+1]
					}
				}
			}
			plan.transform(re, im, ore, oim, cfg.inverse)
			for k := 0; k < outLen; k++ {
				p := ((o*outLen+k)*inner + i) * outComp
				out[p] = ore[k]
				if outComp == 2 {
					out[p+1] = oim[k]
				}
			}
		}
	}
	return y, advStore(y, out)
}

// dftPlan holds the twiddle factors e^{-2πi j/n} of one length.
type dftPlan struct {
	n        int
	cos, sin []float64
}

func newDFTPlan(n int) *dftPlan {
	p := &dftPlan{n: n, cos: make([]float64, n), sin: make([]float64, n)}
	for j := 0; j < n; j++ {
		p.sin[j], p.cos[j] = math.Sincos(2 * math.Pi * float64(j) / float64(n))
	}
	return p
}

// transform computes the DFT (or the normalized inverse) of (re, im) into
// (ore, oim). Powers of two use an iterative radix-2 FFT; other lengths the
// direct sum with exact twiddle indices (k*t mod n).
func (p *dftPlan) transform(re, im, ore, oim []float64, inverse bool) {
	n := p.n
	sign := -1.0
	if inverse {
		sign = 1
	}
	if n&(n-1) == 0 {
		copy(ore, re)
		copy(oim, im)
		p.fft(ore, oim, sign)
	} else {
		for k := 0; k < n; k++ {
			var sr, si float64
			idx := 0
			for t := 0; t < n; t++ {
				c, s := p.cos[idx], sign*p.sin[idx]
				sr += re[t]*c - im[t]*s
				si += re[t]*s + im[t]*c
				idx += k
				if idx >= n {
					idx -= n
				}
			}
			ore[k], oim[k] = sr, si
		}
	}
	if inverse {
		inv := 1 / float64(n)
		for k := range ore {
			ore[k] *= inv
			oim[k] *= inv
		}
	}
}

// fft is an in-place iterative radix-2 FFT; sign is -1 (forward) or +1.
func (p *dftPlan) fft(re, im []float64, sign float64) {
	n := p.n
	for i, j := 1, 0; i < n; i++ {
		bit := n >> 1
		for ; j&bit != 0; bit >>= 1 {
			j ^= bit
		}
		j ^= bit
		if i < j {
			re[i], re[j] = re[j], re[i]
			im[i], im[j] = im[j], im[i]
		}
	}
	for size := 2; size <= n; size <<= 1 {
		half, step := size/2, n/size
		for start := 0; start < n; start += size {
			for k := 0; k < half; k++ {
				c, s := p.cos[k*step], sign*p.sin[k*step]
				a, b := start+k, start+k+half
				tr := re[b]*c - im[b]*s
				ti := re[b]*s + im[b]*c
				re[b], im[b] = re[a]-tr, im[a]-ti
				re[a], im[a] = re[a]+tr, im[a]+ti
			}
		}
	}
}
