package kernels

import (
	"math"

	"github.com/nncc/nncc/kernels/vecmath"
)

// 3-D float32 MaxPool without Indices and 3-D float32 AveragePool. A
// window is the product of its depth taps and a 2-D window over the last
// two axes, so every input depth slice that some window reads is pooled
// once in 2-D, tap by tap (as the 2-D path), and each output slice then
// combines the pooled slices its depth taps name:
//
//	MaxPool:     y[od, oy, ox] = max over z in taps(od) of P_z[oy, ox],  P_z the 2-D max of x[z]
//	AveragePool: y[od, oy, ox] = (Σ over z in taps(od) of S_z[oy, ox]) · inv[od, oy, ox],
//	             S_z the 2-D window sum of x[z], inv the reciprocal divisor
//
// (an output whose window holds no input is −Inf for MaxPool, 0 for
// AveragePool, as in the general path). The maxima propagate NaN.

// pool3D is the 3-D fast path's geometry for one input shape.
type pool3D struct {
	win   *vecmath.Window2D // the last two axes
	d     int               // input depth
	dTaps [][]int64         // per output depth: the input depths read
	used  []bool            // per input depth: read by some window
	inv   []float32         // AveragePool: per output position, 1/divisor (0 when empty)
}

// newPool3D returns the fast path of a 3-D geometry, or nil when a
// padding is negative.
func newPool3D(s *poolSpec, g *poolGeom) *pool3D {
	for _, p := range g.pb {
		if p < 0 {
			return nil
		}
	}
	w := s.window2D(g)
	if w.Check() != nil {
		return nil
	}
	p := &pool3D{win: w, d: int(g.in[0]), dTaps: g.taps[0], used: make([]bool, g.in[0])}
	for _, t := range p.dTaps {
		for _, z := range t {
			p.used[z] = true
		}
	}
	if s.kind == poolAvg {
		p.inv = make([]float32, g.outSize)
		i := 0
		for od := range g.out[0] {
			for oy := range g.out[1] {
				for ox := range g.out[2] {
					div := len(g.taps[0][od]) * len(g.taps[1][oy]) * len(g.taps[2][ox])
					if s.countIncludePad {
						div = g.padCnt[0][od] * g.padCnt[1][oy] * g.padCnt[2][ox]
					}
					if div > 0 {
						p.inv[i] = 1 / float32(div)
					}
					i++
				}
			}
		}
	}
	return p
}

// slices returns the size of the pooled-slice buffer one plane needs.
func (p *pool3D) slices() int { return p.d * p.win.OH * p.win.OW }

// pool3DBufs recycles the pooled-slice buffers (one per running chunk).
var pool3DBufs slicePool[float32]

// run pools planes of x (d·h·w each) into y (od·oh·ow each).
func (p *pool3D) run(kind int, x, y []float32, planes int) {
	bp, buf := pool3DBufs.get(p.slices())
	defer pool3DBufs.put(bp)
	w := p.win
	ss, os := w.H*w.W, w.OH*w.OW
	ps, pos := p.d*ss, len(p.dTaps)*os
	for pl := range planes {
		xp, yp := x[pl*ps:(pl+1)*ps], y[pl*pos:(pl+1)*pos]
		for z, u := range p.used {
			if !u {
				continue
			}
			if kind == poolMax {
				vecmath.MaxPool2D(buf[z*os:(z+1)*os], xp[z*ss:(z+1)*ss], 1, w)
			} else {
				vecmath.SumPlane2D(buf[z*os:(z+1)*os], xp[z*ss:(z+1)*ss], w)
			}
		}
		for od, taps := range p.dTaps {
			d := yp[od*os : (od+1)*os]
			if len(taps) == 0 {
				v := float32(0)
				if kind == poolMax {
					v = float32(math.Inf(-1))
				}
				for i := range d {
					d[i] = v
				}
				continue
			}
			copy(d, buf[int(taps[0])*os:])
			for _, z := range taps[1:] {
				src := buf[int(z)*os:][:len(d)]
				if kind == poolMax {
					for i, v := range src {
						d[i] = max(d[i], v)
					}
				} else {
					for i, v := range src {
						d[i] += v
					}
				}
			}
			if kind == poolAvg {
				inv := p.inv[od*os:][:len(d)]
				for i := range d {
					d[i] *= inv[i]
				}
			}
		}
	}
}
