package purego

import (
	"fmt"
	"math"
	"os"
	"testing"
)

// TestFitCoefficients regenerates the polynomial coefficients of coeffs.go
// (NNCC_GEN=1 go test -run FitCoefficients ./kernels/vecmath/purego): a
// weighted least-squares fit on Chebyshev points, refined by a few rounds
// of Lawson reweighting towards the minimax (equi-ripple) solution.
func TestFitCoefficients(t *testing.T) {
	if os.Getenv("NNCC_GEN") == "" {
		t.Skip("set NNCC_GEN=1 to regenerate coefficients")
	}
	show := func(name string, c []float64, err float64) {
		fmt.Printf("%s (max weighted error %.3g):\n", name, err)
		for i, v := range c {
			fmt.Printf("\t%s%d = %.9g\n", name, i, float32(v))
		}
	}
	// exp(r) = 1 + r + r²·P(r), r in [-ln2/2, ln2/2]; error weighted by r²/e^r.
	c, e := fit(-math.Ln2/2, math.Ln2/2, 5, func(w float64) float64 { return w },
		func(r float64) (float64, float64) {
			if math.Abs(r) < 1e-4 {
				return 0.5 + r/6 + r*r/24, r * r
			}
			return (math.Expm1(r) - r) / (r * r), r * r / math.Exp(r)
		})
	show("expP", c, e)
	// tanh(x) = x + x³·P(x²), x in [0, 0.625]; relative error of tanh.
	c, e = fit(0, 0.625, 4, func(x float64) float64 { return x * x },
		func(x float64) (float64, float64) {
			if x < 1e-4 {
				return -1.0 / 3, x * x * x / math.Tanh(math.Max(x, 1e-300))
			}
			return (math.Tanh(x) - x) / (x * x * x), x * x * x / math.Tanh(x)
		})
	show("tanhP", c, e)
	// erf(v) = v·P(v²), v in [0, 0.5]; relative error.
	c, e = fit(0, 0.5, 4, func(v float64) float64 { return v * v },
		func(v float64) (float64, float64) {
			if v < 1e-8 {
				return 2 / math.SqrtPi, 1
			}
			return math.Erf(v) / v, 1
		})
	show("erfP", c, e)
	// erfc(v) = exp(-v²)·t·Q(t-0.15), t = 2/(2+v), v in [0.5, 10.7]; relative error.
	c, e = fit(2/(2+10.7), 0.8, 9, func(t float64) float64 { return t - 0.15 },
		func(t float64) (float64, float64) {
			v := 2/t - 2
			q := math.Erfc(v) * math.Exp(v*v) / t
			return q, 1 / q
		})
	show("erfcQ", c, e)
}

// fit returns coefficients c of Σ c_i·w(x)^i approximating f on [a, b],
// where f returns the target value and the weight of its error.
func fit(a, b float64, deg int, w func(float64) float64, f func(float64) (float64, float64)) ([]float64, float64) {
	const npts = 3000
	xs := make([]float64, npts)
	ys := make([]float64, npts)
	ws := make([]float64, npts)
	lw := make([]float64, npts)
	for i := range xs {
		xs[i] = (a+b)/2 + (b-a)/2*math.Cos(math.Pi*(float64(i)+0.5)/npts)
		ys[i], ws[i] = f(xs[i])
		lw[i] = 1
	}
	var c []float64
	var maxErr float64
	for iter := 0; iter < 60; iter++ {
		// Rows: sqrt(lw)·ws·[w^0 .. w^deg] = sqrt(lw)·ws·y.
		A := make([][]float64, npts)
		rhs := make([]float64, npts)
		for i := range xs {
			s := math.Sqrt(lw[i]) * ws[i]
			row := make([]float64, deg+1)
			p := 1.0
			for j := range row {
				row[j] = s * p
				p *= w(xs[i])
			}
			A[i] = row
			rhs[i] = s * ys[i]
		}
		c = lstsq(A, rhs)
		maxErr = 0
		errs := make([]float64, npts)
		var sum float64
		for i := range xs {
			v, p := 0.0, 1.0
			for _, cj := range c {
				v += cj * p
				p *= w(xs[i])
			}
			errs[i] = math.Abs(v-ys[i]) * ws[i]
			maxErr = math.Max(maxErr, errs[i])
		}
		for i := range lw {
			lw[i] *= errs[i]
			sum += lw[i]
		}
		for i := range lw {
			lw[i] /= sum
			lw[i] = math.Max(lw[i], 1e-300)
		}
	}
	return c, maxErr
}

// lstsq solves min |A c - y| by Householder QR.
func lstsq(A [][]float64, y []float64) []float64 {
	m, n := len(A), len(A[0])
	for k := 0; k < n; k++ {
		var norm float64
		for i := k; i < m; i++ {
			norm = math.Hypot(norm, A[i][k])
		}
		if A[k][k] > 0 {
			norm = -norm
		}
		v := make([]float64, m)
		for i := k; i < m; i++ {
			v[i] = A[i][k]
		}
		v[k] -= norm
		var vv float64
		for i := k; i < m; i++ {
			vv += v[i] * v[i]
		}
		if vv == 0 {
			continue
		}
		for j := k; j < n; j++ {
			var d float64
			for i := k; i < m; i++ {
				d += v[i] * A[i][j]
			}
			d = 2 * d / vv
			for i := k; i < m; i++ {
				A[i][j] -= d * v[i]
			}
		}
		var d float64
		for i := k; i < m; i++ {
			d += v[i] * y[i]
		}
		d = 2 * d / vv
		for i := k; i < m; i++ {
			y[i] -= d * v[i]
		}
	}
	c := make([]float64, n)
	for k := n - 1; k >= 0; k-- {
		s := y[k]
		for j := k + 1; j < n; j++ {
			s -= A[k][j] * c[j]
		}
		c[k] = s / A[k][k]
	}
	return c
}
