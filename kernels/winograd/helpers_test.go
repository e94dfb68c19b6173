package winograd

import (
	"math"
	"math/rand"
	"sync"
)

// direct64 is the reference: a direct 3×3 convolution (cross-correlation,
// as ONNX Conv) accumulated in float64, y[n][co][oy][ox].
func direct64(x, w []float32, n, cin, h, wd, cout, padT, padL, padB, padR int) ([]float64, int, int) {
	oh, ow := h+padT+padB-2, wd+padL+padR-2
	if oh < 1 || ow < 1 {
		return nil, max(oh, 0), max(ow, 0)
	}
	y := make([]float64, n*cout*oh*ow)
	for b := range n {
		for co := range cout {
			out := y[(b*cout+co)*oh*ow:]
			for c := range cin {
				xp := x[(b*cin+c)*h*wd:]
				k := w[(co*cin+c)*9:]
				for oy := range oh {
					for ox := range ow {
						s := 0.0
						for i := range 3 {
							iy := oy + i - padT
							if iy < 0 || iy >= h {
								continue
							}
							for jj := range 3 {
								ix := ox + jj - padL
								if ix < 0 || ix >= wd {
									continue
								}
								s += float64(xp[iy*wd+ix]) * float64(k[i*3+jj])
							}
						}
						out[oy*ow+ox] += s
					}
				}
			}
		}
	}
	return y, oh, ow
}

func randSlice(r *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = r.Float32()*2 - 1
	}
	return s
}

func nanSlice(n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(math.NaN())
	}
	return s
}

// testPool is a goroutine-per-chunk Pool for tests and benchmarks.
type testPool int

func (p testPool) Threads() int { return int(p) }

func (p testPool) For(n, grain int, fn func(lo, hi int)) {
	if n <= 0 {
		return
	}
	chunks := min(int(p), max(n/max(grain, 1), 1))
	if chunks <= 1 {
		fn(0, n)
		return
	}
	var wg sync.WaitGroup
	for c := 1; c < chunks; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(c*n/chunks, (c+1)*n/chunks)
		}()
	}
	fn(0, n/chunks)
	wg.Wait()
}
