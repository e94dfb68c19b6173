package amd64

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"golang.org/x/sys/cpu"
)

// halfVariants are the conversion kernels this CPU can run, with the
// length multiple each needs.
func halfVariants() []struct {
	name  string
	block int
	toF32 func([]float32, []uint16)
	toF16 func([]uint16, []float32)
} {
	var v []struct {
		name  string
		block int
		toF32 func([]float32, []uint16)
		toF16 func([]uint16, []float32)
	}
	if runtime.GOARCH != "amd64" {
		return v
	}
	if cpu.X86.HasAVX2 && cpu.X86.HasFMA {
		v = append(v, struct {
			name  string
			block int
			toF32 func([]float32, []uint16)
			toF16 func([]uint16, []float32)
		}{"avx2", 8, HalfToFloat32AVX2, Float32ToHalfAVX2})
	}
	if cpu.X86.HasAVX512F && cpu.X86.HasAVX512BW && cpu.X86.HasAVX512VL {
		v = append(v, struct {
			name  string
			block int
			toF32 func([]float32, []uint16)
			toF16 func([]uint16, []float32)
		}{"avx512", 16, HalfToFloat32AVX512, Float32ToHalfAVX512})
	}
	return v
}

// TestHalfToFloat32AgainstTwin widens every one of the 65536 binary16
// values with each variant and with the twin, bit for bit (NaNs
// included), then checks lengths 0..70 blocks and a large one with guard
// values around dst (nothing past len(src) written) and src unmodified.
func TestHalfToFloat32AgainstTwin(t *testing.T) {
	vs := halfVariants()
	if len(vs) == 0 {
		t.Skip("no AVX2 on this CPU")
	}
	all := make([]uint16, 1<<16)
	for i := range all {
		all[i] = uint16(i)
	}
	want := make([]float32, len(all))
	HalfToFloat32Go(want, all)
	r := rand.New(rand.NewPCG(5, 6))
	for _, v := range vs {
		got := make([]float32, len(all))
		v.toF32(got, all)
		for i := range all {
			if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
				t.Fatalf("%s: half %#04x → %#08x, twin %#08x", v.name, all[i], math.Float32bits(got[i]), math.Float32bits(want[i]))
			}
		}
		const guard = 9
		guardBits := math.Float32frombits(0x7fc0dead)
		for _, blocks := range append(halfSizes(71), 700) {
			n := blocks * v.block
			src := make([]uint16, n)
			for i := range src {
				src[i] = uint16(r.Uint32())
			}
			src0 := append([]uint16(nil), src...)
			got := make([]float32, n+2*guard)
			for i := range got {
				got[i] = guardBits
			}
			v.toF32(got[guard:guard+n], src)
			w := make([]float32, n)
			HalfToFloat32Go(w, src)
			for i := range got {
				e := guardBits
				if i >= guard && i < guard+n {
					e = w[i-guard]
				}
				if math.Float32bits(got[i]) != math.Float32bits(e) {
					t.Fatalf("%s n %d: dst[%d] = %#08x, want %#08x", v.name, n, i-guard, math.Float32bits(got[i]), math.Float32bits(e))
				}
			}
			for i := range src {
				if src[i] != src0[i] {
					t.Fatalf("%s n %d: src[%d] modified", v.name, n, i)
				}
			}
		}
	}
}

// TestFloat32ToHalfAgainstTwin rounds, with each variant and with the
// twin, a sweep of float32 bit patterns (every exponent with both signs,
// the mantissas at and around each rounding boundary of binary16 normal
// and subnormal results, random mantissas, NaN payloads, infinities) and
// a stride through all 2^32 patterns, bit for bit; then lengths 0..70
// blocks and a large one with guard values.
func TestFloat32ToHalfAgainstTwin(t *testing.T) {
	vs := halfVariants()
	if len(vs) == 0 {
		t.Skip("no AVX2 on this CPU")
	}
	r := rand.New(rand.NewPCG(7, 8))
	var bits []uint32
	for sign := uint32(0); sign < 2; sign++ {
		for exp := uint32(0); exp < 256; exp++ {
			base := sign<<31 | exp<<23
			for _, m := range []uint32{0, 1, 2, 0x3ff, 0x400000, 0x7fffff, 0x7ffffe, 0x1fff, 0x2000, 0x2001} {
				bits = append(bits, base|m)
			}
			// Around every rounding boundary a result can have: ties and
			// their neighbours for shifts 13 (normal) to 24 (subnormal).
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
	for b := uint64(0); b < 1<<32; b += 4099 {
		bits = append(bits, uint32(b))
	}
	for len(bits)%16 != 0 {
		bits = append(bits, 0)
	}
	src := make([]float32, len(bits))
	for i, b := range bits {
		src[i] = math.Float32frombits(b)
	}
	want := make([]uint16, len(src))
	Float32ToHalfGo(want, src)
	for _, v := range vs {
		got := make([]uint16, len(src))
		v.toF16(got, src)
		for i := range src {
			if got[i] != want[i] {
				t.Fatalf("%s: float32 %#08x → %#04x, twin %#04x", v.name, bits[i], got[i], want[i])
			}
		}
		const guard = 9
		for _, blocks := range append(halfSizes(71), 700) {
			n := blocks * v.block
			s := make([]float32, n)
			for i := range s {
				s[i] = float32(r.NormFloat64() * 1000)
			}
			s0 := append([]float32(nil), s...)
			got := make([]uint16, n+2*guard)
			for i := range got {
				got[i] = 0xdead
			}
			v.toF16(got[guard:guard+n], s)
			w := make([]uint16, n)
			Float32ToHalfGo(w, s)
			for i := range got {
				e := uint16(0xdead)
				if i >= guard && i < guard+n {
					e = w[i-guard]
				}
				if got[i] != e {
					t.Fatalf("%s n %d: dst[%d] = %#04x, want %#04x", v.name, n, i-guard, got[i], e)
				}
			}
			for i := range s {
				if math.Float32bits(s[i]) != math.Float32bits(s0[i]) {
					t.Fatalf("%s n %d: src[%d] modified", v.name, n, i)
				}
			}
		}
	}
}

func halfSizes(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}
