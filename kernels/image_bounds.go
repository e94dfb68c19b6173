package kernels

import "encoding/binary"

// Streams decoded by Go's image package (PNG, GIF, non-baseline JPEG) get their pixel buffers
// allocated from the declared size before any pixel data is read. These
// checks bound that size by what the compressed data could expand to, so a
// tiny stream cannot make the decoder allocate for a huge image.

const (
	// deflateMaxRatio is the most bytes one byte of a deflate stream can
	// produce: a length-258 match coded with one bit, its distance with
	// another.
	deflateMaxRatio = 1032
	// lzwMaxRatio is the most bytes one byte of GIF LZW data can produce:
	// a 12-bit code stands for at most 4096 bytes.
	lzwMaxRatio = 2731
)

// imageGoHolds reports an error when a stream of the given format (as
// image.DecodeConfig names it) cannot hold the pixels of a w×h image.
func imageGoHolds(d []byte, format string, w, h int) error {
	switch format {
	case "png":
		return pngHolds(d, w, h)
	case "jpeg":
		return jpegHolds(d, w, h)
	case "gif":
		if int64(w)*int64(h) > lzwMaxRatio*int64(len(d)) {
			return imageErr("GIF: %dx%d is more than the %d bytes of the stream can code", w, h, len(d))
		}
	}
	return nil
}

// pngHolds checks a PNG's IDAT chunks against its IHDR: the filtered image
// data (at least w·h·bits-per-pixel/8 bytes, interlaced or not) must fit in
// what their deflate stream can expand to.
func pngHolds(d []byte, w, h int) error {
	// Signature (8), IHDR length and type (8), width, height, bit depth,
	// colour type.
	if len(d) < 26 || string(d[12:16]) != "IHDR" {
		return imageErr("PNG: no IHDR")
	}
	channels := map[byte]int64{0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[d[25]]
	bits := int64(w) * int64(h) * channels * int64(d[24])
	var idat int64
	for off := 8; off+8 <= len(d); {
		n := int64(binary.BigEndian.Uint32(d[off:]))
		body := int64(off + 8)
		n = min(n, int64(len(d))-body)
		if string(d[off+4:off+8]) == "IDAT" {
			idat += n
		}
		off = int(body + n + 4)
	}
	if need, most := bits/8, deflateMaxRatio*idat; need > most {
		return imageErr("PNG: %dx%d needs %d bytes of pixel data, its %d bytes of IDAT expand to at most %d", w, h, need, idat, most)
	}
	return nil
}

// jpegHolds checks that a JPEG stream has at least one bit per 8×8 block
// of a full-resolution component: every coding mode spends at least that
// on each block's DC coefficient.
func jpegHolds(d []byte, w, h int) error {
	if blocks := int64((w+7)/8) * int64((h+7)/8); blocks > 8*int64(len(d)) {
		return imageErr("JPEG: %dx%d has %d blocks, more than the %d bits of the stream can code", w, h, blocks, 8*len(d))
	}
	return nil
}
