package kernels

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	_ "image/gif" // registers the GIF decoder with image.Decode
	_ "image/png" // registers the PNG decoder with image.Decode

	"github.com/nncc/nncc/ir"
)

// ImageDecoder (ai.onnx opset 20): decodes an encoded image held in a 1-D
// uint8 tensor into (height, width, channels) uint8, channels being 3 for
// pixel_format "RGB" (default) and "BGR", 1 for "Grayscale".
//
// Formats: JPEG (baseline, decoded with libjpeg-turbo's integer IDCT and
// "fancy" chroma upsampling as the spec requires; other JPEG flavours fall
// back to Go's image/jpeg), PNG and GIF (Go's decoders), BMP, PNM (P1–P6)
// and uncompressed or PackBits TIFF (decoders here), and still WebP, lossy or
// lossless (golang.org/x/image/webp's bitstream decoder, with libwebp's
// chroma upsampling and colour conversion). JPEG 2000 and animated WebP are
// recognised and rejected with an error. A stream that cannot be decoded
// yields an empty (0, 0, channels) image, as the spec says; alpha is
// dropped.
//
// Grayscale output converts RGB as Pillow does:
// L = (19595 R + 38470 G + 7471 B + 2^15) >> 16.

func init() { Register("", "ImageDecoder", buildImageDecoder) }

// imageRGB is a decoded image: either 3 interleaved channels or 1 (gray).
type imageRGB struct {
	w, h int
	gray bool
	pix  []uint8
}

func buildImageDecoder(b *Build) (Func, error) {
	format := b.Attrs().String("pixel_format", "RGB")
	channels := 3
	switch format {
	case "RGB", "BGR":
	case "Grayscale":
		channels = 1
	default:
		return nil, b.Errorf("unsupported pixel_format %q (RGB, BGR or Grayscale)", format)
	}
	return func(c *Ctx, in []*ir.Tensor) error {
		t := in[0]
		data, ok := t.Data.([]uint8)
		if !ok || t.DType != ir.Uint8 {
			return c.Errorf("encoded_stream must be uint8, got %v", t.DType)
		}
		if name := imageUnsupported(data); name != "" {
			return c.Errorf("%s images are not supported", name)
		}
		img, err := imageDecode(data)
		if err != nil {
			_, err := c.Output(0, ir.Uint8, []int64{0, 0, int64(channels)})
			return err
		}
		y, err := c.OutputUninit(0, ir.Uint8, []int64{int64(img.h), int64(img.w), int64(channels)})
		if err != nil {
			return err
		}
		imageStore(img, format, y.Data.([]uint8))
		return nil
	}, nil
}

// imageUnsupported names a recognised format that has no decoder here.
func imageUnsupported(d []byte) string {
	switch {
	case imageIsWebP(d) && webpAnimated(d):
		return "animated WebP"
	case len(d) >= 12 && bytes.Equal(d[:12], []byte{0, 0, 0, 12, 'j', 'P', ' ', ' ', 0x0d, 0x0a, 0x87, 0x0a}):
		return "JPEG 2000"
	case len(d) >= 4 && bytes.Equal(d[:4], []byte{0xff, 0x4f, 0xff, 0x51}):
		return "JPEG 2000"
	}
	return ""
}

// imageDecode decodes d with the kernel's size limit, imageMaxPixels.
func imageDecode(d []byte) (*imageRGB, error) { return imageDecodeMax(d, imageMaxPixels) }

// imageDecodeMax picks a decoder by the stream's magic bytes. No image of
// more than lim pixels is decoded, and no decoder allocates for more pixels
// than the stream can hold (see imageLimit).
func imageDecodeMax(d []byte, lim imageLimit) (*imageRGB, error) {
	switch {
	case len(d) >= 2 && d[0] == 0xff && d[1] == 0xd8:
		if img, err := jpegDecode(d, lim); err == nil {
			return img, nil
		}
	case len(d) >= 2 && d[0] == 'B' && d[1] == 'M':
		return bmpDecode(d, lim)
	case len(d) >= 2 && d[0] == 'P' && d[1] >= '1' && d[1] <= '6':
		return pnmDecode(d, lim)
	case len(d) >= 4 && (string(d[:4]) == "II*\x00" || string(d[:4]) == "MM\x00*"):
		return tiffDecode(d, lim)
	case imageIsWebP(d):
		return webpDecode(d, lim)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(d))
	if err != nil {
		return nil, err
	}
	if err := lim.check(cfg.Width, cfg.Height); err != nil {
		return nil, err
	}
	if err := imageGoHolds(d, format, cfg.Width, cfg.Height); err != nil {
		return nil, err
	}
	m, _, err := image.Decode(bytes.NewReader(d))
	if err != nil {
		return nil, err
	}
	return imageFromGo(m), nil
}

// imageIsWebP reports whether d starts with a RIFF/WEBP header.
func imageIsWebP(d []byte) bool {
	return len(d) >= 12 && string(d[:4]) == "RIFF" && string(d[8:12]) == "WEBP"
}

// imageMaxPixels bounds the size of an image the kernel decodes (a hostile
// header must not make the decoder allocate without limit).
const imageMaxPixels imageLimit = 1 << 27

// imageLimit is the most pixels a decoder accepts. Besides this cap, each
// decoder checks before it allocates pixel buffers that the stream holds
// the data its header declares (exact byte counts for BMP, binary PNM and
// uncompressed TIFF; the best compression ratio of the format otherwise),
// so that a tiny stream cannot make it allocate for a huge image.
type imageLimit int

// check rejects a declared size that is empty or above the limit.
func (lim imageLimit) check(w, h int) error {
	if w <= 0 || h <= 0 || int64(w) > int64(lim) || int64(h) > int64(lim) || int64(w)*int64(h) > int64(lim) {
		return imageErr("image size %dx%d out of range (at most %d pixels)", w, h, int64(lim))
	}
	return nil
}

// imageFromGo converts a Go image to 8-bit RGB (alpha dropped, colours not
// premultiplied) or gray.
func imageFromGo(m image.Image) *imageRGB {
	b := m.Bounds()
	img := &imageRGB{w: b.Dx(), h: b.Dy()}
	if g, ok := m.(*image.Gray); ok {
		img.gray = true
		img.pix = make([]uint8, img.w*img.h)
		for y := 0; y < img.h; y++ {
			copy(img.pix[y*img.w:(y+1)*img.w], g.Pix[y*g.Stride:])
		}
		return img
	}
	img.pix = make([]uint8, img.w*img.h*3)
	for y := 0; y < img.h; y++ {
		for x := 0; x < img.w; x++ {
			c := color.NRGBAModel.Convert(m.At(b.Min.X+x, b.Min.Y+y)).(color.NRGBA)
			p := img.pix[(y*img.w+x)*3:]
			p[0], p[1], p[2] = c.R, c.G, c.B
		}
	}
	return img
}

// imageStore writes img into out in the requested pixel format.
func imageStore(img *imageRGB, format string, out []uint8) {
	n := img.w * img.h
	for i := 0; i < n; i++ {
		var r, g, b uint8
		if img.gray {
			r, g, b = img.pix[i], img.pix[i], img.pix[i]
		} else {
			r, g, b = img.pix[3*i], img.pix[3*i+1], img.pix[3*i+2]
		}
		switch format {
		case "RGB":
			out[3*i], out[3*i+1], out[3*i+2] = r, g, b
		case "BGR":
			out[3*i], out[3*i+1], out[3*i+2] = b, g, r
		default:
			if img.gray {
				out[i] = r
			} else {
				out[i] = uint8((19595*uint32(r) + 38470*uint32(g) + 7471*uint32(b) + 1<<15) >> 16)
			}
		}
	}
}

// imageErr is the error of a malformed stream.
func imageErr(format string, args ...any) error {
	return fmt.Errorf("image: "+format, args...)
}
