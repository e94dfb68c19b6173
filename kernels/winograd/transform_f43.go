package winograd

// Float32 transforms of F(4×4, 3×3). Each is the product by the matrix of
// the same name in matrices.go, written out with the common
// subexpressions the matrices share (as in Lavin & Gray).

// inRows43 applies Bᵀ down the columns of six input rows r0…r5 (n values
// each): t[k·ts + j] = Σ_i Bᵀ[k][i]·r_i[j] for k < 6, j < n.
func inRows43(t []float32, ts int, r0, r1, r2, r3, r4, r5 []float32, n int) {
	r0, r1, r2, r3, r4, r5 = r0[:n], r1[:n], r2[:n], r3[:n], r4[:n], r5[:n]
	t0, t1, t2 := t[:n], t[ts:ts+n], t[2*ts:2*ts+n]
	t3, t4, t5 := t[3*ts:3*ts+n], t[4*ts:4*ts+n], t[5*ts:5*ts+n]
	for j := range n {
		d0, d1, d2, d3, d4, d5 := r0[j], r1[j], r2[j], r3[j], r4[j], r5[j]
		s12, d12 := d1+d2, d1-d2
		s34, d43 := d3+d4, d4-d3
		d42, d31 := d4-d2, d3-d1
		t0[j] = 4*d0 - 5*d2 + d4
		t1[j] = s34 - 4*s12
		t2[j] = d43 + 4*d12
		t3[j] = d42 + 2*d31
		t4[j] = d42 - 2*d31
		t5[j] = 4*d1 - 5*d3 + d5
	}
}

// inTiles43 applies B along the six rows of t (stride ts) for nt tiles,
// tile j covering columns 4j…4j+5, and stores element (k, l) of tile j
// at v[(6k+l)·vs + j].
func inTiles43(v []float32, vs int, t []float32, ts, nt int) {
	for k := range 6 {
		row := t[k*ts : k*ts+4*nt+2]
		o := v[6*k*vs:]
		o0, o1, o2 := o[:nt], o[vs:vs+nt], o[2*vs:2*vs+nt]
		o3, o4, o5 := o[3*vs:3*vs+nt], o[4*vs:4*vs+nt], o[5*vs:5*vs+nt]
		for j := range nt {
			e := row[4*j : 4*j+6]
			d0, d1, d2, d3, d4, d5 := e[0], e[1], e[2], e[3], e[4], e[5]
			s12, d12 := d1+d2, d1-d2
			s34, d43 := d3+d4, d4-d3
			d42, d31 := d4-d2, d3-d1
			o0[j] = 4*d0 - 5*d2 + d4
			o1[j] = s34 - 4*s12
			o2[j] = d43 + 4*d12
			o3[j] = d42 + 2*d31
			o4[j] = d42 - 2*d31
			o5[j] = 4*d1 - 5*d3 + d5
		}
	}
}

// outTile43 computes, for lanes ≤ 16 lanes, the 4×4 output tile
// o[(4p+q)·16 + lane] = (Aᵀ M A)[p][q] of the 6×6 matrix M[k][l] =
// src[(6k+l)·ss + lane]; tmp holds the 4×6 intermediate Aᵀ M.
func outTile43(o *[256]float32, tmp *[384]float32, src []float32, ss, lanes int) {
	for l := range 6 { // tmp[p][l] = Σ_k Aᵀ[p][k]·M[k][l]
		s := src[l*ss:]
		m0, m1, m2 := s[:lanes], s[6*ss:6*ss+lanes], s[12*ss:12*ss+lanes]
		m3, m4, m5 := s[18*ss:18*ss+lanes], s[24*ss:24*ss+lanes], s[30*ss:30*ss+lanes]
		p0, p1 := tmp[l*16:l*16+lanes], tmp[96+l*16:96+l*16+lanes]
		p2, p3 := tmp[192+l*16:192+l*16+lanes], tmp[288+l*16:288+l*16+lanes]
		for i := range lanes {
			a12, s12 := m1[i]+m2[i], m1[i]-m2[i]
			a34, s34 := m3[i]+m4[i], m3[i]-m4[i]
			p0[i] = m0[i] + a12 + a34
			p1[i] = s12 + 2*s34
			p2[i] = a12 + 4*a34
			p3[i] = s12 + 8*s34 + m5[i]
		}
	}
	for p := range 4 { // o[p][q] = Σ_l tmp[p][l]·Aᵀ[q][l]
		t := tmp[p*96 : p*96+96]
		m0, m1, m2 := t[:lanes], t[16:16+lanes], t[32:32+lanes]
		m3, m4, m5 := t[48:48+lanes], t[64:64+lanes], t[80:80+lanes]
		q0, q1 := o[p*64:p*64+lanes], o[p*64+16:p*64+16+lanes]
		q2, q3 := o[p*64+32:p*64+32+lanes], o[p*64+48:p*64+48+lanes]
		for i := range lanes {
			a12, s12 := m1[i]+m2[i], m1[i]-m2[i]
			a34, s34 := m3[i]+m4[i], m3[i]-m4[i]
			q0[i] = m0[i] + a12 + a34
			q1[i] = s12 + 2*s34
			q2[i] = a12 + 4*a34
			q3[i] = s12 + 8*s34 + m5[i]
		}
	}
}
