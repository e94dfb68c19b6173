package arm64

import (
	"math"
	"math/rand/v2"
	"testing"
)

// halfBlock is the length multiple the NEON conversions need.
const halfBlock = 8

// TestHalfToFloat32NEONAgainstTwin widens every one of the 65536 binary16
// values with FCVTL and with the twin, bit for bit (NaNs included), then
// checks lengths of 0..70 blocks and a large one with guard values around
// dst (nothing past len(src) written) and src unmodified.
func TestHalfToFloat32NEONAgainstTwin(t *testing.T) {
	all := make([]uint16, 1<<16)
	for i := range all {
		all[i] = uint16(i)
	}
	want := make([]float32, len(all))
	HalfToFloat32Go(want, all)
	got := make([]float32, len(all))
	HalfToFloat32NEON(got, all)
	for i := range all {
		if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
			t.Fatalf("half %#04x → %#08x, twin %#08x", all[i], math.Float32bits(got[i]), math.Float32bits(want[i]))
		}
	}
	r := rand.New(rand.NewPCG(5, 6))
	const guard = 9
	guardBits := math.Float32frombits(0x7fc0dead)
	for _, blocks := range append(halfBlocks(71), 700) {
		n := blocks * halfBlock
		src := make([]uint16, n)
		for i := range src {
			src[i] = uint16(r.Uint32())
		}
		src0 := append([]uint16(nil), src...)
		got := make([]float32, n+2*guard)
		for i := range got {
			got[i] = guardBits
		}
		HalfToFloat32NEON(got[guard:guard+n], src)
		w := make([]float32, n)
		HalfToFloat32Go(w, src)
		for i := range got {
			e := guardBits
			if i >= guard && i < guard+n {
				e = w[i-guard]
			}
			if math.Float32bits(got[i]) != math.Float32bits(e) {
				t.Fatalf("n %d: dst[%d] = %#08x, want %#08x", n, i-guard, math.Float32bits(got[i]), math.Float32bits(e))
			}
		}
		for i := range src {
			if src[i] != src0[i] {
				t.Fatalf("n %d: src[%d] modified", n, i)
			}
		}
	}
}

// TestFloat32ToHalfNEONAgainstTwin rounds, with FCVTN and with the twin, a
// sweep of float32 bit patterns (every exponent with both signs, the
// mantissas at and around each rounding boundary of binary16 normal and
// subnormal results, random mantissas, NaN payloads quiet and signalling,
// infinities) and a stride through all 2^32 patterns, bit for bit; then
// lengths of 0..70 blocks and a large one with guard values.
func TestFloat32ToHalfNEONAgainstTwin(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	var bits []uint32
	for sign := uint32(0); sign < 2; sign++ {
		for exp := uint32(0); exp < 256; exp++ {
			base := sign<<31 | exp<<23
			for _, m := range []uint32{0, 1, 2, 0x3ff, 0x400000, 0x7fffff, 0x7ffffe, 0x1fff, 0x2000, 0x2001} {
				bits = append(bits, base|m)
			}
			// Ties and their neighbours for shifts 13 (normal results)
			// to 24 (subnormal ones).
			for shift := uint32(13); shift <= 24; shift++ {
				half := uint32(1) << (shift - 1)
				for _, d := range []int32{-1, 0, 1} {
					for _, k := range []uint32{0, 1, 2, 3, 1 << (23 - min(shift, 23))} {
						m := (k<<shift + uint32(int32(half)+d)) & 0x7fffff
						bits = append(bits, base|m)
					}
				}
			}
			for range 64 {
				bits = append(bits, base|r.Uint32()&0x7fffff)
			}
		}
	}
	for b := uint64(0); b < 1<<32; b += 65537 {
		bits = append(bits, uint32(b))
	}
	for len(bits)%halfBlock != 0 {
		bits = append(bits, 0)
	}
	src := make([]float32, len(bits))
	for i, b := range bits {
		src[i] = math.Float32frombits(b)
	}
	want := make([]uint16, len(src))
	Float32ToHalfGo(want, src)
	got := make([]uint16, len(src))
	Float32ToHalfNEON(got, src)
	for i := range src {
		if got[i] != want[i] {
			t.Fatalf("float32 %#08x → %#04x, twin %#04x", bits[i], got[i], want[i])
		}
	}
	const guard = 9
	for _, blocks := range append(halfBlocks(71), 700) {
		n := blocks * halfBlock
		s := make([]float32, n)
		for i := range s {
			s[i] = float32(r.NormFloat64() * 1000)
		}
		s0 := append([]float32(nil), s...)
		got := make([]uint16, n+2*guard)
		for i := range got {
			got[i] = 0xdead
		}
		Float32ToHalfNEON(got[guard:guard+n], s)
		w := make([]uint16, n)
		Float32ToHalfGo(w, s)
		for i := range got {
			e := uint16(0xdead)
			if i >= guard && i < guard+n {
				e = w[i-guard]
			}
			if got[i] != e {
				t.Fatalf("n %d: dst[%d] = %#04x, want %#04x", n, i-guard, got[i], e)
			}
		}
		for i := range s {
			if math.Float32bits(s[i]) != math.Float32bits(s0[i]) {
				t.Fatalf("n %d: src[%d] modified", n, i)
			}
		}
	}
}

func halfBlocks(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}
