package winograd

// variant is one row of the table of supported tile sizes: the transform
// matrices of F(m×m, 3×3) in float64, used to transform the weights once
// and by the tests. The float32 input and output transforms of the hot
// loops are written out per variant (transform_f23.go, transform_f43.go)
// and chosen by m in input.go and output.go.
type variant struct {
	m, a int         // output tile m×m, input tile a×a, a = m+2
	bt   [][]float64 // Bᵀ, a×a: input transform V = Bᵀ d B
	g    [][]float64 // G, a×3: weight transform U = G w Gᵀ
	at   [][]float64 // Aᵀ, m×a: output transform Y = Aᵀ M A
}

// variants is indexed by the output tile size m.
var variants = [...]*variant{2: &f23, 4: &f43}

// F(2×2, 3×3): interpolation points 0, 1, -1, ∞.
var f23 = variant{
	m: 2, a: 4,
	bt: [][]float64{
		{1, 0, -1, 0},
		{0, 1, 1, 0},
		{0, -1, 1, 0},
		{0, 1, 0, -1},
	},
	g: [][]float64{
		{1, 0, 0},
		{0.5, 0.5, 0.5},
		{0.5, -0.5, 0.5},
		{0, 0, 1},
	},
	at: [][]float64{
		{1, 1, 1, 0},
		{0, 1, -1, -1},
	},
}

// F(4×4, 3×3): interpolation points 0, 1, -1, 2, -2, ∞ (Lavin & Gray).
var f43 = variant{
	m: 4, a: 6,
	bt: [][]float64{
		{4, 0, -5, 0, 1, 0},
		{0, -4, -4, 1, 1, 0},
		{0, 4, -4, -1, 1, 0},
		{0, -2, -1, 2, 1, 0},
		{0, 2, -1, -2, 1, 0},
		{0, 4, 0, -5, 0, 1},
	},
	g: [][]float64{
		{1.0 / 4, 0, 0},
		{-1.0 / 6, -1.0 / 6, -1.0 / 6},
		{-1.0 / 6, 1.0 / 6, -1.0 / 6},
		{1.0 / 24, 1.0 / 12, 1.0 / 6},
		{1.0 / 24, -1.0 / 12, 1.0 / 6},
		{0, 0, 1},
	},
	at: [][]float64{
		{1, 1, 1, 1, 1, 0},
		{0, 1, -1, 2, -2, 0},
		{0, 1, 1, 4, 4, 0},
		{0, 1, -1, 8, -8, 1},
	},
}

// transformWeights returns U[ξ][c][co] = (G w[co][c] Gᵀ)[k][l], ξ = k·a+l,
// computed in float64 and rounded once: a² matrices of cin×cout each, the
// right-hand operands of the batched products.
func (v *variant) transformWeights(cout, cin int, w []float32) []float32 {
	a := v.a
	u := make([]float32, a*a*cin*cout)
	var gw [8][3]float64
	for co := range cout {
		for c := range cin {
			k := w[(co*cin+c)*9 : (co*cin+c)*9+9]
			for i := range a { // gw = G·k (a×3)
				for j := range 3 {
					gw[i][j] = v.g[i][0]*float64(k[j]) + v.g[i][1]*float64(k[3+j]) + v.g[i][2]*float64(k[6+j])
				}
			}
			for i := range a { // U = gw·Gᵀ (a×a)
				for l := range a {
					s := gw[i][0]*v.g[l][0] + gw[i][1]*v.g[l][1] + gw[i][2]*v.g[l][2]
					u[((i*a+l)*cin+c)*cout+co] = float32(s)
				}
			}
		}
	}
	return u
}
