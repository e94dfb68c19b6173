package kernels

import "encoding/binary"

// tiffDecode decodes the first image of a baseline TIFF: 8-bit RGB (3 or 4
// samples, chunky), grayscale or palette, uncompressed or PackBits, in
// strips.
func tiffDecode(d []byte) (*imageRGB, error) {
	var bo binary.ByteOrder = binary.LittleEndian
	if d[0] == 'M' {
		bo = binary.BigEndian
	}
	if len(d) < 8 {
		return nil, imageErr("TIFF header truncated")
	}
	ifd := int(bo.Uint32(d[4:]))
	if ifd < 8 || ifd+2 > len(d) {
		return nil, imageErr("bad TIFF IFD offset")
	}
	n := int(bo.Uint16(d[ifd:]))
	if ifd+2+12*n > len(d) {
		return nil, imageErr("TIFF IFD truncated")
	}
	tags := map[uint16][]int{}
	for i := 0; i < n; i++ {
		e := d[ifd+2+12*i:]
		tag, typ, cnt := bo.Uint16(e), bo.Uint16(e[2:]), int(bo.Uint32(e[4:]))
		size := map[uint16]int{1: 1, 3: 2, 4: 4}[typ]
		if size == 0 || cnt < 0 || cnt > 1<<24 {
			continue
		}
		p := 8
		if size*cnt > 4 {
			p = 0
			off := int(bo.Uint32(e[8:]))
			if off < 0 || off+size*cnt > len(d) {
				return nil, imageErr("TIFF tag %d out of range", tag)
			}
			e = d[off:]
		}
		vals := make([]int, cnt)
		for k := range vals {
			switch size {
			case 1:
				vals[k] = int(e[p+k])
			case 2:
				vals[k] = int(bo.Uint16(e[p+2*k:]))
			case 4:
				vals[k] = int(bo.Uint32(e[p+4*k:]))
			}
		}
		tags[tag] = vals
	}
	get := func(tag uint16, def int) int {
		if v, ok := tags[tag]; ok && len(v) > 0 {
			return v[0]
		}
		return def
	}
	w, h := get(256, 0), get(257, 0)
	spp, comp, photo := get(277, 1), get(259, 1), get(262, 1)
	if bps := get(258, 8); bps != 8 {
		return nil, imageErr("TIFF with %d bits per sample is not supported", bps)
	}
	if get(284, 1) != 1 {
		return nil, imageErr("planar TIFF is not supported")
	}
	if comp != 1 && comp != 32773 {
		return nil, imageErr("TIFF compression %d is not supported", comp)
	}
	if get(317, 1) != 1 {
		return nil, imageErr("TIFF predictors are not supported")
	}
	if err := imageCheckSize(w, h); err != nil {
		return nil, err
	}
	if spp < 1 || spp > 4 {
		return nil, imageErr("bad TIFF image with %d samples", spp)
	}
	offs, counts := tags[273], tags[279]
	if len(offs) == 0 || len(offs) != len(counts) {
		return nil, imageErr("TIFF strips missing")
	}
	raw := make([]byte, 0, w*h*spp)
	for i, o := range offs {
		if o < 0 || counts[i] < 0 || o+counts[i] > len(d) {
			return nil, imageErr("TIFF strip out of range")
		}
		s := d[o : o+counts[i]]
		if comp == 32773 {
			s = tiffPackBits(s)
		}
		raw = append(raw, s...)
	}
	if len(raw) < w*h*spp {
		return nil, imageErr("TIFF pixel data truncated")
	}
	img := &imageRGB{w: w, h: h}
	switch {
	case photo == 2 && spp >= 3:
		img.pix = make([]uint8, w*h*3)
		for i := 0; i < w*h; i++ {
			copy(img.pix[3*i:3*i+3], raw[i*spp:])
		}
	case (photo == 0 || photo == 1) && spp <= 2:
		img.gray = true
		img.pix = make([]uint8, w*h)
		for i := range img.pix {
			v := raw[i*spp]
			if photo == 0 {
				v = 255 - v
			}
			img.pix[i] = v
		}
	case photo == 3 && spp == 1:
		cm := tags[320]
		if len(cm) != 3*256 {
			return nil, imageErr("TIFF palette missing")
		}
		img.pix = make([]uint8, w*h*3)
		for i := 0; i < w*h; i++ {
			k := int(raw[i])
			img.pix[3*i], img.pix[3*i+1], img.pix[3*i+2] = uint8(cm[k]>>8), uint8(cm[256+k]>>8), uint8(cm[512+k]>>8)
		}
	default:
		return nil, imageErr("TIFF photometric interpretation %d with %d samples is not supported", photo, spp)
	}
	return img, nil
}

// tiffPackBits expands PackBits run-length data.
func tiffPackBits(s []byte) []byte {
	var out []byte
	for i := 0; i < len(s); {
		n := int(int8(s[i]))
		i++
		switch {
		case n >= 0:
			end := min(i+n+1, len(s))
			out = append(out, s[i:end]...)
			i = end
		case n != -128 && i < len(s):
			for k := 0; k < 1-n; k++ {
				out = append(out, s[i])
			}
			i++
		}
	}
	return out
}
