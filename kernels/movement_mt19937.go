package kernels

// mvMT19937 is the 32-bit Mersenne Twister (Matsumoto and Nishimura, 1998)
// with the classic init_genrand seeding. Seeded training-mode Dropout draws
// from it so that its masks are the ones the ONNX reference
// implementation produces (numpy's RandomState(seed).uniform, which is
// this generator and the 53-bit double construction in mtDouble).
type mvMT19937 struct {
	mt  [624]uint32
	idx int
}

func newMvMT19937(seed uint32) *mvMT19937 {
	m := &mvMT19937{idx: 624}
	m.mt[0] = seed
	for i := 1; i < 624; i++ {
		p := m.mt[i-1]
		m.mt[i] = 1812433253*(p^(p>>30)) + uint32(i)
	}
	return m
}

// next returns the next tempered 32-bit output.
func (m *mvMT19937) next() uint32 {
	if m.idx >= 624 {
		for i := 0; i < 624; i++ {
			y := m.mt[i]&0x80000000 | m.mt[(i+1)%624]&0x7fffffff
			v := m.mt[(i+397)%624] ^ y>>1
			if y&1 != 0 {
				v ^= 0x9908b0df
			}
			m.mt[i] = v
		}
		m.idx = 0
	}
	y := m.mt[m.idx]
	m.idx++
	y ^= y >> 11
	y ^= y << 7 & 0x9d2c5680
	y ^= y << 15 & 0xefc60000
	y ^= y >> 18
	return y
}

// mtDouble returns a uniform double in [0, 1) built from two outputs
// (27 + 26 bits), the genrand_res53 construction.
func (m *mvMT19937) mtDouble() float64 {
	a, b := m.next()>>5, m.next()>>6
	return (float64(a)*67108864 + float64(b)) / 9007199254740992
}
