package winograd

// input transforms input channels [c0, c1) of the tiles [g0, g0+nb) into
// V (element ξ of tile g0+j of channel c at v[(ξ·cin + c)·ld + j]; the
// ld-nb padding rows of the products are zero), one run of tiles along a
// tile row at a time.
func (j *job) input(g0, nb, ld, c0, c1 int, v, aux []float32) {
	p := &j.p
	if ld > nb {
		for xi := range p.a * p.a {
			for c := c0; c < c1; c++ {
				clear(v[(xi*p.cin+c)*ld+nb : (xi*p.cin+c+1)*ld])
			}
		}
	}
	per := p.th * p.tw
	plane := p.h * p.w
	for g := g0; g < g0+nb; {
		img, r := g/per, g%per
		ty, tx := r/p.tw, r%p.tw
		cnt := min(p.tw-tx, g0+nb-g)
		for c := c0; c < c1; c++ {
			x := j.x[(img*p.cin+c)*plane : (img*p.cin+c+1)*plane]
			j.inputRun(x, ty, tx, cnt, v[c*ld+g-g0:], p.cin*ld, aux)
		}
		g += cnt
	}
}

// inputRun transforms the cnt tiles from (ty, tx) of the input plane x:
// the a input rows they cover (zero outside the plane) go through Bᵀ
// column-wise into a rows of t, whose overlapping windows then go through
// B tile by tile.
func (j *job) inputRun(x []float32, ty, tx, cnt int, v []float32, vs int, aux []float32) {
	p := &j.p
	cv := j.cv
	m, a := p.m, p.a
	y0, x0 := ty*m-cv.padT, tx*m-cv.padL
	ts := cnt*m + 2
	lo := min(max(-x0, 0), ts)
	hi := min(max(p.w-x0, lo), ts)
	buf := aux[640 : 640+(a+1)*ts]
	t, zero := buf[:a*ts], buf[a*ts:a*ts+hi-lo]
	var rows [6][]float32
	zeroed := false
	for i := range a {
		yy := y0 + i
		if yy >= 0 && yy < p.h {
			rows[i] = x[yy*p.w+x0+lo : yy*p.w+x0+hi]
			continue
		}
		if !zeroed {
			clear(zero)
			zeroed = true
		}
		rows[i] = zero
	}
	if lo > 0 || hi < ts {
		for k := range a {
			clear(t[k*ts : k*ts+lo])
			clear(t[k*ts+hi : k*ts+ts])
		}
	}
	switch m {
	case 4:
		if cv.in43Rows != nil {
			// The assembly does not check bounds: these do.
			_, _ = t[lo+5*ts+hi-lo-1:], v[35*vs+cnt-1]
			cv.in43Rows(t[lo:], ts, rows[0], rows[1], rows[2], rows[3], rows[4], rows[5], hi-lo)
			cv.in43Tiles(v, vs, t, ts, cnt)
			return
		}
		inRows43(t[lo:], ts, rows[0], rows[1], rows[2], rows[3], rows[4], rows[5], hi-lo)
		inTiles43(v, vs, t, ts, cnt)
	case 2:
		inRows23(t[lo:], ts, rows[0], rows[1], rows[2], rows[3], hi-lo)
		inTiles23(v, vs, t, ts, cnt)
	default:
		panic("BUG: winograd: no input transform for tile size")
	}
}
