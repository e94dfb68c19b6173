package kernels

import "encoding/binary"

// bmpDecode decodes an uncompressed Windows bitmap (BI_RGB or BI_BITFIELDS
// with the usual masks) of 8 (palette), 24 or 32 bits per pixel, bottom-up
// or top-down. The pixel rows the header declares must all be in d before
// anything is allocated for them.
func bmpDecode(d []byte, lim imageLimit) (*imageRGB, error) {
	if len(d) < 26 {
		return nil, imageErr("BMP header truncated")
	}
	le := binary.LittleEndian
	off := int(le.Uint32(d[10:]))
	hdr := int(le.Uint32(d[14:]))
	if hdr < 40 || len(d) < 14+hdr {
		if hdr == 12 && len(d) >= 26 { // OS/2 BITMAPCOREHEADER
			return bmpPixels(d, lim, off, int(le.Uint16(d[18:])), int(int16(le.Uint16(d[20:]))), int(le.Uint16(d[24:])), 0, 14+hdr, 3)
		}
		return nil, imageErr("unsupported BMP header size %d", hdr)
	}
	w := int(int32(le.Uint32(d[18:])))
	h := int(int32(le.Uint32(d[22:])))
	bpp := int(le.Uint16(d[28:]))
	comp := le.Uint32(d[30:])
	if comp != 0 && comp != 3 {
		return nil, imageErr("compressed BMP (method %d) is not supported", comp)
	}
	colors := int(le.Uint32(d[46:]))
	return bmpPixels(d, lim, off, w, h, bpp, colors, 14+hdr, 4)
}

func bmpPixels(d []byte, lim imageLimit, off, w, h, bpp, colors, palOff, palEntry int) (*imageRGB, error) {
	topDown := h < 0
	if topDown {
		h = -h
	}
	if err := lim.check(w, h); err != nil {
		return nil, err
	}
	if bpp != 8 && bpp != 24 && bpp != 32 && bpp != 1 && bpp != 4 {
		return nil, imageErr("unsupported BMP depth %d", bpp)
	}
	stride := ((w*bpp + 31) / 32) * 4
	if off < 0 || off > len(d) || stride*h > len(d)-off {
		return nil, imageErr("BMP pixel data truncated: %dx%d at %d bits needs %d bytes from offset %d, the stream has %d", w, h, bpp, stride*h, off, len(d))
	}
	var pal [][3]uint8
	if bpp <= 8 {
		if colors == 0 {
			colors = 1 << bpp
		}
		for i := 0; i < colors; i++ {
			p := palOff + i*palEntry
			if p+3 > len(d) {
				return nil, imageErr("BMP palette truncated")
			}
			pal = append(pal, [3]uint8{d[p+2], d[p+1], d[p]})
		}
	}
	img := &imageRGB{w: w, h: h, pix: make([]uint8, w*h*3)}
	for y := 0; y < h; y++ {
		sy := h - 1 - y
		if topDown {
			sy = y
		}
		row := d[off+sy*stride:]
		for x := 0; x < w; x++ {
			o := img.pix[(y*w+x)*3:]
			switch bpp {
			case 24, 32:
				p := row[x*bpp/8:]
				o[0], o[1], o[2] = p[2], p[1], p[0]
			default:
				bit := x * bpp
				idx := int(row[bit/8]>>(8-bpp-bit%8)) & (1<<bpp - 1)
				if idx >= len(pal) {
					return nil, imageErr("BMP palette index %d out of range", idx)
				}
				o[0], o[1], o[2] = pal[idx][0], pal[idx][1], pal[idx][2]
			}
		}
	}
	return img, nil
}
