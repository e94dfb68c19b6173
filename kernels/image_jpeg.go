package kernels

import (
	"bytes"
	"image"
	"image/jpeg"
)

// JPEG decoding. Baseline streams go through jpegBaseline, which matches
// libjpeg-turbo sample for sample. Other streams (progressive, CMYK, ...)
// are decoded by Go's image/jpeg, after which chroma upsampling and the
// YCbCr→RGB conversion still follow libjpeg-turbo (the "fancy" triangle
// filter the ONNX spec prescribes and libjpeg's fixed-point colour tables);
// only Go's inverse DCT may then differ from libjpeg's by a level or so.

func jpegDecode(d []byte, lim imageLimit) (*imageRGB, error) {
	if img, err := jpegBaseline(d, lim); err == nil {
		return img, nil
	}
	return jpegDecodeGo(d, lim)
}

// jpegDecodeGo decodes with Go's image/jpeg, then upsamples and converts
// colours as libjpeg-turbo does. Go's decoder allocates the whole image at
// the first scan, so the stream is first checked to be long enough for it
// (jpegHolds).
func jpegDecodeGo(d []byte, lim imageLimit) (*imageRGB, error) {
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(d))
	if err != nil {
		return nil, err
	}
	if err := lim.check(cfg.Width, cfg.Height); err != nil {
		return nil, err
	}
	if err := jpegHolds(d, cfg.Width, cfg.Height); err != nil {
		return nil, err
	}
	m, err := jpeg.Decode(bytes.NewReader(d))
	if err != nil {
		return nil, err
	}
	y, ok := m.(*image.YCbCr)
	if !ok {
		return imageFromGo(m), nil
	}
	b := y.Rect
	w, h := b.Dx(), b.Dy()
	var hs, vs int // chroma subsampling factors
	switch y.SubsampleRatio {
	case image.YCbCrSubsampleRatio444:
		hs, vs = 1, 1
	case image.YCbCrSubsampleRatio422:
		hs, vs = 2, 1
	case image.YCbCrSubsampleRatio420:
		hs, vs = 2, 2
	case image.YCbCrSubsampleRatio440:
		hs, vs = 1, 2
	default:
		return imageFromGo(m), nil
	}
	cw, ch := (w+hs-1)/hs, (h+vs-1)/vs
	plane := func(p []uint8) []uint8 {
		out := make([]uint8, cw*ch)
		for r := 0; r < ch; r++ {
			copy(out[r*cw:(r+1)*cw], p[r*y.CStride:])
		}
		return out
	}
	cb := jpegFancyUpsample(plane(y.Cb), cw, ch, hs, vs, w, h)
	cr := jpegFancyUpsample(plane(y.Cr), cw, ch, hs, vs, w, h)
	img := &imageRGB{w: w, h: h, pix: make([]uint8, w*h*3)}
	for r := 0; r < h; r++ {
		for c := 0; c < w; c++ {
			i := r*w + c
			yy := int32(y.Y[r*y.YStride+c])
			p := img.pix[3*i:]
			p[0], p[1], p[2] = jpegYCCToRGB(yy, int32(cb[i]), int32(cr[i]))
		}
	}
	return img, nil
}

// jpegFancyUpsample upsamples a chroma plane (cw × ch) by hs × vs to w × h
// with libjpeg-turbo's triangle filter (h2v1 and h2v2 "fancy" upsampling;
// the vertical-only 1×2 case uses the same vertical weights).
func jpegFancyUpsample(p []uint8, cw, ch, hs, vs, w, h int) []uint8 {
	if hs == 1 && vs == 1 {
		return p
	}
	at := func(r, c int) int32 { return int32(p[r*cw+c]) }
	fw := cw * hs
	full := make([]uint8, fw*ch*vs)
	for r := 0; r < ch; r++ {
		for v := 0; v < vs; v++ {
			// Vertical neighbour (edge rows replicate themselves).
			nb := r
			if vs == 2 {
				if v == 0 && r > 0 {
					nb = r - 1
				} else if v == 1 && r < ch-1 {
					nb = r + 1
				}
			}
			out := full[(r*vs+v)*fw:]
			col := func(c int) int32 {
				if vs == 2 {
					return 3*at(r, c) + at(nb, c)
				}
				return at(r, c)
			}
			switch {
			case hs == 1: // 1×2: (3*this + neighbour + 1 or 2) >> 2
				for c := 0; c < cw; c++ {
					bias := int32(1)
					if v == 1 {
						bias = 2
					}
					out[c] = uint8((col(c) + bias) >> 2)
				}
			case vs == 1: // h2v1
				if cw == 1 {
					out[0], out[1] = p[r*cw], p[r*cw]
					continue
				}
				out[0] = uint8(at(r, 0))
				out[1] = uint8((3*at(r, 0) + at(r, 1) + 2) >> 2)
				for c := 1; c < cw-1; c++ {
					out[2*c] = uint8((3*at(r, c) + at(r, c-1) + 1) >> 2)
					out[2*c+1] = uint8((3*at(r, c) + at(r, c+1) + 2) >> 2)
				}
				c := cw - 1
				out[2*c] = uint8((3*at(r, c) + at(r, c-1) + 1) >> 2)
				out[2*c+1] = uint8(at(r, c))
			default: // h2v2
				this := col(0)
				if cw == 1 {
					out[0] = uint8((this*4 + 8) >> 4)
					out[1] = uint8((this*4 + 7) >> 4)
					continue
				}
				next := col(1)
				out[0] = uint8((this*4 + 8) >> 4)
				out[1] = uint8((this*3 + next + 7) >> 4)
				last := this
				this = next
				for c := 1; c < cw-1; c++ {
					next = col(c + 1)
					out[2*c] = uint8((this*3 + last + 8) >> 4)
					out[2*c+1] = uint8((this*3 + next + 7) >> 4)
					last, this = this, next
				}
				c := cw - 1
				out[2*c] = uint8((this*3 + last + 8) >> 4)
				out[2*c+1] = uint8((this*4 + 7) >> 4)
			}
		}
	}
	if fw == w && ch*vs == h {
		return full
	}
	out := make([]uint8, w*h)
	for r := 0; r < h; r++ {
		copy(out[r*w:(r+1)*w], full[r*fw:])
	}
	return out
}

// jpegYCCToRGB converts with libjpeg's 16-bit fixed-point tables.
func jpegYCCToRGB(y, cb, cr int32) (uint8, uint8, uint8) {
	const one = 1 << 16
	const half = 1 << 15
	fix := func(x float64) int32 { return int32(x*one + 0.5) }
	cb -= 128
	cr -= 128
	r := y + (fix(1.40200)*cr+half)>>16
	g := y + (-fix(0.34414)*cb+half-fix(0.71414)*cr)>>16
	b := y + (fix(1.77200)*cb+half)>>16
	return jpegClamp(r), jpegClamp(g), jpegClamp(b)
}

func jpegClamp(v int32) uint8 {
	switch {
	case v < 0:
		return 0
	case v > 255:
		return 255
	}
	return uint8(v)
}
