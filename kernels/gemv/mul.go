package gemv

import "fmt"

// Mul computes, for i < m and j < p.N(),
//
//	y[i*ldy + j] = alpha * Σ_{q<p.K()} A[j, q] * x[i*ldx + q] + beta * y[i*ldy + j]
//
// (Y = alpha·X·Aᵀ + beta·Y). When beta == 0, y is not read, so it may hold
// anything. x and y must not overlap. It allocates nothing and runs on the
// calling goroutine; it panics when a slice is too short for the sizes
// given, which is a caller's bug.
func (p *Packed) Mul(m int, alpha float32, x []float32, ldx int, beta float32, y []float32, ldy int) {
	n, k := p.n, p.k
	if m < 0 || (m > 1 && (ldx < k || ldy < n)) ||
		(m > 0 && (len(x) < (m-1)*ldx+k || len(y) < (m-1)*ldy+n)) {
		panic(fmt.Sprintf("gemv: Mul m=%d n=%d k=%d ldx=%d ldy=%d with len(x)=%d len(y)=%d", m, n, k, ldx, ldy, len(x), len(y)))
	}
	p.mul(0, (n+p.kern.width-1)/p.kern.width, m, alpha, x, ldx, beta, y, ldy)
}

// MulCols is Mul restricted to the outputs j in [j0, j1): it computes
// y[i*ldy + j] for i < m and j0 ≤ j < j1 only, reading and writing no
// other element of y. j0 must be a multiple of Width() and j1 one too or
// N(), so that concurrent calls over disjoint ranges split the product
// (a thread per range streams only its rows of A).
func (p *Packed) MulCols(j0, j1, m int, alpha float32, x []float32, ldx int, beta float32, y []float32, ldy int) {
	n, k, w := p.n, p.k, p.kern.width
	if j0 < 0 || j1 > n || j0 > j1 || j0%w != 0 || (j1%w != 0 && j1 != n) || m < 0 || (m > 1 && (ldx < k || ldy < j1)) ||
		(m > 0 && j1 > j0 && (len(x) < (m-1)*ldx+k || len(y) < (m-1)*ldy+j1)) {
		panic(fmt.Sprintf("gemv: MulCols [%d, %d) m=%d n=%d k=%d ldx=%d ldy=%d with len(x)=%d len(y)=%d", j0, j1, m, n, k, ldx, ldy, len(x), len(y)))
	}
	p.mul(j0/w, (j1+w-1)/w, m, alpha, x, ldx, beta, y, ldy)
}

// Width returns the panel width: the unit of MulCols's ranges.
func (p *Packed) Width() int { return p.kern.width }

// mul computes the outputs of panels [p0, p1) (sizes checked by the
// caller).
func (p *Packed) mul(p0, p1, m int, alpha float32, x []float32, ldx int, beta float32, y []float32, ldy int) {
	n, k := p.n, p.k
	if m == 0 || n == 0 || p0 >= p1 {
		return
	}
	w := p.kern.width
	full := min(p1, n/w) - p0 // full panels in the range
	partial := p1 > n/w       // the last, partial panel is in the range
	quad := p.ready && has4(p.kern.level)
	for i := 0; i < m; {
		mm := min(2, m-i)
		if quad && m-i >= 4 {
			mm = 4
		}
		xi, yi := x[i*ldx:], y[i*ldy:]
		if full > 0 {
			p.panels(mm, full, p.data[p0*w*k:], xi, ldx, yi[p0*w:], ldy, alpha, beta)
		}
		if partial {
			// The last, partial panel goes through a panel-wide buffer.
			var tmp [4 * 64]float32
			off, rest := n/w*w, n%w
			if beta != 0 {
				for r := range mm {
					copy(tmp[r*w:r*w+rest], yi[r*ldy+off:r*ldy+off+rest])
				}
			}
			p.panels(mm, 1, p.data[off*k:], xi, ldx, tmp[:], w, alpha, beta)
			for r := range mm {
				copy(yi[r*ldy+off:r*ldy+off+rest], tmp[r*w:r*w+rest])
			}
		}
		i += mm
	}
}

// panels runs the packed level's kernel (or the portable one) on m ≤ 2
// rows, or 4 rows when the level has a four-row kernel, over count full
// panels starting at a.
func (p *Packed) panels(m, count int, a, x []float32, ldx int, y []float32, ldy int, alpha, beta float32) {
	if m == 4 && archPanels4(p.kern.level, p.k, count, a, x, ldx, y, ldy, alpha, beta) {
		return
	}
	if p.ready && archPanels(p.kern.level, m, p.k, count, a, x, ldx, y, ldy, alpha, beta) {
		return
	}
	panelsGeneric(p.kern.width, m, p.k, count, a, x, ldx, y, ldy, alpha, beta)
}
