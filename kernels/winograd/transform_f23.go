package winograd

// Float32 transforms of F(2×2, 3×3), the products by the matrices of f23
// in matrices.go written out.

// inRows23 applies Bᵀ down the columns of four input rows r0…r3 (n values
// each): t[k·ts + j] = Σ_i Bᵀ[k][i]·r_i[j] for k < 4, j < n.
func inRows23(t []float32, ts int, r0, r1, r2, r3 []float32, n int) {
	r0, r1, r2, r3 = r0[:n], r1[:n], r2[:n], r3[:n]
	t0, t1, t2, t3 := t[:n], t[ts:ts+n], t[2*ts:2*ts+n], t[3*ts:3*ts+n]
	for j := range n {
		d0, d1, d2, d3 := r0[j], r1[j], r2[j], r3[j]
		t0[j] = d0 - d2
		t1[j] = d1 + d2
		t2[j] = d2 - d1
		t3[j] = d1 - d3
	}
}

// inTiles23 applies B along the four rows of t (stride ts) for nt tiles,
// tile j covering columns 2j…2j+3, and stores element (k, l) of tile j
// at v[(4k+l)·vs + j].
func inTiles23(v []float32, vs int, t []float32, ts, nt int) {
	for k := range 4 {
		row := t[k*ts : k*ts+2*nt+2]
		o := v[4*k*vs:]
		o0, o1, o2, o3 := o[:nt], o[vs:vs+nt], o[2*vs:2*vs+nt], o[3*vs:3*vs+nt]
		for j := range nt {
			e := row[2*j : 2*j+4]
			d0, d1, d2, d3 := e[0], e[1], e[2], e[3]
			o0[j] = d0 - d2
			o1[j] = d1 + d2
			o2[j] = d2 - d1
			o3[j] = d1 - d3
		}
	}
}

// outTile23 computes, for lanes ≤ 16 lanes, the 2×2 output tile
// o[(2p+q)·16 + lane] = (Aᵀ M A)[p][q] of the 4×4 matrix M[k][l] =
// src[(4k+l)·ss + lane]; tmp holds the 2×4 intermediate Aᵀ M.
func outTile23(o *[256]float32, tmp *[384]float32, src []float32, ss, lanes int) {
	for l := range 4 { // tmp[p][l] = Σ_k Aᵀ[p][k]·M[k][l]
		s := src[l*ss:]
		m0, m1, m2, m3 := s[:lanes], s[4*ss:4*ss+lanes], s[8*ss:8*ss+lanes], s[12*ss:12*ss+lanes]
		p0, p1 := tmp[l*16:l*16+lanes], tmp[64+l*16:64+l*16+lanes]
		for i := range lanes {
			p0[i] = m0[i] + m1[i] + m2[i]
			p1[i] = m1[i] - m2[i] - m3[i]
		}
	}
	for p := range 2 { // o[p][q] = Σ_l tmp[p][l]·Aᵀ[q][l]
		t := tmp[p*64 : p*64+64]
		m0, m1, m2, m3 := t[:lanes], t[16:16+lanes], t[32:32+lanes], t[48:48+lanes]
		q0, q1 := o[p*32:p*32+lanes], o[p*32+16:p*32+16+lanes]
		for i := range lanes {
			q0[i] = m0[i] + m1[i] + m2[i]
			q1[i] = m1[i] - m2[i] - m3[i]
		}
	}
}
