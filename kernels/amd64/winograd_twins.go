package amd64

// WinoOut43Go is the twin of WinoOut43AVX512: the output transform of
// Winograd F(4×4, 3×3) for 16 channels (lanes) of one tile. With the 6×6
// matrix of lane l, M[k][j] = m[(6k+j)·ms + l], and
//
//	Aᵀ = [1 1  1 1  1 0]
//	     [0 1 -1 2 -2 0]
//	     [0 1  1 4  4 0]
//	     [0 1 -1 8 -8 1]
//
// it writes, for l < 16 and p, q < 4,
//
//	v = (Aᵀ M A)[p][q]        (Aᵀ M first, in the order written below)
//	v += bias[l]              (when len(bias) > 0)
//	v = max(v, 0)             (when relu != 0; NaN stays NaN)
//	y[l·plane + p·row + q] = v
//
// Operands: len(m) ≥ 35·ms+16, len(y) ≥ 15·plane+3·row+4, bias empty or
// at least 16 long. Multiplications by 2, 4 and 8 are exact, so the
// assembly, which doubles by additions, rounds exactly as this does.
func WinoOut43Go(m []float32, ms int, y []float32, plane, row int, bias []float32, relu int) {
	var t [4][6][16]float32 // t[p][j] = Σ_k Aᵀ[p][k]·M[k][j]
	for j := range 6 {
		for l := range 16 {
			m0, m1, m2 := m[j*ms+l], m[(6+j)*ms+l], m[(12+j)*ms+l]
			m3, m4, m5 := m[(18+j)*ms+l], m[(24+j)*ms+l], m[(30+j)*ms+l]
			a12, s12 := m1+m2, m1-m2
			a34, s34 := m3+m4, m3-m4
			t[0][j][l] = m0 + a12 + a34
			t[1][j][l] = s12 + 2*s34
			t[2][j][l] = a12 + 4*a34
			t[3][j][l] = s12 + 8*s34 + m5
		}
	}
	for p := range 4 {
		for l := range 16 {
			r := &t[p]
			m0, m1, m2, m3, m4, m5 := r[0][l], r[1][l], r[2][l], r[3][l], r[4][l], r[5][l]
			a12, s12 := m1+m2, m1-m2
			a34, s34 := m3+m4, m3-m4
			o := [4]float32{m0 + a12 + a34, s12 + 2*s34, a12 + 4*a34, s12 + 8*s34 + m5}
			for q, v := range o {
				if len(bias) > 0 {
					v += bias[l]
				}
				if relu != 0 && v < 0 {
					v = 0
				}
				y[l*plane+p*row+q] = v
			}
		}
	}
}

// WinoIn43RowsGo is the twin of WinoIn43RowsAVX512: the column pass of the
// Winograd F(4×4, 3×3) input transform. For j < n, with d_i = r_i[j],
//
//	Bᵀ = [4  0 -5  0 1 0]
//	     [0 -4 -4  1 1 0]
//	     [0  4 -4 -1 1 0]
//	     [0 -2 -1  2 1 0]
//	     [0  2 -1 -2 1 0]
//	     [0  4  0 -5 0 1]
//
// it writes t[k·ts + j] = (Bᵀ d)_k for k < 6, in the order of operations
// written below. Operands: r_i at least n long, len(t) ≥ 5·ts+n.
func WinoIn43RowsGo(t []float32, ts int, r0, r1, r2, r3, r4, r5 []float32, n int) {
	for j := range n {
		o := winoBT6(r0[j], r1[j], r2[j], r3[j], r4[j], r5[j])
		for k, v := range o {
			t[k*ts+j] = v
		}
	}
}

// WinoIn43TilesGo is the twin of WinoIn43TilesAVX512: the row pass of the
// F(4×4, 3×3) input transform for nt tiles. Tile j of row k of t covers
// d_i = t[k·ts + 4j + i], i < 6; it writes v[(6k+l)·vs + j] = (Bᵀ d)_l
// (Bᵀ as in WinoIn43RowsGo) for k, l < 6. Operands: len(t) ≥ 5·ts+4·nt+2,
// len(v) ≥ 35·vs+nt.
func WinoIn43TilesGo(v []float32, vs int, t []float32, ts, nt int) {
	for k := range 6 {
		for j := range nt {
			d := t[k*ts+4*j : k*ts+4*j+6]
			o := winoBT6(d[0], d[1], d[2], d[3], d[4], d[5])
			for l, x := range o {
				v[(6*k+l)*vs+j] = x
			}
		}
	}
}

// winoBT6 returns Bᵀ d with the operations (and roundings) of the
// assembly: the conversions keep the compiler from fusing the inexact
// products by 5 into a following addition.
func winoBT6(d0, d1, d2, d3, d4, d5 float32) [6]float32 {
	s12, d12 := d1+d2, d1-d2
	s34, d43 := d3+d4, d4-d3
	d42, d31 := d4-d2, d3-d1
	return [6]float32{
		(4*d0 - float32(5*d2)) + d4,
		s34 - 4*s12,
		d43 + 4*d12,
		d42 + 2*d31,
		d42 - 2*d31,
		(4*d1 - float32(5*d3)) + d5,
	}
}
