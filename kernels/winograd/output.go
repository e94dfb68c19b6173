package winograd

// output transforms output channels [c0, c1) of the tiles [g0, g0+nb)
// from M (element ξ of tile g0+j, channel co at m[(ξ·ld + j)·cout + co])
// into y, 16 channels of one tile at a time, adding the bias and applying
// the activation as the values are stored; parts of edge tiles past the
// output plane are dropped.
func (j *job) output(g0, nb, ld, c0, c1 int, mb, aux []float32) {
	p := &j.p
	o := (*[256]float32)(aux[:256])
	tmp := (*[384]float32)(aux[256:640])
	per := p.th * p.tw
	ss := ld * p.cout
	for g := g0; g < g0+nb; g++ {
		img, r := g/per, g%per
		ty, tx := r/p.tw, r%p.tw
		oy, ox := ty*p.m, tx*p.m
		rows, cols := min(p.m, p.oh-oy), min(p.m, p.ow-ox)
		for co := c0; co < c1; co += 16 {
			lanes := min(16, c1-co)
			src := mb[(g-g0)*p.cout+co:]
			if fast := j.cv.out43; fast != nil && lanes == 16 {
				j.fast43(fast, src, ss, o, img, co, oy, ox, rows, cols)
				continue
			}
			switch p.m {
			case 4:
				outTile43(o, tmp, src, ss, lanes)
			case 2:
				outTile23(o, tmp, src, ss, lanes)
			default:
				panic("BUG: winograd: no output transform for tile size")
			}
			j.store(o, img, co, lanes, oy, ox, rows, cols)
		}
	}
}

// store writes rows×cols of the m×m tile o (lane l = channel co+l) at
// (oy, ox) of image img, adding the bias and applying ReLU if asked.
func (j *job) store(o *[256]float32, img, co, lanes, oy, ox, rows, cols int) {
	p := &j.p
	plane := p.oh * p.ow
	for l := range lanes {
		var b float32
		if j.bias != nil {
			b = j.bias[co+l]
		}
		base := (img*p.cout+co+l)*plane + oy*p.ow + ox
		for r := range rows {
			dst := j.y[base+r*p.ow : base+r*p.ow+cols]
			src := o[r*p.m*16+l:]
			for q := range dst {
				v := src[q*16] + b
				if j.relu && v < 0 {
					v = 0
				}
				dst[q] = v
			}
		}
	}
}

// fast43 runs the assembly output transform of 16 channels of one tile,
// straight into y when the tile is whole, else into o and then the part
// inside the plane into y.
func (j *job) fast43(fast out43Func, src []float32, ss int, o *[256]float32, img, co, oy, ox, rows, cols int) {
	p := &j.p
	_ = src[35*ss+15] // the assembly does not check bounds
	var bias []float32
	if j.bias != nil {
		bias = j.bias[co : co+16]
	}
	relu := 0
	if j.relu {
		relu = 1
	}
	plane := p.oh * p.ow
	base := (img*p.cout+co)*plane + oy*p.ow + ox
	if rows == 4 && cols == 4 {
		y := j.y[base : base+15*plane+3*p.ow+4]
		fast(src, ss, y, plane, p.ow, bias, relu)
		return
	}
	fast(src, ss, o[:], 16, 4, bias, relu)
	for l := range 16 {
		for r := range rows {
			copy(j.y[base+l*plane+r*p.ow:base+l*plane+r*p.ow+cols], o[l*16+r*4:l*16+r*4+cols])
		}
	}
}
