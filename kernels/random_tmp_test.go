package kernels

import "testing"

func TestTmpBernoulliStream(t *testing.T) {
	r := newNumpyRNG(0)
	p := make([]float64, 10)
	for i := range p {
		p[i] = r.Float64()
	}
	out := []int{}
	for _, q := range p {
		v := 0
		if r.Bernoulli(q) {
			v = 1
		}
		out = append(out, v)
	}
	t.Log(out)
}
