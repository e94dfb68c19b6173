package kernels

import "strconv"

// pnmDecode decodes the Netpbm formats: P1/P4 bitmaps (1 = black), P2/P5
// graymaps and P3/P6 pixmaps, ASCII or binary, with maxval up to 65535
// (scaled to 8 bits). The samples the header declares must fit in what is
// left of d (exactly, for the binary formats; at one byte per P1 bit and two
// per P2/P3 sample, digit and separator, for the ASCII ones) before the
// image is allocated.
func pnmDecode(d []byte, lim imageLimit) (*imageRGB, error) {
	kind := d[1]
	pos := 2
	next := func() (int, error) {
		for pos < len(d) {
			switch c := d[pos]; {
			case c == '#':
				for pos < len(d) && d[pos] != '\n' && d[pos] != '\r' {
					pos++
				}
			case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f':
				pos++
			default:
				start := pos
				for pos < len(d) && d[pos] >= '0' && d[pos] <= '9' {
					pos++
				}
				if start == pos {
					return 0, imageErr("bad PNM header")
				}
				v, err := strconv.Atoi(string(d[start:pos]))
				if err != nil {
					return 0, imageErr("bad PNM header number %.20q", d[start:pos])
				}
				return v, nil
			}
		}
		return 0, imageErr("PNM truncated")
	}
	w, err := next()
	if err != nil {
		return nil, err
	}
	h, err := next()
	if err != nil {
		return nil, err
	}
	maxv := 1
	if kind != '1' && kind != '4' {
		if maxv, err = next(); err != nil {
			return nil, err
		}
	}
	if err := lim.check(w, h); err != nil {
		return nil, err
	}
	if maxv <= 0 || maxv > 65535 {
		return nil, imageErr("bad PNM maxval %d", maxv)
	}
	binary := kind >= '4'
	if binary {
		pos++ // the single whitespace after the header
	}
	ch := 1
	if kind == '3' || kind == '6' {
		ch = 3
	}
	if need, have := pnmMinBytes(kind, w, h, ch, maxv), len(d)-pos; need > have {
		return nil, imageErr("PNM data truncated: %dx%d P%c needs at least %d bytes of samples, the stream has %d", w, h, kind, need, max(have, 0))
	}
	img := &imageRGB{w: w, h: h, gray: ch == 1, pix: make([]uint8, w*h*ch)}
	scale := func(v int) uint8 {
		if v > maxv {
			v = maxv
		}
		return uint8((v*255 + maxv/2) / maxv)
	}
	switch {
	case kind == '4':
		stride := (w + 7) / 8
		if pos+stride*h > len(d) {
			return nil, imageErr("PBM data truncated")
		}
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				if d[pos+y*stride+x/8]>>(7-x%8)&1 == 0 {
					img.pix[y*w+x] = 255
				}
			}
		}
	case binary:
		bps := 1
		if maxv > 255 {
			bps = 2
		}
		n := w * h * ch
		if pos+n*bps > len(d) {
			return nil, imageErr("PNM data truncated")
		}
		for i := 0; i < n; i++ {
			v := int(d[pos+i*bps])
			if bps == 2 {
				v = v<<8 | int(d[pos+i*bps+1])
			}
			img.pix[i] = scale(v)
		}
	default:
		for i := range img.pix {
			if kind == '1' {
				for pos < len(d) && d[pos] != '0' && d[pos] != '1' {
					pos++
				}
				if pos >= len(d) {
					return nil, imageErr("PBM data truncated")
				}
				if d[pos] == '0' {
					img.pix[i] = 255
				}
				pos++
				continue
			}
			v, err := next()
			if err != nil {
				return nil, err
			}
			img.pix[i] = scale(v)
		}
	}
	return img, nil
}

// pnmMinBytes is the fewest bytes that can hold the samples of a w×h PNM
// image of kind P1–P6 with ch channels: exact for the binary kinds, one
// byte per P1 bit (no separators are needed) and two per P2/P3 sample (a
// digit and a separator, none after the last).
func pnmMinBytes(kind byte, w, h, ch, maxv int) int {
	n := w * h * ch
	switch kind {
	case '1':
		return n
	case '2', '3':
		return 2*n - 1
	case '4':
		return (w + 7) / 8 * h
	}
	if maxv > 255 {
		return 2 * n
	}
	return n
}
