package main

import (
	"fmt"
	"strings"
)

// isa is one instruction set's register file and tile shape: the full
// kernel's tile is 6 rows × vecs vectors of vecBytes bytes, row r's
// vector q accumulating in register reg(accBase + vecs*r + q).
type isa struct {
	name     string // suffix of the routine names: AVX512, AVX2
	title    string // name in prose: AVX-512, AVX2+FMA
	reg      string // vector register prefix: Z, Y
	vecBytes int    // bytes per vector register
	vecs     int    // vectors per row of the full tile
	accBase  int    // number of the first accumulator register
	zeroOp   string // instruction that zeroes a register (x, x, x)

	// Roles of the registers below accBase (one role may share a register
	// with another that is dead by then: the bias, alpha and zero reuse
	// the k loop's B and A registers).
	b     []string  // B's row, one per vector
	a     [2]string // the alternating A broadcasts
	alpha string
	beta  string
	bias  []string // the bias vectors, one per vector
	zero  string   // zero, for ReLU
}

// avx512 is the AVX-512 tile: 6×4 zmm accumulators Z8..Z31.
var avx512 = &isa{
	name: "AVX512", title: "AVX-512", reg: "Z", vecBytes: 64, vecs: 4, accBase: 8, zeroOp: "VPXORD",
	b: []string{"Z0", "Z1", "Z2", "Z3"}, a: [2]string{"Z4", "Z5"}, alpha: "Z6", beta: "Z7",
	bias: []string{"Z0", "Z1", "Z2", "Z3"}, zero: "Z4",
}

// avx2 is the AVX2+FMA tile: 6×2 ymm accumulators Y4..Y15.
var avx2 = &isa{
	name: "AVX2", title: "AVX2+FMA", reg: "Y", vecBytes: 32, vecs: 2, accBase: 4, zeroOp: "VXORPS",
	b: []string{"Y0", "Y1"}, a: [2]string{"Y2", "Y3"}, alpha: "Y0", beta: "Y1",
	bias: []string{"Y2", "Y3"}, zero: "Y0",
}

// fullRows is the number of rows of every ISA's full tile.
const fullRows = 6

// variant is one generated routine: the first rows rows and vecs vectors
// of its ISA's full tile.
type variant struct {
	isa  *isa
	rows int  // rows of A and C: 6, 4 or 2
	vecs int  // vectors per row: isa.vecs, or fewer for a column variant
	down bool // tiles run down a column of C (A panels bnext apart, same B)
}

// variants lists every generated routine, in the order of the
// declarations in sgemm_gen_decl_amd64.go.
func variants() []variant {
	return []variant{
		{avx512, 6, 4, false},
		{avx2, 6, 2, false},
		{avx512, 4, 4, false},
		{avx512, 2, 4, false},
		{avx2, 4, 2, false},
		{avx2, 2, 2, false},
		{avx512, 6, 1, false},
		{avx512, 6, 2, false},
		{avx512, 6, 3, false},
		{avx2, 6, 1, false},
		{avx2, 6, 2, true},
	}
}

// fullCols is the column count of the ISA's full tile (64 or 16).
func (s *isa) fullCols() int { return s.vecs * s.vecBytes / 4 }

// cols is the number of columns of C the variant writes per tile.
func (v variant) cols() int { return v.vecs * v.isa.vecBytes / 4 }

// tileBytes is the width of the variant's tile of C in bytes.
func (v variant) tileBytes() int { return v.vecs * v.isa.vecBytes }

// narrow reports whether the variant leaves out columns of the full tile.
func (v variant) narrow() bool { return v.vecs < v.isa.vecs }

// full is the name of the ISA's full kernel the variant is a part of.
func (v variant) full() string {
	return fmt.Sprintf("Sgemm%dx%dGen%s", fullRows, v.isa.fullCols(), v.isa.name)
}

// base is the routine name without "Sgemm" and the ISA: 6x64, 4x16,
// 6x64W48, 6x16Down.
func (v variant) base() string {
	s := fmt.Sprintf("%dx%d", v.rows, v.isa.fullCols())
	if v.narrow() {
		s += fmt.Sprintf("W%d", v.cols())
	}
	if v.down {
		s += "Down"
	}
	return s
}

// name is the routine's name, e.g. Sgemm6x64W48GenAVX512 or
// Sgemm6x16DownGenAVX2.
func (v variant) name() string { return "Sgemm" + v.base() + "Gen" + v.isa.name }

// twin is the name of the routine's pure-Go twin, e.g. Sgemm6x64W48GenGo.
func (v variant) twin() string { return "Sgemm" + v.base() + "GenGo" }

// file is the name of the routine's .s file, e.g. sgemm6x64w48gen_avx512_amd64.s.
func (v variant) file() string {
	return "sgemm" + strings.ToLower(v.base()) + "gen_" + strings.ToLower(v.isa.name) + "_amd64.s"
}

// acc is the accumulator register of row r, vector q.
func (v variant) acc(r, q int) string {
	return fmt.Sprintf("%s%d", v.isa.reg, v.isa.accBase+v.isa.vecs*r+q)
}

// aAddr is the address of row r's A value at the current step: PA +
// r*RS, with RS3 = 3*RS and RS5 = 5*RS for the rows no scale reaches.
var aAddr = []string{"(PA)", "(PA)(RS*1)", "(PA)(RS*2)", "(PA)(RS3*1)", "(PA)(RS*4)", "(PA)(RS5*1)"}

// prefetchOffsets are the byte offsets prefetched in each row of the C
// tile. The full kernels load every 64-byte line the row touches (one per
// line from the row's start, and its last float, whatever the alignment);
// the column variants only the row's first float and, when the row is
// longer than 64 bytes, its last. The two rules are those of the
// hand-written kernels the generator replaced: an interleaved A/B with
// every line prefetched in the column variants too measured them 0-5%
// slower in CPU time on the last strip of a product, so they stay.
func (v variant) prefetchOffsets() []int {
	last := v.tileBytes() - 4
	if v.narrow() {
		if last < 64 {
			return []int{0}
		}
		return []int{0, last}
	}
	var offs []int
	for off := 0; off < last; off += 64 {
		offs = append(offs, off)
	}
	return append(offs, last)
}

// rowWords spells the row counts in the comments.
var rowWords = map[int]string{2: "two", 4: "four", 6: "six"}
