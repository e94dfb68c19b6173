package kernels

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"runtime"
	"strings"
	"testing"

	"github.com/nncc/nncc/ir"
)

// imageFuzzPixels is the size cap FuzzImageDecodeAll decodes with: small
// enough that every stream the fuzzer makes decodes in milliseconds, so the
// decoders' own checks, not a filter in the test, keep it fast.
const imageFuzzPixels imageLimit = 1 << 16

// imageFuzzAllocBound is the most a decode under imageFuzzPixels may
// allocate for a stream of n bytes: the pixels (and a decoder's RGBA or
// 16-bit working copy, coefficient planes and so on) plus a few times the
// stream itself (TIFF tag values, a copied WebP).
func imageFuzzAllocBound(n int) uint64 { return 48<<20 + 128*uint64(n) }

// bmpStream is a BITMAPINFOHEADER BMP of w×h pixels at bpp bits (24 or 8;
// 8 with a 256-entry grey palette); h < 0 is top-down.
func bmpStream(w, h, bpp int) []byte {
	ah := max(h, -h)
	stride := ((w*bpp + 31) / 32) * 4
	pal := 0
	if bpp <= 8 {
		pal = 4 << bpp
	}
	off := 54 + pal
	d := make([]byte, off+stride*ah)
	le := binary.LittleEndian
	d[0], d[1] = 'B', 'M'
	le.PutUint32(d[2:], uint32(len(d)))
	le.PutUint32(d[10:], uint32(off))
	le.PutUint32(d[14:], 40)
	le.PutUint32(d[18:], uint32(int32(w)))
	le.PutUint32(d[22:], uint32(int32(h)))
	le.PutUint16(d[26:], 1)
	le.PutUint16(d[28:], uint16(bpp))
	for i := 0; i < pal/4; i++ {
		v := uint8(i * 255 / (pal/4 - 1))
		d[54+4*i], d[55+4*i], d[56+4*i] = v, v, v
	}
	for i := off; i < len(d); i++ {
		d[i] = uint8(i * 29)
	}
	return d
}

// tiffEntry is one IFD entry for tiffStream: SHORT (3) or LONG (4) values.
type tiffEntry struct {
	tag, typ uint16
	vals     []uint32
}

// tiffStream lays out a little-endian TIFF: header, pixel data at offset 8,
// then the IFD with out-of-line values after it.
func tiffStream(pixels []byte, entries []tiffEntry) []byte {
	le := binary.LittleEndian
	d := append([]byte("II*\x00\x00\x00\x00\x00"), pixels...)
	if len(d)%2 == 1 {
		d = append(d, 0)
	}
	ifd := len(d)
	le.PutUint32(d[4:], uint32(ifd))
	extra := ifd + 2 + 12*len(entries) + 4
	var tail []byte
	d = le.AppendUint16(d, uint16(len(entries)))
	for _, e := range entries {
		size := map[uint16]int{3: 2, 4: 4}[e.typ]
		d = le.AppendUint16(d, e.tag)
		d = le.AppendUint16(d, e.typ)
		d = le.AppendUint32(d, uint32(len(e.vals)))
		var v []byte
		for _, x := range e.vals {
			if size == 2 {
				v = le.AppendUint16(v, uint16(x))
			} else {
				v = le.AppendUint32(v, x)
			}
		}
		if len(v) <= 4 {
			d = append(d, append(v, make([]byte, 4-len(v))...)...)
			continue
		}
		d = le.AppendUint32(d, uint32(extra+len(tail)))
		tail = append(tail, v...)
	}
	d = append(d, 0, 0, 0, 0)
	return append(d, tail...)
}

// tiffRGB is an uncompressed w×h RGB TIFF in one strip.
func tiffRGB(w, h int) []byte {
	px := make([]byte, w*h*3)
	for i := range px {
		px[i] = uint8(i * 13)
	}
	return tiffStream(px, []tiffEntry{
		{256, 3, []uint32{uint32(w)}}, {257, 3, []uint32{uint32(h)}}, {258, 3, []uint32{8, 8, 8}},
		{259, 3, []uint32{1}}, {262, 3, []uint32{2}}, {273, 4, []uint32{8}}, {277, 3, []uint32{3}},
		{279, 4, []uint32{uint32(len(px))}},
	})
}

// tiffPackBitsGray is a w×h grey PackBits TIFF whose one strip is the
// given PackBits data.
func tiffPackBitsGray(w, h int, packed []byte) []byte {
	return tiffStream(packed, []tiffEntry{
		{256, 4, []uint32{uint32(w)}}, {257, 4, []uint32{uint32(h)}}, {259, 3, []uint32{32773}},
		{262, 3, []uint32{1}}, {273, 4, []uint32{8}}, {279, 4, []uint32{uint32(len(packed))}},
	})
}

// imageSeedStreams are valid small streams of every format the decoder
// reads, each reaching a different decoder path.
func imageSeedStreams(t testing.TB) map[string][]byte {
	m := image.NewRGBA(image.Rect(0, 0, 11, 7))
	for i := range m.Pix {
		m.Pix[i] = uint8(i * 37)
	}
	var pngBuf, jpegBuf, grayJPEG, gifBuf bytes.Buffer
	if err := png.Encode(&pngBuf, m); err != nil {
		t.Fatal(err)
	}
	if err := jpeg.Encode(&jpegBuf, m, nil); err != nil {
		t.Fatal(err)
	}
	g := image.NewGray(image.Rect(0, 0, 9, 5))
	g.Set(1, 1, color.Gray{200})
	if err := jpeg.Encode(&grayJPEG, g, nil); err != nil {
		t.Fatal(err)
	}
	if err := gif.Encode(&gifBuf, m, nil); err != nil {
		t.Fatal(err)
	}
	s := map[string][]byte{
		"png": pngBuf.Bytes(), "jpeg": jpegBuf.Bytes(), "jpeg gray": grayJPEG.Bytes(), "gif": gifBuf.Bytes(),
		"bmp24": bmpStream(5, 3, 24), "bmp8 top-down": bmpStream(6, -2, 8), "bmp1": bmpStream(9, 2, 1),
		"P1": []byte("P1\n3 2\n1 0 1\n0 1 0\n"), "P2": []byte("P2\n2 2\n15\n0 5\n10 15\n"),
		"P3": []byte("P3\n2 1\n255\n255 0 0 10 20 30\n"), "P4": []byte("P4\n9 2\n\xa5\x80\x5a\x00"),
		"P5 16-bit": []byte("P5\n2 1\n65535\n\x12\x34\xff\xff"), "P6": []byte("P6\n2 1\n255\n\xff\x00\x00\x0a\x14\x1e"),
		"tiff rgb": tiffRGB(4, 3), "tiff packbits": tiffPackBitsGray(8, 2, []byte{0xf9, 7, 3, 1, 2, 3, 4, 0xfd, 9}),
	}
	for _, c := range webpCases {
		s["webp "+c.name] = webpCaseBytes(t, c.hex)
	}
	return s
}

// imageCheckDecoded checks a decoded image's invariants and stores it in
// every pixel format.
func imageCheckDecoded(t *testing.T, img *imageRGB, lim imageLimit) {
	ch := 3
	if img.gray {
		ch = 1
	}
	if img.w <= 0 || img.h <= 0 || img.w*img.h > int(lim) || len(img.pix) != img.w*img.h*ch {
		t.Fatalf("decoded %dx%d gray=%v with %d samples (limit %d pixels)", img.w, img.h, img.gray, len(img.pix), lim)
	}
	n := img.w * img.h
	for _, format := range []string{"RGB", "BGR", "Grayscale"} {
		out := make([]uint8, 3*n)
		if format == "Grayscale" {
			out = out[:n]
		}
		imageStore(img, format, out)
	}
}

func TestImageSeedStreamsDecode(t *testing.T) {
	for name, d := range imageSeedStreams(t) {
		img, err := imageDecodeMax(d, imageFuzzPixels)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		imageCheckDecoded(t, img, imageFuzzPixels)
	}
}

// FuzzImageDecodeAll feeds arbitrary streams to every decoder of the
// ImageDecoder (BMP, PNM, TIFF, JPEG, PNG, GIF, WebP), capped at
// imageFuzzPixels by the decoders themselves: it must never panic, a
// decoded image must be consistent, and one decode must not allocate more
// than imageFuzzAllocBound. Run with
//
//	go test ./kernels -run '^$' -fuzz '^FuzzImageDecodeAll$' -parallel 1
func FuzzImageDecodeAll(f *testing.F) {
	for _, d := range imageSeedStreams(f) {
		f.Add(d)
	}
	for _, c := range imageHostileCases {
		f.Add(c.d)
	}
	f.Fuzz(func(t *testing.T, d []byte) {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		img, err := imageDecodeMax(d, imageFuzzPixels)
		runtime.ReadMemStats(&after)
		if got, most := after.TotalAlloc-before.TotalAlloc, imageFuzzAllocBound(len(d)); got > most {
			t.Fatalf("decoding %d bytes allocated %d bytes (bound %d); err %v", len(d), got, most, err)
		}
		if err == nil {
			imageCheckDecoded(t, img, imageFuzzPixels)
		}
	})
}

// imageHostileCases are tiny or broken streams, each with the exact error
// the decoder must give.
var imageHostileCases = func() []struct {
	name string
	d    []byte
	err  string
} {
	bmpHuge := bmpStream(1, 1, 24)
	binary.LittleEndian.PutUint32(bmpHuge[18:], 10000)
	binary.LittleEndian.PutUint32(bmpHuge[22:], 10000)
	bmpCut := bmpStream(5, 3, 24)
	bmpCut = bmpCut[:len(bmpCut)-1]
	bmpDepth := bmpStream(2, 2, 24)
	binary.LittleEndian.PutUint16(bmpDepth[28:], 16)
	bmpTooBig := bmpStream(1, 1, 24)
	binary.LittleEndian.PutUint32(bmpTooBig[18:], 1<<20)
	binary.LittleEndian.PutUint32(bmpTooBig[22:], 1<<20)
	tiffHuge := tiffStream([]byte{1, 2, 3, 4}, []tiffEntry{{256, 4, []uint32{10000}}, {257, 4, []uint32{10000}},
		{273, 4, []uint32{8}}, {279, 4, []uint32{4}}})
	tiffBomb := tiffPackBitsGray(8000, 8000, bytes.Repeat([]byte{0x81, 0}, 8))
	tiffOver := tiffPackBitsGray(4, 2, []byte{0xf9, 7, 0xf9, 8}) // 8 + 8 bytes for an 8-byte image
	tiffShort := tiffPackBitsGray(4, 2, []byte{0xfd, 7})         // 4 bytes for 8
	tiffOverlap := tiffStream(make([]byte, 64), []tiffEntry{{256, 4, []uint32{64}}, {257, 4, []uint32{64}},
		{259, 3, []uint32{32773}}, {273, 4, bytes32(8, 64)}, {279, 4, bytes32(64, 64)}})
	tiffDepth := tiffStream([]byte{1, 2}, []tiffEntry{{256, 3, []uint32{2}}, {257, 3, []uint32{1}}, {258, 3, []uint32{16}},
		{273, 4, []uint32{8}}, {279, 4, []uint32{2}}})
	tiffLZW := tiffStream([]byte{1, 2}, []tiffEntry{{256, 3, []uint32{2}}, {257, 3, []uint32{1}}, {259, 3, []uint32{5}},
		{273, 4, []uint32{8}}, {279, 4, []uint32{2}}})
	var jpegBuf bytes.Buffer
	m := image.NewGray(image.Rect(0, 0, 8, 8))
	if err := jpeg.Encode(&jpegBuf, m, nil); err != nil {
		panic(err)
	}
	jpegHuge := jpegSetSize(jpegBuf.Bytes(), 8000, 8000)
	var pngBuf bytes.Buffer
	if err := png.Encode(&pngBuf, image.NewGray(image.Rect(0, 0, 1, 1))); err != nil {
		panic(err)
	}
	pngHuge := bytes.Clone(pngBuf.Bytes())
	binary.BigEndian.PutUint32(pngHuge[16:], 10000)
	binary.BigEndian.PutUint32(pngHuge[20:], 10000)
	binary.BigEndian.PutUint32(pngHuge[29:], crc32.ChecksumIEEE(pngHuge[12:29]))
	return []struct {
		name string
		d    []byte
		err  string
	}{
		{"BMP 10000x10000 in 58 bytes", bmpHuge, "image: BMP pixel data truncated: 10000x10000 at 24 bits needs 300000000 bytes from offset 54, the stream has 58"},
		{"BMP missing its last byte", bmpCut, "image: BMP pixel data truncated: 5x3 at 24 bits needs 48 bytes from offset 54, the stream has 101"},
		{"BMP 16 bits per pixel", bmpDepth, "image: unsupported BMP depth 16"},
		{"BMP 2^40 pixels", bmpTooBig, "image: image size 1048576x1048576 out of range (at most 134217728 pixels)"},
		{"P6 10000x10000 in 20 bytes", []byte("P6 10000 10000 255\n\x00"), "image: PNM data truncated: 10000x10000 P6 needs at least 300000000 bytes of samples, the stream has 1"},
		{"P5 16-bit missing a byte", []byte("P5\n2 1\n65535\n\x12\x34\xff"), "image: PNM data truncated: 2x1 P5 needs at least 4 bytes of samples, the stream has 3"},
		{"P2 10000x10000 ASCII", []byte("P2 10000 10000 255\n1 2 3"), "image: PNM data truncated: 10000x10000 P2 needs at least 199999999 bytes of samples, the stream has 6"},
		{"P1 9000x9000 ASCII", []byte("P1 9000 9000\n0101"), "image: PNM data truncated: 9000x9000 P1 needs at least 81000000 bytes of samples, the stream has 5"},
		{"P4 truncated", []byte("P4\n9 2\n\xa5\x80\x5a"), "image: PNM data truncated: 9x2 P4 needs at least 4 bytes of samples, the stream has 3"},
		{"PNM maxval 0", []byte("P5 1 1 0\n\x00"), "image: bad PNM maxval 0"},
		{"PNM maxval 65536", []byte("P5 1 1 65536\n\x00"), "image: bad PNM maxval 65536"},
		{"PNM width of 30 digits", []byte("P5 999999999999999999999999999999 1 255\n\x00"), `image: bad PNM header number "99999999999999999999"`},
		{"TIFF 10000x10000 in one 4-byte strip", tiffHuge, "image: TIFF pixel data truncated: 10000x10000 with 1 samples needs 100000000 bytes, the strips hold at most 4"},
		{"TIFF PackBits bomb", tiffBomb, "image: TIFF pixel data truncated: 8000x8000 with 1 samples needs 64000000 bytes, the strips hold at most 1024"},
		{"TIFF PackBits past the image", tiffOver, "image: TIFF PackBits strip 0 decodes past the 8 bytes of the image"},
		{"TIFF PackBits short", tiffShort, "image: TIFF pixel data truncated: 4x2 with 1 samples needs 8 bytes, the strips hold 4"},
		{"TIFF 64 strips on the same bytes", tiffOverlap, "image: TIFF strip byte counts total 4096, more than the 650 bytes of the stream"},
		{"TIFF 16 bits per sample", tiffDepth, "image: TIFF with 16 bits per sample is not supported"},
		{"TIFF LZW", tiffLZW, "image: TIFF compression 5 is not supported"},
		{"JPEG 8000x8000 in 300 bytes", jpegHuge, fmt.Sprintf("image: JPEG: 8000x8000 has 1000000 blocks, more than the %d bits of the stream can code", 8*len(jpegHuge))},
		{"PNG 10000x10000 with 14 bytes of IDAT", pngHuge, "image: PNG: 10000x10000 needs 100000000 bytes of pixel data, its 14 bytes of IDAT expand to at most 14448"},
	}
}()

// bytes32 is n copies of v, for TIFF strip tables.
func bytes32(v uint32, n int) []uint32 {
	s := make([]uint32, n)
	for i := range s {
		s[i] = v
	}
	return s
}

// jpegSetSize rewrites the frame size in a JPEG's SOF0 segment.
func jpegSetSize(d []byte, w, h int) []byte {
	d = bytes.Clone(d)
	i := bytes.Index(d, []byte{0xff, 0xc0})
	binary.BigEndian.PutUint16(d[i+5:], uint16(h))
	binary.BigEndian.PutUint16(d[i+7:], uint16(w))
	return d
}

func TestImageHostileStreams(t *testing.T) {
	for _, c := range imageHostileCases {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := imageDecode(c.d)
		runtime.ReadMemStats(&after)
		if err == nil || err.Error() != c.err {
			t.Errorf("%s: got error %v,\n want %s", c.name, err, c.err)
		}
		if got := after.TotalAlloc - before.TotalAlloc; got > 1<<20 {
			t.Errorf("%s: allocated %d bytes", c.name, got)
		}
		if !strings.HasPrefix(c.err, "image: ") {
			t.Errorf("%s: error %q lacks the image: prefix", c.name, c.err)
		}
	}
}

// TestImageDecoderHostileKernel runs a tiny stream declaring a huge image
// through the kernel: an empty image comes out (the spec's answer to a
// stream that cannot be decoded), with nothing large allocated.
func TestImageDecoderHostileKernel(t *testing.T) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	out, err := advRun("ImageDecoder", 20, nil, 1, false, ir.FromSlice([]byte("P6 10000 10000 255\n\x00")))
	runtime.ReadMemStats(&after)
	if err != nil || !sameShape(out[0].Shape, []int64{0, 0, 3}) {
		t.Fatalf("got %v, %v", out, err)
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > 8<<20 {
		t.Fatalf("allocated %d bytes", got)
	}
}
