package purego

// LSTMGates is the twin of the fused LSTM gate kernels
// (amd64.LSTMGates*): for j < len(h), with the pre-activations of the
// input, output, forget and cell gates p[j], p[ld+j], p[2·ld+j] and
// p[3·ld+j],
//
//	c[j] = σ(f)·c[j] + tanh(g)·σ(i)   (both products rounded, then the sum)
//	h[j] = σ(o)·tanh(c[j])
//
// with σ and tanh those of Sigmoid and Tanh, so that the result is bit for
// bit what those routines and separate products and sum give (the LSTM
// step's unfused gate math). len(c) ≥ len(h) and len(p) ≥ 3·ld + len(h);
// p is only read.
func LSTMGates(p []float32, ld int, c, h []float32) {
	n := len(h)
	pi, po, pf, pg := p[:n], p[ld:ld+n], p[2*ld:2*ld+n], p[3*ld:3*ld+n]
	c = c[:n]
	for j := range h {
		// The conversions round each product (no fused multiply-add).
		cn := float32(sigmoid1(pf[j])*c[j]) + float32(tanh1(pg[j])*sigmoid1(pi[j]))
		c[j] = cn
		h[j] = sigmoid1(po[j]) * tanh1(cn)
	}
}
