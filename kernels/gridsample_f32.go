package kernels

import (
	"math"

	"github.com/nncc/nncc/ir"
)

// The float32 2-D GridSample path: float32 X (N, C, H, W) and grid, linear
// or nearest mode. Each output point's taps (two per axis for linear, one
// for nearest) are computed once and applied to every channel, with the
// reference's arithmetic (gridsample.go): coordinates denormalized and
// rounded to float32, out-of-range positions adjusted per padding_mode,
// the taps' products summed in float64 in the reference's order and the
// sum rounded to float32. Nothing is allocated. Cubic mode, other ranks
// and dtypes take the reference path.

// gridSampleF32 runs the float32 2-D path and reports whether it applied.
func gridSampleF32(cfg *gridSampleConfig, x, grid, y *ir.Tensor) bool {
	if x.DType != ir.Float32 || grid.DType != ir.Float32 || x.Rank() != 4 || cfg.mode == "cubic" {
		return false
	}
	n, ch := int(x.Shape[0]), int(x.Shape[1])
	h, w := int(x.Shape[2]), int(x.Shape[3])
	outSpatial := int(grid.Shape[1] * grid.Shape[2])
	xs, gs, ys := x.F32(), grid.F32(), y.F32()
	plane := h * w
	for b := range n {
		for o := range outSpatial {
			p := b*outSpatial + o
			// grid lists the innermost (W) coordinate first.
			cy := gridDenorm(float64(gs[2*p+1]), h, cfg.align)
			cx := gridDenorm(float64(gs[2*p]), w, cfg.align)
			var offs [4]int
			var wts [4]float64
			taps := 0
			if cfg.mode == "nearest" {
				iy, ix := gridNearestTap(cfg, cy, h), gridNearestTap(cfg, cx, w)
				offs[0], wts[0], taps = -1, 1, 1
				if iy >= 0 && ix >= 0 {
					offs[0] = iy*w + ix
				}
			} else {
				y0, y1, wy0, wy1 := gridLinearTaps(cfg, cy, h)
				x0, x1, wx0, wx1 := gridLinearTaps(cfg, cx, w)
				for k, t := range [4][2]int{{y0, x0}, {y0, x1}, {y1, x0}, {y1, x1}} {
					offs[k] = -1
					if t[0] >= 0 && t[1] >= 0 {
						offs[k] = t[0]*w + t[1]
					}
				}
				wts = [4]float64{1 * wy0 * wx0, 1 * wy0 * wx1, 1 * wy1 * wx0, 1 * wy1 * wx1}
				taps = 4
			}
			for c := range ch {
				src := xs[(b*ch+c)*plane : (b*ch+c+1)*plane]
				var v float64
				for k := range taps {
					if offs[k] >= 0 {
						v += wts[k] * float64(src[offs[k]])
					}
				}
				ys[(b*ch+c)*outSpatial+o] = float32(v)
			}
		}
	}
	return true
}

// gridAdjust moves an out-of-range pixel coordinate per padding_mode, as
// gridAxisTaps does.
func gridAdjust(cfg *gridSampleConfig, x float64, d int) float64 {
	lo, hi := gridBorders(d, cfg.align)
	if x < lo || x > hi {
		switch cfg.padding {
		case "border":
			x = math.Min(math.Max(x, 0), float64(d-1))
		case "reflection":
			x = gridReflect(x, lo, hi)
		}
		x = float64(float32(x))
	}
	return x
}

// gridPixel maps a tap index to an input index per padding_mode (-1: a
// zero), as gridAxisTaps does.
func gridPixel(cfg *gridSampleConfig, i, d int) int {
	switch cfg.padding {
	case "zeros":
		if i < 0 || i >= d {
			return -1
		}
	case "border":
		return min(max(i, 0), d-1)
	case "reflection":
		lo, hi := gridBorders(d, cfg.align)
		return int(gridReflect(float64(i), lo, hi))
	}
	return i
}

// gridLinearTaps returns the two taps of pixel coordinate x on an axis of
// length d and their weights.
func gridLinearTaps(cfg *gridSampleConfig, x float64, d int) (i0, i1 int, w0, w1 float64) {
	x = gridAdjust(cfg, x, d)
	x0 := math.Floor(x)
	t := x - x0
	i := int(x0)
	return gridPixel(cfg, i, d), gridPixel(cfg, i+1, d), 1 - t, t
}

// gridNearestTap returns the tap of pixel coordinate x on an axis of
// length d (halves to even).
func gridNearestTap(cfg *gridSampleConfig, x float64, d int) int {
	return gridPixel(cfg, int(gridAdjust(cfg, math.RoundToEven(x), d)), d)
}
