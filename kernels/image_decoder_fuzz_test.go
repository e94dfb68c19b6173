package kernels

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"
)

// FuzzImageDecode feeds arbitrary streams to the ImageDecoder's format
// dispatch: it must never panic, and a decoded image must be consistent
// and storable in every pixel format. Run with
// go test ./kernels -run '^$' -fuzz FuzzImageDecode -parallel 1.
func FuzzImageDecode(f *testing.F) {
	for _, c := range webpCases {
		f.Add(webpCaseBytes(f, c.hex))
	}
	m := image.NewRGBA(image.Rect(0, 0, 5, 3))
	for i := range m.Pix {
		m.Pix[i] = uint8(i * 37)
	}
	var pngBuf, jpegBuf bytes.Buffer
	if err := png.Encode(&pngBuf, m); err != nil {
		f.Fatal(err)
	}
	if err := jpeg.Encode(&jpegBuf, m, nil); err != nil {
		f.Fatal(err)
	}
	g := image.NewGray(image.Rect(0, 0, 2, 2))
	g.Set(1, 1, color.Gray{200})
	var grayBuf bytes.Buffer
	if err := png.Encode(&grayBuf, g); err != nil {
		f.Fatal(err)
	}
	f.Add(pngBuf.Bytes())
	f.Add(jpegBuf.Bytes())
	f.Add(grayBuf.Bytes())
	f.Fuzz(func(t *testing.T, d []byte) {
		// Only streams whose size Go's registry can read (PNG, GIF, JPEG,
		// WebP) and which are small: a tiny stream may legitimately declare
		// an image of up to imageMaxPixels (a one-colour lossless WebP, a
		// truncated JPEG filled with zeros), which takes seconds to decode
		// and would stall the fuzzer. BMP, PNM and TIFF headers carry no
		// such check here; their truncations are in TestJPEGBaselineAgainstGo.
		if cfg, _, err := image.DecodeConfig(bytes.NewReader(d)); err != nil || cfg.Width*cfg.Height > 1<<16 {
			return
		}
		img, err := imageDecode(d)
		if err != nil {
			return
		}
		ch := 3
		if img.gray {
			ch = 1
		}
		if img.w <= 0 || img.h <= 0 || len(img.pix) != img.w*img.h*ch {
			t.Fatalf("decoded %dx%d gray=%v with %d samples", img.w, img.h, img.gray, len(img.pix))
		}
		n := img.w * img.h
		for _, format := range []string{"RGB", "BGR", "Grayscale"} {
			out := make([]uint8, 3*n)
			if format == "Grayscale" {
				out = out[:n]
			}
			imageStore(img, format, out)
		}
	})
}
