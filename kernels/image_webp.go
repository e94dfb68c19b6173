package kernels

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"

	"golang.org/x/image/webp"
)

// WebP decoding. The bitstreams (lossy VP8, lossless VP8L, the VP8X
// container with an ALPH chunk) are parsed by golang.org/x/image/webp. A
// lossless image comes back as RGBA and is used as is. A lossy one comes
// back as its Y'CbCr 4:2:0 planes, which are turned into RGB here the way
// libwebp's default decoder (the one behind Pillow, hence behind the ONNX
// reference) does it: "fancy" bilinear chroma upsampling with libwebp's
// rounding, then libwebp's fixed-point BT.601 conversion. Alpha is dropped.
// Animated WebP is refused (see imageUnsupported).

// webpDecode decodes a RIFF/WEBP stream.
func webpDecode(d []byte, lim imageLimit) (*imageRGB, error) {
	d, err := webpCheckChunks(d)
	if err != nil {
		return nil, err
	}
	cfg, err := webp.DecodeConfig(bytes.NewReader(d))
	if err != nil {
		return nil, imageErr("WebP: %v", err)
	}
	// The configuration is the VP8X canvas when there is one (the decoder
	// then checks that the bitstream's own size matches it) or the size in
	// the VP8/VP8L header, so this bounds every allocation of the decoder.
	if err := lim.check(cfg.Width, cfg.Height); err != nil {
		return nil, err
	}
	m, err := webpDecodeGuarded(d)
	if err != nil {
		return nil, imageErr("WebP: %v", err)
	}
	var ycc *image.YCbCr
	switch m := m.(type) {
	case *image.YCbCr:
		ycc = m
	case *image.NYCbCrA:
		ycc = &m.YCbCr
	default:
		return imageFromGo(m), nil
	}
	if ycc.SubsampleRatio != image.YCbCrSubsampleRatio420 || ycc.Rect.Min != (image.Point{}) {
		return imageFromGo(m), nil
	}
	return webpYCbCrToRGB(ycc), nil
}

// webpCheckChunks checks that the RIFF container and every chunk in it fit
// in d, so that no length the decoder sizes a buffer by can exceed the
// input, and that an uncompressed ALPH chunk holds a full plane. It returns
// the stream to decode: d, or a copy whose VP8X alpha flag is made to say
// whether an ALPH chunk comes before the bitstream, since libwebp goes by
// the chunk (an opaque image may carry the flag) and x/image by the flag.
func webpCheckChunks(d []byte) ([]byte, error) {
	le := binary.LittleEndian
	if len(d) < 12 {
		return nil, imageErr("WebP: truncated header")
	}
	end := 8 + int64(le.Uint32(d[4:]))
	if end > int64(len(d)) {
		return nil, imageErr("WebP: RIFF size %d exceeds the %d bytes of the stream", end-8, len(d)-8)
	}
	const alphaFlag = 1 << 4
	var (
		canvas    int64 // pixels of the VP8X canvas, if any
		flags     int64 = -1
		alpha, bs bool  // an ALPH chunk seen before the bitstream; a bitstream seen
	)
	for off := int64(12); off < end; {
		if end-off < 8 {
			return nil, imageErr("WebP: truncated chunk header at byte %d", off)
		}
		id := string(d[off : off+4])
		n := int64(le.Uint32(d[off+4:]))
		body := off + 8
		if n > end-body {
			return nil, imageErr("WebP: %q chunk of %d bytes exceeds the stream", id, n)
		}
		switch id {
		case "VP8X":
			if n >= 10 && flags < 0 {
				flags = body
				w := int64(le.Uint32(d[body+4:])&0xffffff) + 1
				h := int64(le.Uint32(d[body+6:])>>8) + 1
				canvas = w * h
			}
		case "ALPH":
			if n >= 1 && d[body]&3 == 0 && n-1 < canvas {
				return nil, imageErr("WebP: uncompressed alpha has %d bytes for %d pixels", n-1, canvas)
			}
			alpha = alpha || !bs
		case "VP8 ":
			if flags >= 0 && !bs && alpha != (d[flags]&alphaFlag != 0) {
				d = bytes.Clone(d)
				d[flags] ^= alphaFlag
			}
			bs = true
		case "VP8L":
			bs = true
		}
		off = body + n + n&1
	}
	return d, nil
}

// webpDecodeGuarded runs the x/image decoder, turning a panic inside it (a
// bug there, triggered by a hostile stream) into an error.
func webpDecodeGuarded(d []byte) (m image.Image, err error) {
	defer func() {
		if r := recover(); r != nil {
			m, err = nil, fmt.Errorf("decoder failed on a malformed stream: %v", r)
		}
	}()
	return webp.Decode(bytes.NewReader(d))
}

// webpAnimated reports whether a RIFF/WEBP stream starts with a VP8X chunk
// that has the animation flag set.
func webpAnimated(d []byte) bool {
	const animationFlag = 1 << 1
	return len(d) >= 21 && string(d[12:16]) == "VP8X" && binary.LittleEndian.Uint32(d[16:]) >= 1 && d[20]&animationFlag != 0
}

// webpYCbCrToRGB converts a 4:2:0 image to RGB as libwebp does with its
// default ("fancy") upsampler. Output row r takes its chroma from the
// nearest chroma row n = r/2 (weight 3) and the other vertical neighbour f
// (weight 1): row r-1's chroma row for even r, row r+1's for odd r, and n
// itself at the top and bottom edges.
func webpYCbCrToRGB(m *image.YCbCr) *imageRGB {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	ch := (h + 1) / 2
	img := &imageRGB{w: w, h: h, pix: make([]uint8, w*h*3)}
	cw := (w + 1) / 2
	u := make([]uint8, w)
	v := make([]uint8, w)
	for r := 0; r < h; r++ {
		n := r >> 1
		f := n - 1
		if r&1 == 1 {
			f = n + 1
		}
		f = max(0, min(f, ch-1))
		webpUpsampleRow(u, m.Cb[n*m.CStride:n*m.CStride+cw], m.Cb[f*m.CStride:f*m.CStride+cw])
		webpUpsampleRow(v, m.Cr[n*m.CStride:n*m.CStride+cw], m.Cr[f*m.CStride:f*m.CStride+cw])
		y := m.Y[r*m.YStride : r*m.YStride+w]
		out := img.pix[r*w*3 : (r+1)*w*3]
		for x := range y {
			out[3*x], out[3*x+1], out[3*x+2] = webpYUVToRGB(int32(y[x]), int32(u[x]), int32(v[x]))
		}
	}
	return img
}

// webpUpsampleRow computes one output row (len(dst) pixels) of one chroma
// plane from the near chroma row n and the far one f (each (len(dst)+1)/2
// samples), with libwebp's fixed-point weights. Between chroma columns
// x-1 and x, with a = n[x-1], b = n[x], c = f[x-1], d = f[x] and
// s = a + b + c + d + 8, pixel 2x-1 (nearer column x-1) is
// ((s + 2(b+c))>>3 + a)>>1 and pixel 2x is ((s + 2(a+d))>>3 + b)>>1, about
// (9a + 3b + 3c + d)/16 and (3a + 9b + c + 3d)/16. Pixel 0, and the last
// pixel when the width is even, take (3·near + far + 2)>>2 of their own
// column.
func webpUpsampleRow(dst, n, f []uint8) {
	w := len(dst)
	if w == 0 {
		return
	}
	edge := func(i int) uint8 { return uint8((3*uint32(n[i]) + uint32(f[i]) + 2) >> 2) }
	dst[0] = edge(0)
	for x := 1; x <= (w-1)/2; x++ {
		a, b := uint32(n[x-1]), uint32(n[x])
		c, d := uint32(f[x-1]), uint32(f[x])
		s := a + b + c + d + 8
		dst[2*x-1] = uint8(((s+2*(b+c))>>3 + a) >> 1)
		dst[2*x] = uint8(((s+2*(a+d))>>3 + b) >> 1)
	}
	if w&1 == 0 {
		dst[w-1] = edge(w/2 - 1)
	}
}

// webpYUVToRGB is libwebp's BT.601 limited-range conversion in 14-bit
// fixed point: with hi(v, k) = (v·k)>>8,
//
//	R = (hi(y,19077) + hi(v,26149) - 14234) >> 6
//	G = (hi(y,19077) - hi(u,6419) - hi(v,13320) + 8708) >> 6
//	B = (hi(y,19077) + hi(u,33050) - 17685) >> 6
//
// each clamped to [0, 255] (≈ 1.164(Y-16) + 1.596(V-128), and so on).
func webpYUVToRGB(y, u, v int32) (uint8, uint8, uint8) {
	hi := func(x, k int32) int32 { return (x * k) >> 8 }
	yy := hi(y, 19077)
	return webpClip(yy + hi(v, 26149) - 14234),
		webpClip(yy - hi(u, 6419) - hi(v, 13320) + 8708),
		webpClip(yy + hi(u, 33050) - 17685)
}

// webpClip descales a 14-bit fixed-point value (6 fraction bits) to 8 bits
// with saturation.
func webpClip(x int32) uint8 {
	switch {
	case x < 0:
		return 0
	case x >= 256<<6:
		return 255
	}
	return uint8(x >> 6)
}
