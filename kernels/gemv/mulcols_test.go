package gemv

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestMulColsMatchesMul splits products into column ranges of whole
// panels (the last possibly partial) and checks that MulCols over the
// ranges gives Mul's result bit for bit (small integers: exact), writes
// nothing outside its range (NaN elsewhere stays NaN, including the gaps
// between rows) and leaves x unmodified, at every level.
func TestMulColsMatchesMul(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, l := range levels() {
		for _, n := range []int{1, 15, 16, 31, 63, 64, 65, 130, 200, 1000} {
			for _, k := range []int{1, 7, 64, 70} {
				for _, m := range []int{1, 2, 3, 4, 5} {
					for _, beta := range []float32{0, 1} {
						name := fmt.Sprintf("%v/n%d/k%d/m%d/beta%v", l, n, k, m, beta)
						a := make([]float32, n*k)
						smallInts(r, a)
						p := Pack(l, n, k, a, k)
						w := p.Width()
						ldx, ldy := k+3, n+5
						x := make([]float32, (m-1)*ldx+k)
						smallInts(r, x)
						x0 := append([]float32(nil), x...)
						y0 := make([]float32, (m-1)*ldy+n)
						smallInts(r, y0)
						want := append([]float32(nil), y0...)
						p.Mul(m, 2, x, ldx, beta, want, ldy)
						// Ranges: a random cut into whole panels.
						var cuts []int
						for j := 0; j < n; {
							cuts = append(cuts, j)
							j = min(j+w*(1+r.IntN(3)), n)
						}
						cuts = append(cuts, n)
						got := append([]float32(nil), y0...)
						for c := 0; c+1 < len(cuts); c++ {
							j0, j1 := cuts[c], cuts[c+1]
							full, y := guarded(len(y0))
							for i := range m {
								copy(y[i*ldy+j0:i*ldy+j1], y0[i*ldy+j0:i*ldy+j1])
							}
							p.MulCols(j0, j1, m, 2, x, ldx, beta, y, ldy)
							checkGuards(t, name, full, len(y0))
							for i := range m {
								for j := range n {
									v := y[i*ldy+j]
									if j < j0 || j >= j1 {
										if !math.IsNaN(float64(v)) {
											t.Fatalf("%s: range [%d,%d) wrote y[%d,%d]", name, j0, j1, i, j)
										}
										continue
									}
									got[i*ldy+j] = v
								}
							}
						}
						for i := range m {
							for j := range n {
								if got[i*ldy+j] != want[i*ldy+j] {
									t.Fatalf("%s: y[%d,%d] = %v, Mul gives %v", name, i, j, got[i*ldy+j], want[i*ldy+j])
								}
							}
						}
						for i := range x {
							if x[i] != x0[i] {
								t.Fatalf("%s: x modified", name)
							}
						}
					}
				}
			}
		}
	}
}

// TestMulColsRejectsBadRanges checks that a range not made of whole
// panels panics (a caller's bug) instead of computing a wrong slice.
func TestMulColsRejectsBadRanges(t *testing.T) {
	for _, l := range levels() {
		p := Pack(l, 100, 8, make([]float32, 800), 8)
		w := p.Width()
		for _, rg := range [][2]int{{1, w}, {0, w - 1}, {-w, 0}, {0, 101}, {w, 0}} {
			if rg[1] == 100 || (w >= 100 && rg[1] == w-1 && w-1 == 99) {
				continue
			}
			func() {
				defer func() {
					if recover() == nil {
						t.Fatalf("%v: MulCols%v did not panic", l, rg)
					}
				}()
				p.MulCols(rg[0], rg[1], 1, 1, make([]float32, 8), 8, 0, make([]float32, 100), 100)
			}()
		}
	}
}
