package amd64

import (
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"

	"golang.org/x/sys/cpu"
)

// qGuard is the value written around and into output buffers: a routine
// that writes outside its tile (or skips an element of it) shows up.
const qGuard = -0x5eadbeef

// qRandBytes returns n random bytes; extreme draws only 0 and 255.
func qRandBytes(r *rand.Rand, n int, extreme bool) []uint8 {
	s := make([]uint8, n)
	for i := range s {
		if extreme {
			s[i] = uint8(255 * r.IntN(2))
		} else {
			s[i] = uint8(r.Uint32())
		}
	}
	return s
}

// qTileRef is the tile in int64, truncated to int32 (the twin's stated
// wrapping rule), from the unpacked operands.
func qTileRef(k4 int, a []int8, b []uint8, rows, cols int, rowAdd, colMul, colSum []int32) [][]int32 {
	out := make([][]int32, rows)
	for r := range rows {
		out[r] = make([]int32, cols)
		for j := range cols {
			s := int64(rowAdd[r]) + int64(colMul[r])*int64(colSum[j])
			for p := range 4 * k4 {
				s += int64(a[(p/4*8+r)*4+p%4]) * int64(b[(p/4*32+j)*4+p%4])
			}
			out[r][j] = int32(s)
		}
	}
	return out
}

// TestQGemmTile8x32AgainstTwin runs the AVX2 and VNNI tiles against its Go twin
// and an int64 reference for every rows ≤ 8, cols ≤ 32, group counts
// 0…70 and a large one, random and extreme operands (0/255 × −128/127,
// corrections near the int32 limits), guard values around the tile and
// inside c beyond it, and operands unmodified.
func TestQGemmTile8x32AgainstTwin(t *testing.T) {
	type variant struct {
		name string
		fn   func(int, []int8, []uint8, []int32, int, int, int, []int32, []int32, []int32)
	}
	vs := []variant{{"go", QGemmTile8x32Go}}
	if runtime.GOARCH == "amd64" && cpu.X86.HasAVX2 {
		vs = append(vs, variant{"avx2", QGemmTile8x32AVX2})
	}
	if runtime.GOARCH == "amd64" && cpu.X86.HasAVX512F && cpu.X86.HasAVX512VNNI {
		vs = append(vs, variant{"vnni", QGemmTile8x32VNNI})
	}
	r := rand.New(rand.NewPCG(11, 12))
	k4s := append(seq(71), 1200)
	for _, k4 := range k4s {
		for trial := range 3 {
			extreme := trial == 2
			ab := qRandBytes(r, k4*32, extreme)
			a := make([]int8, len(ab))
			for i, v := range ab {
				a[i] = int8(v ^ 0x80) // extreme: −128 or 127
			}
			b := qRandBytes(r, k4*128, extreme)
			rowAdd, colMul, colSum := make([]int32, 8), make([]int32, 8), make([]int32, 32)
			for i := range rowAdd {
				rowAdd[i], colMul[i] = int32(r.Uint32()), int32(r.IntN(511)-255)
			}
			for i := range colSum {
				colSum[i] = int32(r.IntN(1 << 20))
			}
			a0, b0 := slices.Clone(a), slices.Clone(b)
			rows, cols := 1+r.IntN(8), 1+r.IntN(32)
			if k4 < 9 {
				rows, cols = 1+k4%8, 1+(k4*5)%32
			}
			if trial == 1 {
				rows, cols = 8, 32
			}
			const ldc, guard = 40, 13
			for _, v := range vs {
				full := make([]int32, 2*guard+8*ldc)
				for i := range full {
					full[i] = qGuard
				}
				c := full[guard : guard+(rows-1)*ldc+cols]
				v.fn(k4, a, b, c, ldc, rows, cols, rowAdd, colMul, colSum)
				want := qTileRef(k4, a, b, rows, cols, rowAdd, colMul, colSum)
				for i, got := range full {
					e := int32(qGuard)
					if o := i - guard; o >= 0 && o/ldc < rows && o%ldc < cols {
						e = want[o/ldc][o%ldc]
					}
					if got != e {
						t.Fatalf("%s k4=%d rows=%d cols=%d: c[%d] = %d, want %d", v.name, k4, rows, cols, i-guard, got, e)
					}
				}
			}
			if !slices.Equal(a, a0) || !slices.Equal(b, b0) {
				t.Fatalf("k4=%d: operands modified", k4)
			}
		}
	}
}

// TestQPackK4x32AgainstTwin packs with the AVX2 routine and the twin for
// group counts 0…70 and a large one, row strides above 32, random and
// all-255 rows, and compares the panels, the column sums, the guard
// bytes after the panel and the source.
func TestQPackK4x32AgainstTwin(t *testing.T) {
	if runtime.GOARCH != "amd64" || !cpu.X86.HasAVX2 {
		t.Skip("no AVX2 on this CPU")
	}
	r := rand.New(rand.NewPCG(13, 14))
	for _, k4 := range append(seq(71), 1500) {
		for _, extreme := range []bool{false, true} {
			ld := 32 + r.IntN(40)
			src := qRandBytes(r, 4*k4*ld+32, extreme)
			if extreme {
				for i := range src {
					src[i] = 255
				}
			}
			src0 := slices.Clone(src)
			want, wantSum := make([]uint8, k4*128), make([]int32, 32)
			QPackK4x32Go(want, src, ld, k4, wantSum)
			const guard = 17
			full := make([]uint8, k4*128+guard)
			for i := range full {
				full[i] = 0xa5
			}
			sum := make([]int32, 32)
			for i := range sum {
				sum[i] = qGuard
			}
			QPackK4x32AVX2(full[:k4*128], src, ld, k4, sum)
			if !slices.Equal(full[:k4*128], want) || !slices.Equal(sum, wantSum) {
				t.Fatalf("k4=%d ld=%d: packed or column sums differ from the twin", k4, ld)
			}
			for i, v := range full[k4*128:] {
				if v != 0xa5 {
					t.Fatalf("k4=%d: guard byte %d overwritten", k4, i)
				}
			}
			for j := range 32 {
				var s int32
				for p := range 4 * k4 {
					s += int32(src[p*ld+j])
				}
				if s != wantSum[j] {
					t.Fatalf("k4=%d: twin column sum %d = %d, want %d", k4, j, wantSum[j], s)
				}
			}
			if !slices.Equal(src, src0) {
				t.Fatalf("k4=%d: source modified", k4)
			}
		}
	}
}

// seq returns 0, 1, …, n−1.
func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}
