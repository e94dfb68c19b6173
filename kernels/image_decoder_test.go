package kernels

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"

	"github.com/nncc/nncc/ir"
)

func TestImageDecoder(t *testing.T) {
	// A 2×1 image: red, then (10, 20, 30).
	m := image.NewRGBA(image.Rect(0, 0, 2, 1))
	m.Set(0, 0, color.RGBA{255, 0, 0, 255})
	m.Set(1, 0, color.RGBA{10, 20, 30, 255})
	var pngBuf bytes.Buffer
	if err := png.Encode(&pngBuf, m); err != nil {
		t.Fatal(err)
	}
	ppm := []byte("P6\n# comment\n2 1\n255\n\xff\x00\x00\x0a\x14\x1e")
	bmp := []byte{'B', 'M', 62, 0, 0, 0, 0, 0, 0, 0, 54, 0, 0, 0,
		40, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 1, 0, 24, 0, 0, 0, 0, 0, 8, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 255, 30, 20, 10, 0, 0}
	gray := []float64{uint8Gray(255, 0, 0), uint8Gray(10, 20, 30)}
	for name, data := range map[string][]byte{"png": pngBuf.Bytes(), "ppm": ppm, "bmp": bmp} {
		in := ir.FromSlice(data)
		out, err := advRun("ImageDecoder", 20, nil, 1, false, in)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		advClose(t, name, out[0], []int64{1, 2, 3}, []float64{255, 0, 0, 10, 20, 30}, 0)
		out, err = advRun("ImageDecoder", 20, advAttrs("pixel_format", "BGR"), 1, false, in)
		if err != nil {
			t.Fatal(err)
		}
		advClose(t, name+" bgr", out[0], []int64{1, 2, 3}, []float64{0, 0, 255, 30, 20, 10}, 0)
		out, err = advRun("ImageDecoder", 20, advAttrs("pixel_format", "Grayscale"), 1, false, in)
		if err != nil {
			t.Fatal(err)
		}
		advClose(t, name+" gray", out[0], []int64{1, 2, 1}, gray, 0)
	}
	// Garbage, and a WebP header with no image, decode to an empty image;
	// JPEG 2000 is refused.
	for _, d := range [][]byte{{1, 2, 3}, []byte("RIFF\x00\x00\x00\x00WEBPVP8 ")} {
		out, err := advRun("ImageDecoder", 20, nil, 1, false, ir.FromSlice(d))
		if err != nil || !sameShape(out[0].Shape, []int64{0, 0, 3}) {
			t.Fatalf("garbage %q: %v, %v", d, out, err)
		}
	}
	if _, err := advRun("ImageDecoder", 20, nil, 1, false, ir.FromSlice([]byte{0xff, 0x4f, 0xff, 0x51, 0, 0})); err == nil {
		t.Fatal("JPEG 2000 should be refused")
	}
}

func uint8Gray(r, g, b uint32) float64 {
	return float64((19595*r + 38470*g + 7471*b + 1<<15) >> 16)
}

func TestJPEGFancyUpsample(t *testing.T) {
	// h2v1 on one row (10, 30): (3*10+30+2)>>2 = 15, (3*30+10+1)>>2 = 25, and
	// the edges replicate: out = [10, 15, 25, 30].
	got := jpegFancyUpsample([]uint8{10, 30}, 2, 1, 2, 1, 4, 1)
	want := []uint8{10, 15, 25, 30}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("h2v1: got %v, want %v", got, want)
		}
	}
	// A constant plane stays constant under h2v2.
	got = jpegFancyUpsample([]uint8{7, 7, 7, 7}, 2, 2, 2, 2, 3, 3)
	for _, v := range got {
		if v != 7 {
			t.Fatalf("h2v2 constant: %v", got)
		}
	}
}

func TestJPEGBaselineAgainstGo(t *testing.T) {
	// Go's encoder writes baseline 4:2:0 JPEGs. Our decoder must agree with
	// Go's decoder on luma to within IDCT rounding, and with a smooth image
	// the colour output stays close too.
	m := image.NewRGBA(image.Rect(0, 0, 37, 21))
	for y := 0; y < 21; y++ {
		for x := 0; x < 37; x++ {
			m.Set(x, y, color.RGBA{uint8(x * 6), uint8(y * 11), uint8((x + y) * 4), 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	ours, err := jpegBaseline(buf.Bytes(), imageMaxPixels)
	if err != nil {
		t.Fatal(err)
	}
	// The Go-decoder path applies the same upsampling and colour conversion
	// to Go's IDCT output; the two may differ only by IDCT rounding.
	ref, err := jpegDecodeGo(buf.Bytes(), imageMaxPixels)
	if err != nil {
		t.Fatal(err)
	}
	if ours.w != 37 || ours.h != 21 || ours.gray {
		t.Fatalf("decoded %dx%d gray=%v", ours.w, ours.h, ours.gray)
	}
	for i, v := range ours.pix {
		if d := int(v) - int(ref.pix[i]); d < -3 || d > 3 {
			t.Fatalf("sample %d: ours %d, via Go's IDCT %d", i, v, ref.pix[i])
		}
	}
	// Truncated streams of every format must fail cleanly, never panic.
	streams := [][]byte{buf.Bytes(), []byte("P6\n2 1\n255\n\xff\x00\x00\x0a\x14\x1e"), []byte("II*\x00\x08\x00\x00\x00\x01\x00\x00\x01\x04\x00\x01\x00\x00\x00\x20\x00\x00\x00")}
	for _, s := range streams {
		for n := 0; n < len(s); n++ {
			_, _ = imageDecode(s[:n])
		}
	}
}
