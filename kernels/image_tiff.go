package kernels

import "encoding/binary"

// tiffDecode decodes the first image of a baseline TIFF: 8-bit RGB (3 or 4
// samples, chunky), grayscale or palette, uncompressed or PackBits, in
// strips. Only the tags it reads are parsed (the first of each), each with
// at most as many values as d holds. The strips must hold the declared
// pixels before they are allocated: uncompressed, at least w·h·samples
// bytes; PackBits, at most 64 decoded bytes per byte (a two-byte run gives
// 128), and no strips may together count more bytes than d has (strips
// pointing at the same bytes could otherwise multiply them).
func tiffDecode(d []byte, lim imageLimit) (*imageRGB, error) {
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
		if _, seen := tags[tag]; seen || !tiffTagsRead[tag] || size == 0 || cnt < 0 || cnt > len(d) {
			continue
		}
		p := 8
		if size*cnt > 4 {
			p = 0
			off := int(bo.Uint32(e[8:]))
			if off < 0 || off > len(d) || size*cnt > len(d)-off {
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
	if err := lim.check(w, h); err != nil {
		return nil, err
	}
	if spp < 1 || spp > 4 {
		return nil, imageErr("bad TIFF image with %d samples", spp)
	}
	offs, counts := tags[273], tags[279]
	if len(offs) == 0 || len(offs) != len(counts) {
		return nil, imageErr("TIFF strips missing")
	}
	need, total := w*h*spp, 0
	for i, o := range offs {
		if o < 0 || counts[i] < 0 || o > len(d) || counts[i] > len(d)-o {
			return nil, imageErr("TIFF strip %d out of range", i)
		}
		total += counts[i]
	}
	if total > len(d) {
		return nil, imageErr("TIFF strip byte counts total %d, more than the %d bytes of the stream", total, len(d))
	}
	most := total
	if comp == 32773 {
		most = 64 * total
	}
	if most < need {
		return nil, imageErr("TIFF pixel data truncated: %dx%d with %d samples needs %d bytes, the strips hold at most %d", w, h, spp, need, most)
	}
	raw := make([]byte, 0, need)
	for i, o := range offs {
		s := d[o : o+counts[i]]
		if comp != 32773 {
			raw = append(raw, s[:min(len(s), need-len(raw))]...)
			continue
		}
		var ok bool
		if raw, ok = tiffPackBits(raw, s, need); !ok {
			return nil, imageErr("TIFF PackBits strip %d decodes past the %d bytes of the image", i, need)
		}
	}
	if len(raw) < need {
		return nil, imageErr("TIFF pixel data truncated: %dx%d with %d samples needs %d bytes, the strips hold %d", w, h, spp, need, len(raw))
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

// tiffTagsRead are the tags tiffDecode uses; others are skipped unread.
var tiffTagsRead = map[uint16]bool{256: true, 257: true, 258: true, 259: true, 262: true, 273: true, 277: true, 279: true, 284: true, 317: true, 320: true}

// tiffPackBits appends the expansion of the PackBits run-length data s to
// out; ok is false, and out is left short of the run, when the expansion
// would make out longer than limit.
func tiffPackBits(out, s []byte, limit int) (_ []byte, ok bool) {
	for i := 0; i < len(s); {
		n := int(int8(s[i]))
		i++
		switch {
		case n >= 0:
			end := min(i+n+1, len(s))
			if len(out)+end-i > limit {
				return out, false
			}
			out = append(out, s[i:end]...)
			i = end
		case n != -128 && i < len(s):
			if len(out)+1-n > limit {
				return out, false
			}
			for k := 0; k < 1-n; k++ {
				out = append(out, s[i])
			}
			i++
		}
	}
	return out, true
}
