package amd64

// Winograd F(4×4, 3×3) transforms for the blocked NCHWc16 layout (see
// kernels/winograd/nchwc.go): the 16 channels of one channel block are the
// 16 lanes, so neither transform moves data across lanes. These are the
// pure-Go twins the assembly is tested against; they compile everywhere.

// WinoIn43NCHWcGo is the twin of WinoIn43NCHWcAVX512: the input transform
// of nt consecutive tiles of one 16-channel block. Tile j reads the 6×6
// window D[i][jj] (lane c) = x[i·row + (4j+jj)·16 + c] and writes, for
// k, l < 6 and c < 16,
//
//	T[k][jj] = (Bᵀ D)[k][jj]           column pass, Bᵀ as in WinoIn43RowsGo
//	v[(6k+l)·vs + j·ts + c] = (T B)[k][l]  row pass
//
// in the order of operations of winoBT6. Operands: when nt > 0,
// len(x) ≥ 5·row + (4·nt+2)·16 and len(v) ≥ 35·vs + (nt-1)·ts + 16.
func WinoIn43NCHWcGo(v []float32, vs, ts int, x []float32, row, nt int) {
	var t [6][6][16]float32 // t[k][jj]
	for j := range nt {
		xb := x[j*64:]
		for jj := range 6 {
			for c := range 16 {
				o := winoBT6(xb[jj*16+c], xb[row+jj*16+c], xb[2*row+jj*16+c],
					xb[3*row+jj*16+c], xb[4*row+jj*16+c], xb[5*row+jj*16+c])
				for k := range 6 {
					t[k][jj][c] = o[k]
				}
			}
		}
		for k := range 6 {
			r := &t[k]
			for c := range 16 {
				o := winoBT6(r[0][c], r[1][c], r[2][c], r[3][c], r[4][c], r[5][c])
				for l := range 6 {
					v[(6*k+l)*vs+j*ts+c] = o[l]
				}
			}
		}
	}
}

// WinoOut43NCHWcGo is the twin of WinoOut43NCHWcAVX512: the output
// transform of one tile of one 16-channel block with the epilogue of the
// direct NCHWc convolution. With M[k][j] (lane l) = m[(6k+j)·ms + l] and
// Aᵀ as in WinoOut43Go it writes, for p, q < 4 and l < 16,
//
//	v = (Aᵀ M A)[p][q]        (Aᵀ M first, as in WinoOut43Go)
//	v += bias[l]              when len(bias) > 0
//	v += r[p·row + q·16 + l]  when len(r) > 0 (the residual)
//	v = max(v, 0)             when relu != 0 (NaN stays NaN)
//	y[p·row + q·16 + l] = v
//
// Operands: len(m) ≥ 35·ms+16, len(y) (and len(r) when not empty) ≥
// 3·row+64, bias empty or at least 16 long. Multiplications by 2, 4 and 8
// are exact, so the assembly, which doubles by additions, rounds exactly
// as this does.
func WinoOut43NCHWcGo(m []float32, ms int, y []float32, row int, bias, r []float32, relu int) {
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
			tp := &t[p]
			m0, m1, m2, m3, m4, m5 := tp[0][l], tp[1][l], tp[2][l], tp[3][l], tp[4][l], tp[5][l]
			a12, s12 := m1+m2, m1-m2
			a34, s34 := m3+m4, m3-m4
			o := [4]float32{m0 + a12 + a34, s12 + 2*s34, a12 + 4*a34, s12 + 8*s34 + m5}
			for q, v := range o {
				i := p*row + q*16 + l
				if len(bias) > 0 {
					v += bias[l]
				}
				if len(r) > 0 {
					v += r[i]
				}
				if relu != 0 && v < 0 {
					v = 0
				}
				y[i] = v
			}
		}
	}
}
