package kernels

import (
	"fmt"
	"math"

	"github.com/nncc/nncc/ir"
)

// GridSample (ai.onnx opsets 16, 20, 22): samples X (N, C, D1..Dr) at the
// normalized positions of grid (N, O1..Or, r), whose last axis lists the
// coordinates innermost dimension first. Opset 16 is 2-D only and names its
// modes bilinear/nearest/bicubic; opset 20 generalises to N-D and renames
// them linear/nearest/cubic.
//
// Coordinates are denormalized and rounded to float32 as in the ONNX
// reference; "nearest" rounds halves to even; out-of-range positions follow
// padding_mode for every tap. Numeric outputs are computed in float64; for
// integer types the result is truncated toward zero as a cast would.

func init() { Register("", "GridSample", buildGridSample) }

type gridSampleConfig struct {
	mode    string // "linear", "nearest" or "cubic"
	padding string // "zeros", "border" or "reflection"
	align   bool
}

func buildGridSample(b *Build) (Func, error) {
	a := b.Attrs()
	cfg := &gridSampleConfig{
		mode:    a.String("mode", ""),
		padding: a.String("padding_mode", "zeros"),
		align:   a.Int("align_corners", 0) != 0,
	}
	opset := b.Node.Opset
	old := opset != 0 && opset < 20
	names := map[string]string{"linear": "linear", "nearest": "nearest", "cubic": "cubic"}
	def := "linear"
	if old {
		names = map[string]string{"bilinear": "linear", "nearest": "nearest", "bicubic": "cubic"}
		def = "bilinear"
	}
	if cfg.mode == "" {
		cfg.mode = def
	}
	m, ok := names[cfg.mode]
	if !ok {
		return nil, b.Errorf("unsupported mode %q for opset %d", cfg.mode, opset)
	}
	cfg.mode = m
	if cfg.padding != "zeros" && cfg.padding != "border" && cfg.padding != "reflection" {
		return nil, b.Errorf("unsupported padding_mode %q", cfg.padding)
	}
	return func(c *Ctx, in []*ir.Tensor) error {
		x, grid := in[0], in[1]
		r := x.Rank() - 2
		if r < 1 || (old && r != 2) {
			return c.Errorf("X must have rank %s, got shape %v", map[bool]string{true: "4", false: "3 or more"}[old], x.Shape)
		}
		if grid.Rank() != r+2 || grid.Shape[0] != x.Shape[0] || grid.Shape[r+1] != int64(r) {
			return c.Errorf("grid shape %v does not match X shape %v: expected (N, out dims..., %d)", grid.Shape, x.Shape, r)
		}
		if !advIsFloat(grid.DType) {
			return c.Errorf("grid must be a float tensor, got %v", grid.DType)
		}
		var shapeBuf [8]int64
		outShape := append(append(shapeBuf[:0], x.Shape[0], x.Shape[1]), grid.Shape[1:r+1]...)
		y, err := c.OutputUninit(0, x.DType, outShape)
		if err != nil {
			return err
		}
		if cfg.mode != "nearest" && !advIsFloat(x.DType) && !x.DType.IsInt() && x.DType != ir.Complex64 && x.DType != ir.Complex128 {
			return c.Errorf("mode %q does not support dtype %v", cfg.mode, x.DType)
		}
		if gridSampleF32(cfg, x, grid, y) {
			return nil
		}
		return gridSampleRun(cfg, x, grid, y)
	}, nil
}

// gridTaps lists, per spatial axis, the input indices (-1 = zero padding)
// and weights of one sampling point.
type gridTaps struct {
	idx [][]int
	w   [][]float64
}

func gridSampleRun(cfg *gridSampleConfig, x, grid, y *ir.Tensor) error {
	r := x.Rank() - 2
	n, ch := int(x.Shape[0]), int(x.Shape[1])
	dims := make([]int, r)
	for i := range dims {
		dims[i] = int(x.Shape[i+2])
	}
	spatial := ir.NumElements(x.Shape[2:])
	outSpatial := ir.NumElements(grid.Shape[1 : r+1])
	g, err := advFloats(grid)
	if err != nil {
		return err
	}
	// Per output point: the flattened (index, weight) taps.
	type point struct {
		off []int
		w   []float64
	}
	points := make([]point, n*outSpatial)
	strides := make([]int, r)
	s := 1
	for i := r - 1; i >= 0; i-- {
		strides[i] = s
		s *= dims[i]
	}
	coord := make([]float64, r)
	taps := gridTaps{idx: make([][]int, r), w: make([][]float64, r)}
	for p := range points {
		gv := g[p*r : (p+1)*r]
		for i := 0; i < r; i++ {
			coord[i] = gridDenorm(gv[r-1-i], dims[i], cfg.align) // grid lists innermost first
		}
		for i := 0; i < r; i++ {
			taps.idx[i], taps.w[i] = gridAxisTaps(cfg, coord[i], dims[i])
		}
		// Tensor product of the per-axis taps.
		pt := point{off: []int{0}, w: []float64{1}}
		for i := 0; i < r; i++ {
			var off []int
			var w []float64
			for k, o := range pt.off {
				for t, idx := range taps.idx[i] {
					if idx < 0 || o < 0 {
						off = append(off, -1)
					} else {
						off = append(off, o+idx*strides[i])
					}
					w = append(w, pt.w[k]*taps.w[i][t])
				}
			}
			pt = point{off: off, w: w}
		}
		points[p] = pt
	}
	if cfg.mode == "nearest" {
		src := make([]int, y.Len())
		for b := 0; b < n; b++ {
			for c := 0; c < ch; c++ {
				base := (b*ch + c) * spatial
				for o := 0; o < outSpatial; o++ {
					pt := points[b*outSpatial+o]
					i := (b*ch+c)*outSpatial + o
					src[i] = resizeZero
					for k, off := range pt.off {
						if pt.w[k] != 0 && off >= 0 {
							src[i] = base + off
						}
					}
				}
			}
		}
		return gridGather(x, y, src)
	}
	plane := func(xf []float64) []float64 {
		out := make([]float64, y.Len())
		for b := 0; b < n; b++ {
			for c := 0; c < ch; c++ {
				base := (b*ch + c) * spatial
				for o := 0; o < outSpatial; o++ {
					pt := points[b*outSpatial+o]
					var v float64
					for k, off := range pt.off {
						if off >= 0 {
							v += pt.w[k] * xf[base+off]
						}
					}
					out[(b*ch+c)*outSpatial+o] = v
				}
			}
		}
		return out
	}
	switch d := x.Data.(type) {
	case []complex64:
		re, im := make([]float64, len(d)), make([]float64, len(d))
		for i, v := range d {
			re[i], im[i] = float64(real(v)), float64(imag(v))
		}
		re, im = plane(re), plane(im)
		for i := range y.Data.([]complex64) {
			y.Data.([]complex64)[i] = complex(float32(re[i]), float32(im[i]))
		}
		return nil
	case []complex128:
		re, im := make([]float64, len(d)), make([]float64, len(d))
		for i, v := range d {
			re[i], im[i] = real(v), imag(v)
		}
		re, im = plane(re), plane(im)
		for i := range y.Data.([]complex128) {
			y.Data.([]complex128)[i] = complex(re[i], im[i])
		}
		return nil
	}
	xf, err := advFloats(x)
	if err != nil {
		return err
	}
	out := plane(xf)
	if !advIsFloat(y.DType) {
		for i, v := range out {
			out[i] = math.Trunc(v)
		}
	}
	return advStore(y, out)
}

// gridDenorm maps a normalized coordinate to a pixel coordinate, rounded to
// float32 like the reference.
func gridDenorm(v float64, d int, align bool) float64 {
	var x float64
	if align {
		x = (v + 1) / 2 * float64(d-1)
	} else {
		x = ((v+1)*float64(d) - 1) / 2
	}
	return float64(float32(x))
}

// gridBorders returns the valid coordinate range of an axis of length d.
func gridBorders(d int, align bool) (lo, hi float64) {
	if align {
		return 0, float64(d - 1)
	}
	return -0.5, float64(d) - 0.5
}

// gridReflect reflects x into [lo, hi] by its borders until in range.
func gridReflect(x, lo, hi float64) float64 {
	rng := hi - lo
	switch {
	case x < lo:
		dx := lo - x
		n := math.Trunc(dx / rng)
		r := dx - n*rng
		if math.Mod(n, 2) == 0 {
			return lo + r
		}
		return hi - r
	case x > hi:
		dx := x - hi
		n := math.Trunc(dx / rng)
		r := dx - n*rng
		if math.Mod(n, 2) == 0 {
			return hi - r
		}
		return lo + r
	}
	return x
}

// gridAxisTaps computes the indices and weights of one axis for pixel
// coordinate x; an index of -1 reads as zero.
func gridAxisTaps(cfg *gridSampleConfig, x float64, d int) ([]int, []float64) {
	if cfg.mode == "nearest" {
		x = math.RoundToEven(x)
	}
	x = gridAdjust(cfg, x, d)
	pixel := func(i int) int { return gridPixel(cfg, i, d) }
	switch cfg.mode {
	case "nearest":
		return []int{pixel(int(x))}, []float64{1}
	case "linear":
		x0 := math.Floor(x)
		t := x - x0
		i := int(x0)
		return []int{pixel(i), pixel(i + 1)}, []float64{1 - t, t}
	}
	x0 := math.Floor(x)
	t := x - x0
	i := int(x0)
	const A = -0.75
	c := []float64{
		((A*(t+1)-5*A)*(t+1)+8*A)*(t+1) - 4*A,
		((A+2)*t-(A+3))*t*t + 1,
		((A+2)*(1-t)-(A+3))*(1-t)*(1-t) + 1,
		((A*(2-t)-5*A)*(2-t)+8*A)*(2-t) - 4*A,
	}
	return []int{pixel(i - 1), pixel(i), pixel(i + 1), pixel(i + 2)}, c
}

// gridGather copies X elements by flat index (resizeZero = zero value).
func gridGather(x, y *ir.Tensor, src []int) error {
	switch d := x.Data.(type) {
	case []float32:
		resizeGather(y.Data.([]float32), d, src, 0)
	case []float64:
		resizeGather(y.Data.([]float64), d, src, 0)
	case []ir.F16:
		resizeGather(y.Data.([]ir.F16), d, src, 0)
	case []ir.BF16:
		resizeGather(y.Data.([]ir.BF16), d, src, 0)
	case []int8:
		resizeGather(y.Data.([]int8), d, src, 0)
	case []int16:
		resizeGather(y.Data.([]int16), d, src, 0)
	case []int32:
		resizeGather(y.Data.([]int32), d, src, 0)
	case []int64:
		resizeGather(y.Data.([]int64), d, src, 0)
	case []uint8:
		resizeGather(y.Data.([]uint8), d, src, 0)
	case []uint16:
		resizeGather(y.Data.([]uint16), d, src, 0)
	case []uint32:
		resizeGather(y.Data.([]uint32), d, src, 0)
	case []uint64:
		resizeGather(y.Data.([]uint64), d, src, 0)
	case []bool:
		resizeGather(y.Data.([]bool), d, src, false)
	case []string:
		resizeGather(y.Data.([]string), d, src, "")
	case []complex64:
		resizeGather(y.Data.([]complex64), d, src, 0)
	case []complex128:
		resizeGather(y.Data.([]complex128), d, src, 0)
	default:
		return fmt.Errorf("unsupported dtype %v", x.DType)
	}
	return nil
}
