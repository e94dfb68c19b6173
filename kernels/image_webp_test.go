package kernels

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/nncc/nncc/ir"
)

// webpCases are small WebP files made with libwebp's cwebp (1.2.4) from
// synthetic images; rgb, bgr and gray are SHA-256 sums of what Pillow 9.4
// (libwebp) decodes them to: raw RGB with alpha dropped, the same with R
// and B swapped, and Image.convert("L").
var webpCases = []struct {
	name           string
	w, h           int
	hex            string
	rgb, bgr, gray string
}{
	{
		name: "lossy VP8, odd width and height", // cwebp -q 75
		w:    17, h: 33,
		hex: "" +
			"52494646020200005745425056503820f6010000100c009d012a110021003e913a9647a5a322212aadf8b012096c009d" +
			"32847037a87982539fb37df7c993a9effa0fe67a4cfcc07ec07f55f685fed7fa67ac93e873e597ecae8d03a49f3bd420" +
			"7addf40014276c78d213c86e116f37f5243e3fe7853d0e38c647c5d20800fce4c206ba919262cf7f03e2f5e6144443fb" +
			"e1ef5ac04e4dcbd1de501b69ec11ddfe9c826f1c3f2a797d344cf6396ffb5a2ec8935dbe667745af7cfdd4070c9c1596" +
			"6da5bac3d0ef082228e3da64f7e2b93a44660b5e4386b77ff9f99e979aa2712efbfa1dd4a23866e447a6465fe203bf5c" +
			"92b0529bdf65ef8defdd9266e5ba58608af2eb8a6c3076f6de176c927fd3d5b0bcd307dd483624c0ffd102cf287fe102" +
			"f09826959290c72b5d3e66d636e8380e8e6a2bc6d87ea035da9baf31fcc1c1bccaf5b4523d90d5823bc89674427eb236" +
			"1248b9f62416f257c96d1e0763e3cf40fb2aa9e1c4476294a69351267ec411265d3c62afc930fae7fb39550b2a4efa2c" +
			"8a03f5b80b7ef7bf17385869e5d69aeb48bd122ed88a63782ac6b1891c912e2c04944da6fa15b3ceb7c47fce869f37ac" +
			"03b9d1c54acc96c4825e5bde7b775af65d99cf6eeb5ec04ef88cca4e28c6b9adedfa47acff263fad032ffc25d3d91fb5" +
			"fffc4c88175f048a0ff45e217646841c7fa2f0d4bd4aea725cbeb763d593efe5f9f77a18d17ba54bd000",
		rgb:  "7c79f2ff60c5b9f0c8e7538b7e0354cc7f2ab9ba98e6b54a40ba2e9abac2823d",
		bgr:  "0c81cc4f3901b59c4c46977dc690f828e3fa31c01fab10163275ec0872e09456",
		gray: "ac0b96b0322684ed79368fcba47cc33933c88d44227bcba20d08df8e1249098d",
	},
	{
		name: "lossy VP8, even size, strong filter", // cwebp -q 40 -f 100 -sharpness 7
		w:    16, h: 16,
		hex: "" +
			"52494646ac0000005745425056503820a00000009002009d012a1000100005f85a25b0027430454881b764906a0be7da" +
			"0000e21788b55d5418b6a0a7566245f3b0504de6e4177c4b2982f7befa94634b07d2049bc75c5a215af18fc45382f9d8" +
			"ac29ea79e5372ec2f051b497e227ae0ca10cff48e8f8bc9e34917f925083eaad892af1abe63643aa0476b6c7cde747b4" +
			"84bdefc0472395adfb9fed206b87f30ee5d52c6ccfe556c137dfd8d612a611f4aa000000",
		rgb:  "88f41685ba26b5f753de69174177ec51584d99983417883cbcb27eacb6a6603f",
		bgr:  "0e5659c3a6c1ac46d0fc77d12f6b72c1af8750c318596f8fbb1d784c512db9ad",
		gray: "2804e410e0e140be700afb9d8e0b5ef12c007c04f6663b9c6b13691311bbab4c",
	},
	{
		name: "VP8X + filtered lossless-compressed ALPH", // cwebp -q 50 -alpha_q 50 -alpha_filter best
		w:    13, h: 7,
		hex: "" +
			"52494646d600000057454250565038580a000000100000000c0000060000414c504840000000114fa0b691a436f91d78" +
			"872723252202e21f8b77b18351db489234fb6b280d69212c848530cf7bc6cc23fa1fcd343c7e29c3b49d08d52b8e632b" +
			"52f585ee580156503820700000003002009d012a0d00070002c04c25b00274ba0002f95269899b0000e1fe389e7f0c6c" +
			"b084ebf2901dfe0a5daa59936f931357ba74f12fdef1094dd3444b55a8ca878a2ec94bff79f98fccfda78d753d57f38d" +
			"5e6b516edefe4de845ae32feff9d2b039b6fc8c9b040bfe4adf28e000000",
		rgb:  "91624cc438a1b596decefdc81b84ca9fdac4174009b4760fb7ff6bca7f46267a",
		bgr:  "5c56a3dafac41d85bbde7758c2e00f66d3e24617028986029ad26676a62e14e6",
		gray: "7bf93aa0351bfb94982848b8fe89256809f7364cf47d25cdfeff5f61d74e2dcc",
	},
	{
		name: "lossless VP8L with alpha", // cwebp -lossless
		w:    5, h: 2,
		hex: "" +
			"5249464658000000574542505650384c4c0000002f044000104fa01000d0a69f410e393cfe4d630893111014fc1f1d41" +
			"b64d6f367fa92b68db868954b0d5f87cb40bea7f1a97f85d7ef9a08e843d07070501082062990b46b9e07a44ffa37706",
		rgb:  "e3f9b138e55a5a02fcc7295543459691ba80284467a0905fd360f5f9c4e5aafe",
		bgr:  "e637ad4766d810bf613f6f956fc22d3515c4f3720b1fc90ed2c4b2330b560c33",
		gray: "cd1e3d3ccb48eb0bd3e9791cfab4a7f6e6f3f5ff0b6c89e1081b7181b53568e6",
	},
}

func webpCaseBytes(t testing.TB, h string) []byte {
	d, err := hex.DecodeString(h)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestWebPDecode(t *testing.T) {
	for _, c := range webpCases {
		in := ir.FromSlice(webpCaseBytes(t, c.hex))
		for _, f := range []struct{ format, sum string }{{"RGB", c.rgb}, {"BGR", c.bgr}, {"Grayscale", c.gray}} {
			out, err := advRun("ImageDecoder", 20, advAttrs("pixel_format", f.format), 1, false, in)
			if err != nil {
				t.Fatalf("%s %s: %v", c.name, f.format, err)
			}
			ch := int64(3)
			if f.format == "Grayscale" {
				ch = 1
			}
			if !sameShape(out[0].Shape, []int64{int64(c.h), int64(c.w), ch}) {
				t.Fatalf("%s %s: shape %v", c.name, f.format, out[0].Shape)
			}
			sum := sha256.Sum256(out[0].Data.([]uint8))
			if got := hex.EncodeToString(sum[:]); got != f.sum {
				t.Errorf("%s %s: pixels differ from libwebp's (sha256 %s)", c.name, f.format, got)
			}
		}
	}
}

// TestWebPAlphaFlag: libwebp decodes by the chunks present, whatever the
// VP8X alpha flag says, and so must we (Pillow decodes both variants below
// to the same RGB as the originals).
func TestWebPAlphaFlag(t *testing.T) {
	vp8 := webpCaseBytes(t, webpCases[1].hex)
	// The VP8 chunk of case 1 behind a 16×16 VP8X claiming alpha.
	flagOnly := webpRIFF("VP8X", []byte{0x10, 0, 0, 0, 15, 0, 0, 15, 0, 0}, "VP8 ", vp8[20:])
	// Case 2 (VP8X + ALPH + VP8) with its alpha flag cleared.
	alphOnly := webpCaseBytes(t, webpCases[2].hex)
	alphOnly[20] &^= 0x10
	for _, c := range []struct {
		name, sum string
		d         []byte
	}{{"flag without ALPH", webpCases[1].rgb, flagOnly}, {"ALPH without flag", webpCases[2].rgb, alphOnly}} {
		img, err := imageDecode(c.d)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		sum := sha256.Sum256(img.pix)
		if got := hex.EncodeToString(sum[:]); got != c.sum {
			t.Errorf("%s: pixels differ from libwebp's", c.name)
		}
	}
}

func TestWebPUpsampleRow(t *testing.T) {
	// Near row (10, 30), far row (50, 90), 4 pixels: the edges are
	// (3·near + far + 2)>>2 of their column; with s = 10+30+50+90+8 = 188,
	// pixel 1 = ((188 + 2(30+50))>>3 + 10)>>1 = (43+10)>>1 = 26 and
	// pixel 2 = ((188 + 2(10+90))>>3 + 30)>>1 = (48+30)>>1 = 39.
	dst := make([]uint8, 4)
	webpUpsampleRow(dst, []uint8{10, 30}, []uint8{50, 90})
	if want := []uint8{20, 26, 39, 45}; !bytes.Equal(dst, want) {
		t.Fatalf("got %v, want %v", dst, want)
	}
	// Odd width: the last pixel comes from the interpolation.
	dst = make([]uint8, 3)
	webpUpsampleRow(dst, []uint8{10, 30}, []uint8{50, 90})
	if want := []uint8{20, 26, 39}; !bytes.Equal(dst, want) {
		t.Fatalf("odd: got %v, want %v", dst, want)
	}
	// Y'CbCr limits: black and white of BT.601 limited range, and clamping
	// (G of (0,0,0) is 8708>>6; of (255,255,255), (19002-6393-13267+8708)>>6).
	for _, c := range []struct {
		y, u, v int32
		r, g, b uint8
	}{
		{16, 128, 128, 0, 0, 0}, {235, 128, 128, 255, 255, 255}, {0, 0, 0, 0, 136, 0}, {255, 255, 255, 255, 125, 255},
	} {
		if r, g, b := webpYUVToRGB(c.y, c.u, c.v); r != c.r || g != c.g || b != c.b {
			t.Errorf("YUV(%d,%d,%d) = %d,%d,%d, want %d,%d,%d", c.y, c.u, c.v, r, g, b, c.r, c.g, c.b)
		}
	}
}

// webpRIFF wraps chunks (id, payload) in a RIFF/WEBP container.
func webpRIFF(chunks ...any) []byte {
	var body []byte
	for i := 0; i < len(chunks); i += 2 {
		p := chunks[i+1].([]byte)
		body = append(body, chunks[i].(string)...)
		body = binary.LittleEndian.AppendUint32(body, uint32(len(p)))
		body = append(body, p...)
		if len(p)%2 == 1 {
			body = append(body, 0)
		}
	}
	out := append([]byte("RIFF"), binary.LittleEndian.AppendUint32(nil, uint32(4+len(body)))...)
	return append(append(out, "WEBP"...), body...)
}

func TestWebPHostile(t *testing.T) {
	vp8x := func(flags byte, w, h int) []byte {
		p := []byte{flags, 0, 0, 0}
		p = append(p, byte(w-1), byte((w-1)>>8), byte((w-1)>>16), byte(h-1), byte((h-1)>>8), byte((h-1)>>16))
		return p
	}
	// A VP8L header (signature, 14-bit width-1 and height-1, no alpha,
	// version 0) followed by nothing.
	vp8l := func(w, h int) []byte {
		v := uint32(w-1) | uint32(h-1)<<14
		return append([]byte{0x2f}, binary.LittleEndian.AppendUint32(nil, v)...)
	}
	// A VP8 key-frame header declaring w×h.
	vp8 := func(w, h int) []byte {
		p := []byte{0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a}
		p = binary.LittleEndian.AppendUint16(p, uint16(w))
		p = binary.LittleEndian.AppendUint16(p, uint16(h))
		return append(p, make([]byte, 16)...)
	}
	lossy := webpCaseBytes(t, webpCases[0].hex)
	hugeChunk := bytes.Clone(lossy)
	binary.LittleEndian.PutUint32(hugeChunk[16:], 1<<30) // VP8 chunk claims 1 GiB
	cases := map[string][]byte{
		"huge VP8X canvas":         webpRIFF("VP8X", vp8x(0, 16384, 16384), "VP8L", vp8l(16384, 16384)),
		"huge VP8L":                webpRIFF("VP8L", vp8l(16384, 16384)),
		"huge VP8":                 webpRIFF("VP8 ", vp8(16383, 16383)),
		"VP8L larger than VP8X":    webpRIFF("VP8X", vp8x(0, 4, 4), "VP8L", vp8l(9000, 9000)),
		"short uncompressed alpha": webpRIFF("VP8X", vp8x(0x10, 8000, 8000), "ALPH", []byte{0, 1, 2, 3}),
		"RIFF size past the end":   append([]byte("RIFF\xff\xff\xff\x7fWEBP"), lossy[12:]...),
		"chunk size past the end":  hugeChunk,
		"VP8X only":                webpRIFF("VP8X", vp8x(0, 4, 4)),
		"empty":                    []byte("RIFF\x04\x00\x00\x00WEBP"),
		"unknown chunk only":       webpRIFF("XYZW", []byte{1, 2, 3}),
	}
	for name, d := range cases {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		img, err := imageDecode(d)
		runtime.ReadMemStats(&after)
		if err == nil {
			t.Errorf("%s: decoded a %dx%d image", name, img.w, img.h)
		} else {
			t.Logf("%s: %v", name, err)
		}
		if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
			t.Errorf("%s: allocated %d bytes before failing", name, n)
		}
		// Through the operator: an undecodable stream is an empty image.
		out, err := advRun("ImageDecoder", 20, nil, 1, false, ir.FromSlice(d))
		if err != nil || !sameShape(out[0].Shape, []int64{0, 0, 3}) {
			t.Errorf("%s: operator gave %v, %v", name, out, err)
		}
	}
	// Animated WebP is refused with an error.
	anim := webpRIFF("VP8X", vp8x(0x02, 4, 4), "ANIM", make([]byte, 6))
	if _, err := advRun("ImageDecoder", 20, nil, 1, false, ir.FromSlice(anim)); err == nil || !strings.Contains(err.Error(), "animated WebP") {
		t.Errorf("animated WebP: %v", err)
	}
	// Every truncation and single-byte corruption of the samples fails
	// cleanly or decodes to an image of the declared size, never panics.
	for _, c := range webpCases {
		d := webpCaseBytes(t, c.hex)
		for n := 0; n < len(d); n++ {
			if img, err := imageDecode(d[:n]); err == nil && (img.w != c.w || img.h != c.h) {
				t.Errorf("%s truncated to %d: %dx%d", c.name, n, img.w, img.h)
			}
		}
		for i := 0; i < len(d); i++ {
			m := bytes.Clone(d)
			m[i] ^= 0x5a
			_, _ = imageDecode(m)
		}
	}
}

// TestWebPAgainstReference compares decodes with reference decodes made by
// libwebp, when NNCC_WEBP_REFDIR names a directory of X.webp files, each
// with X.rgb next to it: the reference's pixels as raw 8-bit RGB, row after
// row, alpha dropped (e.g. Pillow's Image.open(X.webp).convert("RGBA") minus
// every 4th byte, or dwebp -ppm's pixel data).
func TestWebPAgainstReference(t *testing.T) {
	dir := os.Getenv("NNCC_WEBP_REFDIR")
	if dir == "" {
		t.Skip("NNCC_WEBP_REFDIR not set")
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.webp"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no .webp files in %s (%v)", dir, err)
	}
	bad := 0
	for _, f := range files {
		d, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(strings.TrimSuffix(f, ".webp") + ".rgb")
		if err != nil {
			t.Fatal(err)
		}
		img, err := imageDecode(d)
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(f), err)
			bad++
			continue
		}
		if img.gray || !bytes.Equal(img.pix, want) {
			diff, first := 0, -1
			for i := range min(len(img.pix), len(want)) {
				if img.pix[i] != want[i] {
					diff++
					if first < 0 {
						first = i
					}
				}
			}
			t.Errorf("%s: %dx%d, %d of %d bytes differ (want %d bytes), first at %d",
				filepath.Base(f), img.w, img.h, diff, len(img.pix), len(want), first)
			bad++
		}
	}
	t.Logf("%d of %d files match", len(files)-bad, len(files))
}
