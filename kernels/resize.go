package kernels

import (
	"fmt"
	"math"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/isa"
)

// Resize (ai.onnx opsets 10, 11, 13, 18, 19) and its deprecated
// predecessor Upsample (opsets 7 and 9).
//
// Upsample and Resize-10 map coordinates asymmetrically (x / scale) and
// pick the nearest pixel by truncation when upsampling and by ceiling when
// downsampling, as ONNX Runtime does for those versions. From opset 11 on
// every attribute of the spec applies.
//
// "nearest" is a pure gather and works for every dtype (strings and bools
// included); "linear" and "cubic" interpolate in float64 and round once
// into the input's dtype (integers are rounded to nearest and saturated).

func init() {
	Register("", "Resize", buildResize)
	Register("", "Upsample", buildResize)
}

type resizeConfig struct {
	filter      resizeFilter
	extrapolate float64
	axes        []int64 // nil: all axes
	policy      string
	roiIn       int // input index of roi, scales, sizes (-1: none)
	scalesIn    int
	sizesIn     int
	attrScales  []float32 // Upsample-7's scales attribute
	level       isa.Level // the ISA level the plan is built for (nchwc_resize.go)
}

func buildResize(b *Build) (Func, error) {
	a := b.Attrs()
	n := b.Node
	opset := n.Opset
	if opset == 0 {
		opset = 19
	}
	cfg := &resizeConfig{policy: "stretch", level: b.Level}
	cfg.roiIn, cfg.scalesIn, cfg.sizesIn = ir.ResizeInputs(n.Op, opset)
	legacy := n.Op == "Upsample" || opset < 11
	mode := a.String("mode", "nearest")
	if n.Op == "Upsample" && mode == "bilinear" {
		mode = "linear"
	}
	if mode != "nearest" && mode != "linear" && (mode != "cubic" || legacy) {
		return nil, b.Errorf("unsupported mode %q", mode)
	}
	f := &cfg.filter
	f.mode = mode
	if legacy {
		for _, name := range []string{"antialias", "axes", "coordinate_transformation_mode", "cubic_coeff_a", "exclude_outside", "extrapolation_value", "keep_aspect_ratio_policy", "nearest_mode"} {
			if a.Has(name) {
				return nil, b.Errorf("attribute %q is not part of %s-%d", name, n.Op, opset)
			}
		}
		f.coordMode = resizeAsymmetric
		f.nearestMode = resizeNearestSimple
		if cfg.scalesIn < 0 {
			cfg.attrScales = a.Floats("scales", nil)
			if cfg.attrScales == nil {
				return nil, b.Errorf("Upsample-%d requires the scales attribute", opset)
			}
		} else if a.Has("scales") {
			return nil, b.Errorf("scales is an input, not an attribute, in %s-%d", n.Op, opset)
		}
		return resizeFunc(cfg), nil
	}
	var ok bool
	cm := a.String("coordinate_transformation_mode", "half_pixel")
	if f.coordMode, ok = resizeCoordModes[cm]; !ok || (cm == "half_pixel_symmetric" && opset < 19) {
		return nil, b.Errorf("unsupported coordinate_transformation_mode %q", cm)
	}
	nm := a.String("nearest_mode", "round_prefer_floor")
	if f.nearestMode, ok = resizeNearestModes[nm]; !ok {
		return nil, b.Errorf("unsupported nearest_mode %q", nm)
	}
	f.cubicA = float64(a.Float("cubic_coeff_a", -0.75))
	f.exclude = a.Int("exclude_outside", 0) != 0
	cfg.extrapolate = float64(a.Float("extrapolation_value", 0))
	if opset < 18 {
		for _, name := range []string{"antialias", "axes", "keep_aspect_ratio_policy"} {
			if a.Has(name) {
				return nil, b.Errorf("attribute %q needs opset 18 (model imports %d)", name, opset)
			}
		}
	}
	f.antialias = a.Int("antialias", 0) != 0
	if f.antialias && mode == "nearest" {
		return nil, b.Errorf("antialias applies to linear and cubic modes, not nearest")
	}
	cfg.axes = a.Ints("axes", nil)
	cfg.policy = a.String("keep_aspect_ratio_policy", "stretch")
	if cfg.policy != "stretch" && cfg.policy != "not_larger" && cfg.policy != "not_smaller" {
		return nil, b.Errorf("unsupported keep_aspect_ratio_policy %q", cfg.policy)
	}
	return resizeFunc(cfg), nil
}

func resizeFunc(cfg *resizeConfig) Func {
	var memo resizeMemo // resize_memo.go: steady-state Runs reuse the taps
	return func(c *Ctx, in []*ir.Tensor) error {
		x := in[0]
		if x.Kind != ir.KindTensor {
			return c.Errorf("X must be a tensor")
		}
		e := memo.get(cfg, in)
		if e == nil {
			out, taps, err := resizeTaps(c, cfg, in)
			if err != nil {
				return err
			}
			e = memo.put(cfg, in, out, taps)
		}
		y, err := c.OutputUninit(0, x.DType, e.out)
		if err != nil {
			return err
		}
		if resizeFastF32(c, &e.fast, x, y) || resizeLastAxisF32(c, &e.last, x, y) {
			return nil
		}
		if cfg.filter.mode == "nearest" {
			return resizeNearest(c, cfg, x, y, e.taps)
		}
		return resizeInterp(c, cfg, x, y, e.taps)
	}
}

// resizeTaps computes the output shape and the per-axis taps (nil for an
// identity axis) of one run's inputs.
func resizeTaps(c *Ctx, cfg *resizeConfig, in []*ir.Tensor) ([]int64, [][]resizeTap, error) {
	x := in[0]
	scales, sizes, err := resizeParams(cfg, in)
	if err != nil {
		return nil, nil, c.Errorf("%v", err)
	}
	axes := cfg.axes
	out, factor, err := ir.ResizeShape(x.Shape, scales, sizes, axes, cfg.policy)
	if err != nil {
		return nil, nil, c.Errorf("%v", err)
	}
	// Bound the output before the taps, which cost work per output index.
	if _, err := ir.CheckedNumElements(out, cfLimit(c)); err != nil {
		return nil, nil, c.Errorf("output 0: %v (limit MaxTensorElements)", err)
	}
	roi, err := resizeROI(cfg, attnInput(in, cfg.roiIn), len(x.Shape))
	if err != nil {
		return nil, nil, c.Errorf("%v", err)
	}
	r := len(x.Shape)
	taps := make([][]resizeTap, r)
	for a := 0; a < r; a++ {
		if resizeClose(factor[a], 1) && out[a] == x.Shape[a] && resizeClose(roi[a], 0) && resizeClose(roi[a+r], 1) {
			continue
		}
		taps[a], err = cfg.filter.taps(int(x.Shape[a]), int(out[a]), factor[a], roi[a], roi[a+r])
		if err != nil {
			return nil, nil, c.Errorf("axis %d: %v", a, err)
		}
	}
	return out, taps, nil
}

func resizeClose(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b))
}

// resizeParams reads the scales or sizes of this run.
func resizeParams(cfg *resizeConfig, in []*ir.Tensor) ([]float32, []int64, error) {
	if cfg.attrScales != nil {
		return cfg.attrScales, nil, nil
	}
	var scales []float32
	var sizes []int64
	if t := attnInput(in, cfg.scalesIn); t != nil && t.Len() > 0 {
		f, err := advFloats(t)
		if err != nil || !advIsFloat(t.DType) {
			return nil, nil, fmt.Errorf("scales must be a float tensor, got %v", t.DType)
		}
		scales = make([]float32, len(f))
		for i, v := range f {
			scales[i] = float32(v)
		}
	}
	if t := attnInput(in, cfg.sizesIn); t != nil && t.Len() > 0 {
		v, err := advInts(t, "sizes")
		if err != nil {
			return nil, nil, err
		}
		sizes = v
	}
	return scales, sizes, nil
}

// resizeROI returns roi as [start_0..start_{r-1}, end_0..end_{r-1}] over
// every axis (defaults 0 and 1). roi only matters for tf_crop_and_resize.
func resizeROI(cfg *resizeConfig, t *ir.Tensor, r int) ([]float64, error) {
	full := make([]float64, 2*r)
	for i := r; i < 2*r; i++ {
		full[i] = 1
	}
	if t == nil || t.Len() == 0 || cfg.filter.coordMode != resizeTFCrop {
		if cfg.filter.coordMode == resizeTFCrop && (t == nil || t.Len() == 0) {
			return nil, fmt.Errorf("tf_crop_and_resize needs the roi input")
		}
		return full, nil
	}
	v, err := advFloats(t)
	if err != nil {
		return nil, fmt.Errorf("roi: %v", err)
	}
	if cfg.axes == nil {
		if len(v) != 2*r {
			return nil, fmt.Errorf("roi has %d values, expected %d", len(v), 2*r)
		}
		return v, nil
	}
	na := len(cfg.axes)
	if len(v) != 2*na {
		return nil, fmt.Errorf("roi has %d values, expected %d for axes %v", len(v), 2*na, cfg.axes)
	}
	for i, a := range cfg.axes {
		k, err := ir.NormAxis(a, r)
		if err != nil {
			return nil, err
		}
		full[k], full[k+r] = v[i], v[na+i]
	}
	return full, nil
}

// resizeInterp applies linear or cubic taps axis by axis in float64.
// Complex inputs interpolate their real and imaginary parts separately.
func resizeInterp(c *Ctx, cfg *resizeConfig, x, y *ir.Tensor, taps [][]resizeTap) error {
	switch d := x.Data.(type) {
	case []complex64:
		re, im := make([]float64, len(d)), make([]float64, len(d))
		for i, v := range d {
			re[i], im[i] = float64(real(v)), float64(imag(v))
		}
		re = resizeInterpPlane(re, x.Shape, taps, cfg.extrapolate)
		im = resizeInterpPlane(im, x.Shape, taps, 0)
		out := y.Data.([]complex64)
		for i := range out {
			out[i] = complex(float32(re[i]), float32(im[i]))
		}
		return nil
	case []complex128:
		re, im := make([]float64, len(d)), make([]float64, len(d))
		for i, v := range d {
			re[i], im[i] = real(v), imag(v)
		}
		re = resizeInterpPlane(re, x.Shape, taps, cfg.extrapolate)
		im = resizeInterpPlane(im, x.Shape, taps, 0)
		out := y.Data.([]complex128)
		for i := range out {
			out[i] = complex(re[i], im[i])
		}
		return nil
	}
	if !advIsFloat(x.DType) && !x.DType.IsInt() || x.DType == ir.Int4 || x.DType == ir.Uint4 || x.DType == ir.Int2 || x.DType == ir.Uint2 {
		return c.Errorf("mode %q does not support dtype %v", cfg.filter.mode, x.DType)
	}
	// Float64 staging in the step's scratch: the input, then one buffer
	// per resized axis.
	need := x.Len() + resizeStagesLen(x.Shape, taps)
	buf := c.ScratchF64(need)
	data := buf[:x.Len()]
	if err := advFloatsInto(data, x); err != nil {
		return c.Errorf("%v", err)
	}
	if err := advStore(y, resizeInterpStaged(data, buf[x.Len():], x.Shape, taps, cfg.extrapolate)); err != nil {
		return c.Errorf("%v", err)
	}
	return nil
}

// resizeInterpPlane resizes data of the given shape axis by axis.
func resizeInterpPlane(data []float64, inShape []int64, taps [][]resizeTap, extrapolate float64) []float64 {
	return resizeInterpStaged(data, make([]float64, resizeStagesLen(inShape, taps)), inShape, taps, extrapolate)
}

// resizeStagesLen returns the total size of resizeInterpStaged's per-axis
// results for an input of shape inShape.
func resizeStagesLen(inShape []int64, taps [][]resizeTap) int {
	n, total := ir.NumElements(inShape), 0
	for a, t := range taps {
		if t != nil {
			if inShape[a] == 0 {
				n = 0
			} else {
				n = n / int(inShape[a]) * len(t)
			}
			total += n
		}
	}
	return total
}

// resizeInterpStaged is resizeInterpPlane with the per-axis results
// carved out of stages, which holds their total size.
func resizeInterpStaged(data, stages []float64, inShape []int64, taps [][]resizeTap, extrapolate float64) []float64 {
	var sb [8]int64
	shape := append(sb[:0], inShape...)
	for a, t := range taps {
		if t == nil {
			continue
		}
		outer := ir.NumElements(shape[:a])
		inner := ir.NumElements(shape[a+1:])
		inW := int(shape[a])
		size := outer * len(t) * inner
		next := stages[:size:size]
		stages = stages[size:]
		clear(next)
		for o := 0; o < outer; o++ {
			src := data[o*inW*inner:]
			dst := next[o*len(t)*inner:]
			for j, tap := range t {
				row := dst[j*inner : (j+1)*inner]
				if tap.extrapolate {
					for i := range row {
						row[i] = extrapolate
					}
					continue
				}
				for k, idx := range tap.idx {
					w := tap.w[k]
					s := src[idx*inner : (idx+1)*inner]
					for i := range row {
						row[i] += w * s[i]
					}
				}
			}
		}
		data = next
		shape[a] = int64(len(t))
	}
	return data
}
