package kernels

import (
	"math"

	"github.com/nncc/nncc/ir"
)

// RoiAlign (ai.onnx opsets 10, 16, 22): pools each region of interest of X
// (N, C, H, W) into an output_height × output_width grid. Every bin averages
// (mode "avg") or takes the maximum (mode "max") of sampling_ratio² bilinear
// samples (adaptive ceil(roi_size / bins) when sampling_ratio is 0). In max
// mode the maximum is over the four weighted corner terms of each sample,
// as the ONNX reference and ONNX Runtime compute it. With half_pixel
// coordinates (the default from opset 16) ROI corners are shifted by -0.5;
// with output_half_pixel (opset 10's behaviour) they are not, and ROI sizes
// are at least 1.

func init() { Register("", "RoiAlign", buildRoiAlign) }

type roiAlignConfig struct {
	halfPixel     bool
	maxMode       bool
	outH, outW    int
	samplingRatio int
	spatialScale  float64
}

func buildRoiAlign(b *Build) (Func, error) {
	a := b.Attrs()
	opset := b.Node.Opset
	defMode := "half_pixel"
	if opset != 0 && opset < 16 {
		if a.Has("coordinate_transformation_mode") {
			return nil, b.Errorf("coordinate_transformation_mode needs opset 16 (model imports %d)", opset)
		}
		defMode = "output_half_pixel"
	}
	cfg := &roiAlignConfig{
		outH:          int(a.Int("output_height", 1)),
		outW:          int(a.Int("output_width", 1)),
		samplingRatio: int(a.Int("sampling_ratio", 0)),
		spatialScale:  float64(a.Float("spatial_scale", 1)),
	}
	switch m := a.String("coordinate_transformation_mode", defMode); m {
	case "half_pixel":
		cfg.halfPixel = true
	case "output_half_pixel":
	default:
		return nil, b.Errorf("unsupported coordinate_transformation_mode %q", m)
	}
	switch m := a.String("mode", "avg"); m {
	case "avg":
	case "max":
		cfg.maxMode = true
	default:
		return nil, b.Errorf("unsupported mode %q (avg or max)", m)
	}
	if cfg.outH <= 0 || cfg.outW <= 0 || cfg.samplingRatio < 0 {
		return nil, b.Errorf("output_height (%d) and output_width (%d) must be positive and sampling_ratio (%d) nonnegative", cfg.outH, cfg.outW, cfg.samplingRatio)
	}
	return func(c *Ctx, in []*ir.Tensor) error {
		x, rois, bi := in[0], in[1], in[2]
		if x.Rank() != 4 {
			return c.Errorf("X must be 4-D (N, C, H, W), got %v", x.Shape)
		}
		if !advIsFloat(x.DType) || rois.DType != x.DType {
			return c.Errorf("X and rois must share a float dtype, got %v and %v", x.DType, rois.DType)
		}
		if rois.Rank() != 2 || rois.Shape[1] != 4 {
			return c.Errorf("rois must have shape (num_rois, 4), got %v", rois.Shape)
		}
		idx, err := advInts(bi, "batch_indices")
		if err != nil {
			return c.Errorf("%v", err)
		}
		if bi.Rank() != 1 || int64(len(idx)) != rois.Shape[0] {
			return c.Errorf("batch_indices must have shape (%d), got %v", rois.Shape[0], bi.Shape)
		}
		n, ch, h, w := int(x.Shape[0]), int(x.Shape[1]), int(x.Shape[2]), int(x.Shape[3])
		for _, b := range idx {
			if b < 0 || b >= int64(n) {
				return c.Errorf("batch index %d out of range [0, %d)", b, n)
			}
		}
		xf, err := advFloats(x)
		if err != nil {
			return c.Errorf("%v", err)
		}
		rf, err := advFloats(rois)
		if err != nil {
			return c.Errorf("%v", err)
		}
		nr := len(idx)
		y, err := c.OutputUninit(0, x.DType, []int64{int64(nr), int64(ch), int64(cfg.outH), int64(cfg.outW)})
		if err != nil {
			return err
		}
		out := make([]float64, y.Len())
		for r := 0; r < nr; r++ {
			roiAlignOne(cfg, xf[int(idx[r])*ch*h*w:], rf[r*4:r*4+4], ch, h, w, out[r*ch*cfg.outH*cfg.outW:])
		}
		return advStore(y, out)
	}, nil
}

// roiSample is one bilinear sample: four flat positions and weights.
type roiSample struct {
	pos [4]int
	w   [4]float64
}

func roiAlignOne(cfg *roiAlignConfig, x, roi []float64, ch, h, w int, out []float64) {
	off := 0.0
	if cfg.halfPixel {
		off = 0.5
	}
	x0 := roi[0]*cfg.spatialScale - off
	y0 := roi[1]*cfg.spatialScale - off
	x1 := roi[2]*cfg.spatialScale - off
	y1 := roi[3]*cfg.spatialScale - off
	rw, rh := x1-x0, y1-y0
	if !cfg.halfPixel {
		rw, rh = math.Max(rw, 1), math.Max(rh, 1)
	}
	binH, binW := rh/float64(cfg.outH), rw/float64(cfg.outW)
	gh, gw := cfg.samplingRatio, cfg.samplingRatio
	if gh <= 0 {
		gh = int(math.Ceil(rh / float64(cfg.outH)))
		gw = int(math.Ceil(rw / float64(cfg.outW)))
	}
	count := float64(max(gh*gw, 1))
	samples := make([]roiSample, 0, cfg.outH*cfg.outW*max(gh*gw, 0))
	for ph := 0; ph < cfg.outH; ph++ {
		for pw := 0; pw < cfg.outW; pw++ {
			for iy := 0; iy < gh; iy++ {
				yy := y0 + float64(ph)*binH + (float64(iy)+0.5)*binH/float64(gh)
				for ix := 0; ix < gw; ix++ {
					xx := x0 + float64(pw)*binW + (float64(ix)+0.5)*binW/float64(gw)
					samples = append(samples, roiBilinear(yy, xx, h, w))
				}
			}
		}
	}
	per := gh * gw
	for c := 0; c < ch; c++ {
		data := x[c*h*w:]
		o := out[c*cfg.outH*cfg.outW:]
		for bin := 0; bin < cfg.outH*cfg.outW; bin++ {
			var v float64
			for k, s := range samples[bin*per : (bin+1)*per] {
				if cfg.maxMode {
					m := s.w[0] * data[s.pos[0]]
					for t := 1; t < 4; t++ {
						m = math.Max(m, s.w[t]*data[s.pos[t]])
					}
					if k == 0 || m > v {
						v = m
					}
				} else {
					for t := 0; t < 4; t++ {
						v += s.w[t] * data[s.pos[t]]
					}
				}
			}
			if !cfg.maxMode {
				v /= count
			}
			o[bin] = v
		}
	}
}

// roiBilinear returns the bilinear sample at (y, x); points more than one
// pixel outside the feature map contribute nothing.
func roiBilinear(y, x float64, h, w int) roiSample {
	if y < -1 || y > float64(h) || x < -1 || x > float64(w) {
		return roiSample{}
	}
	y, x = math.Max(y, 0), math.Max(x, 0)
	yl, xl := int(y), int(x)
	var yh, xh int
	if yl >= h-1 {
		yl, yh = h-1, h-1
		y = float64(yl)
	} else {
		yh = yl + 1
	}
	if xl >= w-1 {
		xl, xh = w-1, w-1
		x = float64(xl)
	} else {
		xh = xl + 1
	}
	ly, lx := y-float64(yl), x-float64(xl)
	hy, hx := 1-ly, 1-lx
	return roiSample{
		pos: [4]int{yl*w + xl, yl*w + xh, yh*w + xl, yh*w + xh},
		w:   [4]float64{hy * hx, hy * lx, ly * hx, ly * lx},
	}
}
