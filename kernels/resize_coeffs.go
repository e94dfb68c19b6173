package kernels

import (
	"fmt"
	"math"
)

// Coordinate transformation and interpolation weights of Resize, one axis
// at a time. Resize is separable: the N-D result is obtained by resizing
// one axis after another.

// resizeCoordModes maps coordinate_transformation_mode to its number.
var resizeCoordModes = map[string]int{
	"half_pixel":           resizeHalfPixel,
	"half_pixel_symmetric": resizeHalfPixelSym,
	"pytorch_half_pixel":   resizePytorchHalfPixel,
	"align_corners":        resizeAlignCorners,
	"asymmetric":           resizeAsymmetric,
	"tf_crop_and_resize":   resizeTFCrop,
}

const (
	resizeHalfPixel = iota
	resizeHalfPixelSym
	resizePytorchHalfPixel
	resizeAlignCorners
	resizeAsymmetric
	resizeTFCrop
)

// resizeNearestModes maps nearest_mode to its number; resizeNearestSimple
// is the rule of Upsample and Resize-10 (floor when upsampling, ceil when
// downsampling).
var resizeNearestModes = map[string]int{
	"round_prefer_floor": resizeRoundPreferFloor,
	"round_prefer_ceil":  resizeRoundPreferCeil,
	"floor":              resizeFloor,
	"ceil":               resizeCeil,
}

const (
	resizeRoundPreferFloor = iota
	resizeRoundPreferCeil
	resizeFloor
	resizeCeil
	resizeNearestSimple
)

// resizeSource maps output coordinate y of an axis to the input
// coordinate. inW is the input length, outInt the output length, scale the
// axis' scale factor and roiStart/roiEnd its region of interest (used by
// tf_crop_and_resize). extrapolate reports a tf_crop_and_resize coordinate
// outside [0, inW-1].
func resizeSource(mode int, y float64, scale float64, inW, outInt int, roiStart, roiEnd float64) (x float64, extrapolate bool) {
	outW := scale * float64(inW)
	in := float64(inW)
	switch mode {
	case resizeAlignCorners:
		if outW == 1 {
			return 0, false
		}
		return y * (in - 1) / (outW - 1), false
	case resizeAsymmetric:
		return y / scale, false
	case resizeTFCrop:
		if outW == 1 {
			x = (roiEnd - roiStart) * (in - 1) / 2
		} else {
			x = y * (roiEnd - roiStart) * (in - 1) / (outW - 1)
		}
		x += roiStart * (in - 1)
		return x, x < 0 || x > in-1
	case resizePytorchHalfPixel:
		if outW == 1 {
			return -0.5, false
		}
		return (y+0.5)/scale - 0.5, false
	case resizeHalfPixelSym:
		adj := float64(outInt) / outW
		center := in / 2
		off := center * (1 - adj)
		return off + (y+0.5)/scale - 0.5, false
	}
	return (y+0.5)/scale - 0.5, false
}

// resizeTap is one output position of an axis: the input indices and their
// weights, or extrapolation.
type resizeTap struct {
	idx         []int
	w           []float64
	extrapolate bool
}

// resizeFilter describes the interpolation of one Resize node.
type resizeFilter struct {
	mode        string // "nearest", "linear" or "cubic"
	nearestMode int
	cubicA      float64
	antialias   bool
	exclude     bool
	coordMode   int
}

// coeffs returns the weights for the fractional position ratio in (0, 1];
// weight k belongs to input index floor-ish(x) + first + k as computed in
// taps.
func (f *resizeFilter) coeffs(ratio, scale float64) []float64 {
	switch f.mode {
	case "nearest":
		c := []float64{0, 1}
		if ratio == math.Trunc(ratio) {
			return c
		}
		var up bool
		switch f.nearestMode {
		case resizeRoundPreferFloor:
			up = ratio > 0.5
		case resizeRoundPreferCeil:
			up = ratio >= 0.5
		case resizeFloor:
			up = false
		case resizeCeil:
			up = true
		case resizeNearestSimple:
			up = scale < 1
		}
		if up {
			return c
		}
		return []float64{1, 0}
	case "linear":
		if !f.antialias {
			return []float64{1 - ratio, ratio}
		}
		s := math.Min(scale, 1)
		start := int(math.Floor(-1/s) + 1)
		n := 2 - 2*start
		c := make([]float64, n)
		var sum float64
		for k := range c {
			arg := (float64(start+k) - ratio) * s
			v := 1 - math.Abs(arg)
			c[k] = math.Min(math.Max(v, 0), 1)
			sum += c[k]
		}
		for k := range c {
			c[k] /= sum
		}
		return c
	}
	// cubic
	A := f.cubicA
	if !f.antialias {
		r1, q := ratio+1, 1-ratio
		q1 := q + 1
		return []float64{
			((A*r1-5*A)*r1+8*A)*r1 - 4*A,
			((A+2)*ratio-(A+3))*ratio*ratio + 1,
			((A+2)*q-(A+3))*q*q + 1,
			((A*q1-5*A)*q1+8*A)*q1 - 4*A,
		}
	}
	s := math.Min(scale, 1)
	start := int(math.Floor(-2/s) + 1)
	end := 2 - start
	c := make([]float64, 0, end-start)
	var sum float64
	for i := start; i < end; i++ {
		x := math.Abs(s * (float64(i) - ratio))
		var v float64
		switch {
		case x <= 1:
			v = (A+2)*x*x*x - (A+3)*x*x + 1
		case x < 2:
			v = A*x*x*x - 5*A*x*x + 8*A*x - 4*A
		}
		c = append(c, v)
		sum += v
	}
	for k := range c {
		c[k] /= sum
	}
	return c
}

// taps computes, for every output position of one axis, the input indices
// (clamped to the edge) and weights.
func (f *resizeFilter) taps(inW, outInt int, scale, roiStart, roiEnd float64) ([]resizeTap, error) {
	if inW == 0 && outInt > 0 {
		return nil, fmt.Errorf("cannot resize an empty axis to length %d", outInt)
	}
	taps := make([]resizeTap, outInt)
	for o := range taps {
		x, ext := resizeSource(f.coordMode, float64(o), scale, inW, outInt, roiStart, roiEnd)
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, fmt.Errorf("coordinate of output %d is not finite", o)
		}
		xi := math.Floor(x)
		ratio := x - xi
		if x == xi {
			ratio = 1
		}
		c := f.coeffs(ratio, scale)
		n := len(c)
		pad := (n + 1) / 2
		xp := x + float64(pad)
		p := math.Floor(xp)
		frac := xp - p
		var off int
		if n%2 == 0 {
			off = -(n / 2)
			if frac != 0 {
				off++
			}
		} else {
			off = -((n - 1) / 2)
			if frac > 0.5 {
				off++
			}
		}
		first := int(p) + off - pad
		idx := make([]int, n)
		for k := range idx {
			idx[k] = first + k
		}
		if f.exclude {
			var sum float64
			for k, i := range idx {
				if i < 0 || i >= inW {
					c[k] = 0
				}
				sum += c[k]
			}
			if sum == 0 {
				sum = 1
			}
			for k := range c {
				c[k] /= sum
			}
		}
		for k, i := range idx {
			idx[k] = min(max(i, 0), inW-1)
		}
		taps[o] = resizeTap{idx: idx, w: c, extrapolate: ext}
	}
	return taps, nil
}
