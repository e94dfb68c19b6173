package kernels

import (
	"fmt"

	"github.com/nncc/nncc/ir"
)

// STFT (ai.onnx opset 17): the short-time Fourier transform of signal
// (batch, length, 1 or 2). Frame f covers samples [f*frame_step,
// f*frame_step + window_length), zero-padded past the end, multiplied by
// window (all ones by default) and transformed with a DFT of frame_length
// points (default: the window length, else the signal length). There are
// 1 + (length - frame_length) / frame_step frames. onesided (default 1)
// keeps frame_length/2 + 1 bins. Output: (batch, frames, bins, 2).

func init() { Register("", "STFT", buildSTFT) }

func buildSTFT(b *Build) (Func, error) {
	onesided := b.Attrs().Int("onesided", 1) != 0
	if dt := b.InDType(0); dt != ir.Undefined && !advIsFloat(dt) {
		return nil, b.Errorf("signal must be a float tensor, got %v", dt)
	}
	return func(c *Ctx, in []*ir.Tensor) error {
		if err := stftRun(c, onesided, in); err != nil {
			return c.Errorf("%v", err)
		}
		return nil
	}, nil
}

func stftScalar(t *ir.Tensor, what string) (int, error) {
	v, err := advInts(t, what)
	if err != nil || len(v) != 1 {
		return 0, fmt.Errorf("%s must be an integer scalar", what)
	}
	return int(v[0]), nil
}

func stftRun(c *Ctx, onesided bool, in []*ir.Tensor) error {
	x := in[0]
	if x.Rank() != 3 || (x.Shape[2] != 1 && x.Shape[2] != 2) {
		return fmt.Errorf("signal must have shape (batch, length, 1 or 2), got %v", x.Shape)
	}
	step, err := stftScalar(in[1], "frame_step")
	if err != nil {
		return err
	}
	if step <= 0 {
		return fmt.Errorf("frame_step must be positive, got %d", step)
	}
	batch, L, comp := int(x.Shape[0]), int(x.Shape[1]), int(x.Shape[2])
	win := attnInput(in, 2)
	var w []float64
	frameLen := L
	if t := attnInput(in, 3); t != nil {
		if frameLen, err = stftScalar(t, "frame_length"); err != nil {
			return err
		}
	} else if win != nil && win.Rank() == 1 {
		frameLen = int(win.Shape[0])
	}
	// Checked before the window is made: frame_length is data.
	if frameLen <= 0 || frameLen > L {
		return fmt.Errorf("frame_length %d must be in [1, %d]", frameLen, L)
	}
	if win != nil {
		if win.Rank() != 1 {
			return fmt.Errorf("window must be 1-D, got %v", win.Shape)
		}
		if w, err = advFloats(win); err != nil {
			return fmt.Errorf("window: %v", err)
		}
	} else {
		w = make([]float64, frameLen)
		for i := range w {
			w[i] = 1
		}
	}
	frames := 1 + (L-frameLen)/step
	bins := frameLen
	if onesided {
		if comp == 2 {
			return fmt.Errorf("onesided output needs a real signal")
		}
		bins = frameLen/2 + 1
	}
	if err := c.outputShapeErr(0, []int64{int64(batch), int64(frames), int64(bins), 2}); err != nil {
		return err
	}
	y, err := c.OutputUninit(0, x.DType, []int64{int64(batch), int64(frames), int64(bins), 2})
	if err != nil {
		return err
	}
	xf, err := advFloats(x)
	if err != nil {
		return err
	}
	out := make([]float64, y.Len())
	plan := newDFTPlan(frameLen)
	re, im := make([]float64, frameLen), make([]float64, frameLen)
	ore, oim := make([]float64, frameLen), make([]float64, frameLen)
	for b := 0; b < batch; b++ {
		for f := 0; f < frames; f++ {
			clear(re)
			clear(im)
			begin := f * step
			for t := 0; t < len(w) && t < frameLen && begin+t < L; t++ {
				p := (b*L + begin + t) * comp
				re[t] = xf[p] * w[t]
				if comp == 2 {
					im[t] = xf[p+1] * w[t]
				}
			}
			plan.transform(re, im, ore, oim, false)
			o := out[((b*frames)+f)*bins*2:]
			for k := 0; k < bins; k++ {
				o[2*k], o[2*k+1] = ore[k], oim[k]
			}
		}
	}
	return advStore(y, out)
}
