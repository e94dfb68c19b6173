package kernels

import "encoding/binary"

// A baseline (sequential Huffman, 8-bit) JPEG decoder producing the exact
// samples libjpeg-turbo does with its default "islow" integer IDCT, which
// the ONNX ImageDecoder tests were generated with. Progressive, arithmetic
// or 12-bit streams return an error so the caller can fall back to Go's
// image/jpeg.

type jpegComponent struct {
	id, h, v, tq int
	td, ta       int
	bw, bh       int     // allocated blocks across and down
	coef         []int32 // bw*bh blocks of 64 coefficients (natural order)
	pred         int32
}

type jpegDecoder struct {
	d       []byte
	pos     int
	qt      [4][64]int32
	dc, ac  [4]*jpegHuffman
	comps   []*jpegComponent
	w, h    int
	hmax    int
	vmax    int
	restart int
	frame   bool
	lim     imageLimit

	// bit reader
	bits   uint32
	nbits  int
	marker bool
}

type jpegHuffman struct {
	maxcode [18]int32
	valptr  [17]int32
	mincode [17]int32
	vals    []uint8
}

// jpegZigzag maps zigzag index to natural (row-major) index.
var jpegZigzag = [64]int{
	0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5,
	12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
	35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
	58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
}

// jpegBaseline decodes d into component planes and returns the image. A
// component's coefficients are allocated at its first scan, once the rest
// of the stream is known to be long enough to code its blocks (at least
// two bits each: a DC and an end-of-block code), so a short stream never
// makes it allocate for the size its frame header declares.
func jpegBaseline(d []byte, lim imageLimit) (*imageRGB, error) {
	j := &jpegDecoder{d: d, pos: 2, lim: lim}
	be := binary.BigEndian
	for {
		// Find the next marker.
		for j.pos < len(d) && d[j.pos] != 0xff {
			j.pos++
		}
		for j.pos < len(d) && d[j.pos] == 0xff {
			j.pos++
		}
		if j.pos >= len(d) {
			return nil, imageErr("JPEG: no end of image")
		}
		m := d[j.pos]
		j.pos++
		if m == 0xd9 { // EOI
			break
		}
		if m >= 0xd0 && m <= 0xd7 || m == 0x01 {
			continue
		}
		if j.pos+2 > len(d) {
			return nil, imageErr("JPEG: truncated segment")
		}
		n := int(be.Uint16(d[j.pos:]))
		if n < 2 || j.pos+n > len(d) {
			return nil, imageErr("JPEG: bad segment length")
		}
		seg := d[j.pos+2 : j.pos+n]
		j.pos += n
		var err error
		switch {
		case m == 0xdb:
			err = j.readDQT(seg)
		case m == 0xc4:
			err = j.readDHT(seg)
		case m == 0xc0 || m == 0xc1:
			err = j.readSOF(seg)
		case m >= 0xc2 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc:
			return nil, imageErr("JPEG: only baseline/sequential Huffman streams are decoded here (SOF%d)", m-0xc0)
		case m == 0xdd:
			if len(seg) < 2 {
				return nil, imageErr("JPEG: bad DRI")
			}
			j.restart = int(be.Uint16(seg))
		case m == 0xda:
			err = j.readScan(seg)
		}
		if err != nil {
			return nil, err
		}
	}
	if !j.frame {
		return nil, imageErr("JPEG: no frame")
	}
	return j.output()
}

func (j *jpegDecoder) readDQT(s []byte) error {
	for len(s) > 0 {
		p, t := int(s[0]>>4), int(s[0]&15)
		if t > 3 || p > 1 {
			return imageErr("JPEG: bad DQT")
		}
		size := 64 * (p + 1)
		if len(s) < 1+size {
			return imageErr("JPEG: truncated DQT")
		}
		for i := 0; i < 64; i++ {
			v := int32(s[1+i])
			if p == 1 {
				v = int32(s[1+2*i])<<8 | int32(s[2+2*i])
			}
			j.qt[t][jpegZigzag[i]] = v
		}
		s = s[1+size:]
	}
	return nil
}

func (j *jpegDecoder) readDHT(s []byte) error {
	for len(s) > 0 {
		if len(s) < 17 {
			return imageErr("JPEG: truncated DHT")
		}
		class, id := int(s[0]>>4), int(s[0]&15)
		if class > 1 || id > 3 {
			return imageErr("JPEG: bad DHT")
		}
		t := &jpegHuffman{}
		total := 0
		code := int32(0)
		for l := 1; l <= 16; l++ {
			n := int(s[l])
			t.valptr[l] = int32(total)
			t.mincode[l] = code
			code += int32(n)
			total += n
			if n > 0 {
				t.maxcode[l] = code - 1
			} else {
				t.maxcode[l] = -1
			}
			code <<= 1
		}
		t.maxcode[17] = 1 << 30
		if len(s) < 17+total {
			return imageErr("JPEG: truncated DHT values")
		}
		t.vals = append([]uint8{}, s[17:17+total]...)
		if class == 0 {
			j.dc[id] = t
		} else {
			j.ac[id] = t
		}
		s = s[17+total:]
	}
	return nil
}

func (j *jpegDecoder) readSOF(s []byte) error {
	if j.frame || len(s) < 6 || s[0] != 8 {
		return imageErr("JPEG: unsupported frame (precision or duplicate)")
	}
	j.h = int(binary.BigEndian.Uint16(s[1:]))
	j.w = int(binary.BigEndian.Uint16(s[3:]))
	nc := int(s[5])
	if j.w <= 0 || j.h <= 0 || (nc != 1 && nc != 3) || len(s) < 6+3*nc {
		return imageErr("JPEG: unsupported frame %dx%d with %d components", j.w, j.h, nc)
	}
	if err := j.lim.check(j.w, j.h); err != nil {
		return err
	}
	j.hmax, j.vmax = 1, 1
	for i := 0; i < nc; i++ {
		c := &jpegComponent{id: int(s[6+3*i]), h: int(s[7+3*i] >> 4), v: int(s[7+3*i] & 15), tq: int(s[8+3*i] & 3)}
		if c.h < 1 || c.h > 4 || c.v < 1 || c.v > 4 {
			return imageErr("JPEG: bad sampling factors")
		}
		j.hmax, j.vmax = max(j.hmax, c.h), max(j.vmax, c.v)
		j.comps = append(j.comps, c)
	}
	mcuX := (j.w + 8*j.hmax - 1) / (8 * j.hmax)
	mcuY := (j.h + 8*j.vmax - 1) / (8 * j.vmax)
	for _, c := range j.comps {
		c.bw, c.bh = mcuX*c.h, mcuY*c.v
	}
	j.frame = true
	return nil
}

func (j *jpegDecoder) readScan(s []byte) error {
	if !j.frame || len(s) < 1 {
		return imageErr("JPEG: scan before frame")
	}
	ns := int(s[0])
	if ns < 1 || ns > 4 || len(s) < 1+2*ns+3 {
		return imageErr("JPEG: bad scan header")
	}
	var comps []*jpegComponent
	for i := 0; i < ns; i++ {
		id := int(s[1+2*i])
		var c *jpegComponent
		for _, cc := range j.comps {
			if cc.id == id {
				c = cc
			}
		}
		if c == nil {
			return imageErr("JPEG: scan names unknown component %d", id)
		}
		c.td, c.ta = int(s[2+2*i]>>4), int(s[2+2*i]&15)
		if c.td > 3 || c.ta > 3 || j.dc[c.td] == nil || j.ac[c.ta] == nil {
			return imageErr("JPEG: missing Huffman table")
		}
		c.pred = 0
		comps = append(comps, c)
	}
	if ss, se, a := s[1+2*ns], s[2+2*ns], s[3+2*ns]; ss != 0 || se != 63 || a != 0 {
		return imageErr("JPEG: not a sequential scan")
	}
	j.bits, j.nbits, j.marker = 0, 0, false
	// MCU layout.
	var mcuX, mcuY int
	if ns == 1 {
		c := comps[0]
		cw := (j.w*c.h + j.hmax - 1) / j.hmax
		ch := (j.h*c.v + j.vmax - 1) / j.vmax
		mcuX, mcuY = (cw+7)/8, (ch+7)/8
	} else {
		mcuX = (j.w + 8*j.hmax - 1) / (8 * j.hmax)
		mcuY = (j.h + 8*j.vmax - 1) / (8 * j.vmax)
	}
	total := mcuX * mcuY
	blocks := 0
	for _, c := range comps {
		if ns == 1 {
			blocks += total
		} else {
			blocks += total * c.h * c.v
		}
	}
	if have := len(j.d) - j.pos; blocks > 4*have {
		return imageErr("JPEG: scan of %d blocks needs at least %d bytes, the stream has %d left", blocks, (blocks+3)/4, have)
	}
	for _, c := range comps {
		if c.coef == nil {
			c.coef = make([]int32, c.bw*c.bh*64)
		}
	}
	for m := 0; m < total; m++ {
		if j.restart > 0 && m > 0 && m%j.restart == 0 {
			j.syncRestart()
			for _, c := range comps {
				c.pred = 0
			}
		}
		mx, my := m%mcuX, m/mcuX
		for _, c := range comps {
			if ns == 1 {
				if err := j.decodeBlock(c, my*c.bw+mx); err != nil {
					return err
				}
				continue
			}
			for by := 0; by < c.v; by++ {
				for bx := 0; bx < c.h; bx++ {
					if err := j.decodeBlock(c, (my*c.v+by)*c.bw+mx*c.h+bx); err != nil {
						return err
					}
				}
			}
		}
	}
	// Leave pos at the next marker.
	for j.pos < len(j.d) && !(j.d[j.pos] == 0xff && j.pos+1 < len(j.d) && j.d[j.pos+1] != 0 && !(j.d[j.pos+1] >= 0xd0 && j.d[j.pos+1] <= 0xd7)) {
		j.pos++
	}
	return nil
}

// syncRestart skips to just past the next RSTn marker.
func (j *jpegDecoder) syncRestart() {
	j.bits, j.nbits, j.marker = 0, 0, false
	for j.pos+1 < len(j.d) {
		if j.d[j.pos] == 0xff && j.d[j.pos+1] >= 0xd0 && j.d[j.pos+1] <= 0xd7 {
			j.pos += 2
			return
		}
		j.pos++
	}
}

func (j *jpegDecoder) bit() int32 {
	if j.nbits == 0 {
		var b byte
		if !j.marker && j.pos < len(j.d) {
			b = j.d[j.pos]
			if b == 0xff {
				if j.pos+1 < len(j.d) && j.d[j.pos+1] == 0 {
					j.pos += 2
				} else {
					j.marker, b = true, 0
				}
			} else {
				j.pos++
			}
		}
		j.bits, j.nbits = uint32(b), 8
	}
	j.nbits--
	return int32(j.bits>>uint(j.nbits)) & 1
}

func (j *jpegDecoder) receive(n int) int32 {
	var v int32
	for i := 0; i < n; i++ {
		v = v<<1 | j.bit()
	}
	return v
}

func jpegExtend(v int32, n int) int32 {
	if n > 0 && v < 1<<(n-1) {
		return v - (1 << n) + 1
	}
	return v
}

func (j *jpegDecoder) decodeHuff(t *jpegHuffman) (int, error) {
	code := j.bit()
	l := 1
	for code > t.maxcode[l] {
		l++
		if l > 16 {
			return 0, imageErr("JPEG: bad Huffman code")
		}
		code = code<<1 | j.bit()
	}
	i := t.valptr[l] + code - t.mincode[l]
	if int(i) >= len(t.vals) || i < 0 {
		return 0, imageErr("JPEG: bad Huffman code")
	}
	return int(t.vals[i]), nil
}

func (j *jpegDecoder) decodeBlock(c *jpegComponent, block int) error {
	if block < 0 || (block+1)*64 > len(c.coef) {
		return imageErr("JPEG: block out of range")
	}
	blk := c.coef[block*64 : block*64+64]
	s, err := j.decodeHuff(j.dc[c.td])
	if err != nil {
		return err
	}
	if s > 16 {
		return imageErr("JPEG: bad DC size")
	}
	c.pred += jpegExtend(j.receive(s), s)
	blk[0] = c.pred
	for k := 1; k < 64; {
		rs, err := j.decodeHuff(j.ac[c.ta])
		if err != nil {
			return err
		}
		r, sz := rs>>4, rs&15
		if sz == 0 {
			if r != 15 {
				break
			}
			k += 16
			continue
		}
		k += r
		if k > 63 {
			return imageErr("JPEG: coefficient index out of range")
		}
		blk[jpegZigzag[k]] = jpegExtend(j.receive(sz), sz)
		k++
	}
	return nil
}

// output runs the IDCT, upsamples chroma and converts colours.
func (j *jpegDecoder) output() (*imageRGB, error) {
	planes := make([][]uint8, len(j.comps))
	dims := make([][2]int, len(j.comps))
	for i, c := range j.comps {
		if c.coef == nil {
			return nil, imageErr("JPEG: component %d has no scan", c.id)
		}
		pw := c.bw * 8
		p := make([]uint8, pw*c.bh*8)
		q := &j.qt[c.tq]
		for by := 0; by < c.bh; by++ {
			for bx := 0; bx < c.bw; bx++ {
				jpegIDCTIslow(c.coef[(by*c.bw+bx)*64:], q, p[by*8*pw+bx*8:], pw)
			}
		}
		cw := (j.w*c.h + j.hmax - 1) / j.hmax
		ch := (j.h*c.v + j.vmax - 1) / j.vmax
		plane := make([]uint8, cw*ch)
		for r := 0; r < ch; r++ {
			copy(plane[r*cw:(r+1)*cw], p[r*pw:])
		}
		planes[i], dims[i] = plane, [2]int{cw, ch}
	}
	if len(j.comps) == 1 {
		return &imageRGB{w: j.w, h: j.h, gray: true, pix: planes[0]}, nil
	}
	up := make([][]uint8, 3)
	for i, c := range j.comps {
		hs, vs := j.hmax/c.h, j.vmax/c.v
		if j.hmax%c.h != 0 || j.vmax%c.v != 0 || hs > 2 || vs > 2 {
			return nil, imageErr("JPEG: unsupported chroma subsampling")
		}
		up[i] = jpegFancyUpsample(planes[i], dims[i][0], dims[i][1], hs, vs, j.w, j.h)
	}
	img := &imageRGB{w: j.w, h: j.h, pix: make([]uint8, j.w*j.h*3)}
	for i := 0; i < j.w*j.h; i++ {
		p := img.pix[3*i:]
		p[0], p[1], p[2] = jpegYCCToRGB(int32(up[0][i]), int32(up[1][i]), int32(up[2][i]))
	}
	return img, nil
}

// jpegIDCTIslow is libjpeg's accurate integer inverse DCT (jidctint.c):
// the Loeffler–Ligtenberg–Moschytz algorithm with 13-bit constants and
// 2 extra bits of precision between the passes. It writes 8×8 samples
// (level-shifted and clamped) into out with the given stride.
func jpegIDCTIslow(coef []int32, q *[64]int32, out []uint8, stride int) {
	const (
		constBits = 13
		pass1Bits = 2
		f0298     = 2446
		f0390     = 3196
		f0541     = 4433
		f0765     = 6270
		f0899     = 7373
		f1175     = 9633
		f1501     = 12299
		f1847     = 15137
		f1961     = 16069
		f2053     = 16819
		f2562     = 20995
		f3072     = 25172
	)
	descale := func(x int32, n uint) int32 { return (x + 1<<(n-1)) >> n }
	var ws [64]int32
	for c := 0; c < 8; c++ {
		in := func(r int) int32 { return coef[r*8+c] * q[r*8+c] }
		if coef[8+c] == 0 && coef[16+c] == 0 && coef[24+c] == 0 && coef[32+c] == 0 &&
			coef[40+c] == 0 && coef[48+c] == 0 && coef[56+c] == 0 {
			dc := in(0) << pass1Bits
			for r := 0; r < 8; r++ {
				ws[r*8+c] = dc
			}
			continue
		}
		z2, z3 := in(2), in(6)
		z1 := (z2 + z3) * f0541
		tmp2 := z1 + z3*(-f1847)
		tmp3 := z1 + z2*f0765
		z2, z3 = in(0), in(4)
		tmp0 := (z2 + z3) << constBits
		tmp1 := (z2 - z3) << constBits
		tmp10, tmp13 := tmp0+tmp3, tmp0-tmp3
		tmp11, tmp12 := tmp1+tmp2, tmp1-tmp2
		tmp0, tmp1, tmp2, tmp3 = in(7), in(5), in(3), in(1)
		z1, z2, z3 = tmp0+tmp3, tmp1+tmp2, tmp0+tmp2
		z4 := tmp1 + tmp3
		z5 := (z3 + z4) * f1175
		tmp0 *= f0298
		tmp1 *= f2053
		tmp2 *= f3072
		tmp3 *= f1501
		z1 *= -f0899
		z2 *= -f2562
		z3 = z3*(-f1961) + z5
		z4 = z4*(-f0390) + z5
		tmp0 += z1 + z3
		tmp1 += z2 + z4
		tmp2 += z2 + z3
		tmp3 += z1 + z4
		const n = constBits - pass1Bits
		ws[0*8+c] = descale(tmp10+tmp3, n)
		ws[7*8+c] = descale(tmp10-tmp3, n)
		ws[1*8+c] = descale(tmp11+tmp2, n)
		ws[6*8+c] = descale(tmp11-tmp2, n)
		ws[2*8+c] = descale(tmp12+tmp1, n)
		ws[5*8+c] = descale(tmp12-tmp1, n)
		ws[3*8+c] = descale(tmp13+tmp0, n)
		ws[4*8+c] = descale(tmp13-tmp0, n)
	}
	limit := func(x int32) uint8 {
		x = (x+512)&1023 - 512 + 128 // libjpeg's RANGE_MASK wrap, then +CENTERJSAMPLE
		switch {
		case x < 0:
			return 0
		case x > 255:
			return 255
		}
		return uint8(x)
	}
	for r := 0; r < 8; r++ {
		w := ws[r*8 : r*8+8]
		o := out[r*stride : r*stride+8]
		const n = constBits + pass1Bits + 3
		if w[1] == 0 && w[2] == 0 && w[3] == 0 && w[4] == 0 && w[5] == 0 && w[6] == 0 && w[7] == 0 {
			v := limit(descale(w[0], pass1Bits+3))
			for i := range o {
				o[i] = v
			}
			continue
		}
		z2, z3 := w[2], w[6]
		z1 := (z2 + z3) * f0541
		tmp2 := z1 + z3*(-f1847)
		tmp3 := z1 + z2*f0765
		tmp0 := (w[0] + w[4]) << constBits
		tmp1 := (w[0] - w[4]) << constBits
		tmp10, tmp13 := tmp0+tmp3, tmp0-tmp3
		tmp11, tmp12 := tmp1+tmp2, tmp1-tmp2
		tmp0, tmp1, tmp2, tmp3 = w[7], w[5], w[3], w[1]
		z1, z2, z3 = tmp0+tmp3, tmp1+tmp2, tmp0+tmp2
		z4 := tmp1 + tmp3
		z5 := (z3 + z4) * f1175
		tmp0 *= f0298
		tmp1 *= f2053
		tmp2 *= f3072
		tmp3 *= f1501
		z1 *= -f0899
		z2 *= -f2562
		z3 = z3*(-f1961) + z5
		z4 = z4*(-f0390) + z5
		tmp0 += z1 + z3
		tmp1 += z2 + z4
		tmp2 += z2 + z3
		tmp3 += z1 + z4
		o[0] = limit(descale(tmp10+tmp3, n))
		o[7] = limit(descale(tmp10-tmp3, n))
		o[1] = limit(descale(tmp11+tmp2, n))
		o[6] = limit(descale(tmp11-tmp2, n))
		o[2] = limit(descale(tmp12+tmp1, n))
		o[5] = limit(descale(tmp12-tmp1, n))
		o[3] = limit(descale(tmp13+tmp0, n))
		o[4] = limit(descale(tmp13-tmp0, n))
	}
}
