package kernels

import "github.com/nncc/nncc/ir"

// window2D is the 2-D sliding window of an NCHWc convolution: kernel size,
// strides, dilations and the pads at the top, left, bottom and right.
type window2D struct {
	kh, kw int
	sh, sw int
	dh, dw int
	pt, pl int // pads at the top and left
	pb, pr int // pads at the bottom and right
}

// parseWindow2D reads the window attributes of an NCHWc convolution whose
// weight has kh×kw taps. The layout pass has already resolved auto_pad
// into pads; negative pads, strides or dilations are errors.
func parseWindow2D(b *Build, a ir.Attrs, kh, kw int) (window2D, error) {
	w := window2D{kh: kh, kw: kw}
	ks := a.Ints("kernel_shape", nil)
	if len(ks) != 2 || int(ks[0]) != kh || int(ks[1]) != kw {
		return w, b.Errorf("kernel_shape %v does not match W's %d×%d taps", ks, kh, kw)
	}
	wa, err := ir.ParseWindowAttrs(a, 2, ks)
	if err != nil {
		return w, b.Errorf("%v", err)
	}
	if wa.AutoPad != "NOTSET" {
		return w, b.Errorf("auto_pad must be resolved into pads")
	}
	w.sh, w.sw, w.dh, w.dw = int(wa.Strides[0]), int(wa.Strides[1]), int(wa.Dilations[0]), int(wa.Dilations[1])
	w.pt, w.pl, w.pb, w.pr = int(wa.Pads[0]), int(wa.Pads[1]), int(wa.Pads[2]), int(wa.Pads[3])
	if w.pt < 0 || w.pl < 0 || w.pb < 0 || w.pr < 0 {
		return w, b.Errorf("negative pads %v are not supported", wa.Pads)
	}
	if w.sh <= 0 || w.sw <= 0 || w.dh <= 0 || w.dw <= 0 {
		return w, b.Errorf("strides and dilations must be positive")
	}
	return w, nil
}
