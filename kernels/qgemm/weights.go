package qgemm

import "fmt"

// MR and NR are the micro-kernel's tile: rows of W (outputs) by columns
// of B.
const (
	MR = 8
	NR = 32
)

// Weights is a constant weight matrix prepacked for the tile kernel: for
// each panel of MR rows, K4 groups of MR rows × 4 signed bytes (rows and
// taps past M and K are zero), with the per-row corrections.
type Weights struct {
	M, K, K4 int
	panels   []int8  // ceil(M/MR) · K4 · MR · 4
	colMul   []int32 // per row (MR-padded): off − wz[m]
	rowSum   []int32 // per row (MR-padded): Σ_k (W[m, k] − wz[m])
}

// PackWeights packs the M×K weights w (row-major, values of one 8-bit
// type: −128…127 when unsigned is false, 0…255 when true) with zero
// points zp (one value, or one per row, of the same type). An out-of-range
// value or zero point, or a zero point count other than 1 or m, is an
// error.
func PackWeights(w []int32, m, k int, zp []int32, unsigned bool) (*Weights, error) {
	if m < 0 || k < 0 || len(w) != m*k {
		return nil, fmt.Errorf("qgemm: %d weights for a %d×%d matrix", len(w), m, k)
	}
	if len(zp) != 1 && len(zp) != m {
		return nil, fmt.Errorf("qgemm: %d zero points for %d rows", len(zp), m)
	}
	lo, hi, off := int32(-128), int32(127), int32(0)
	if unsigned {
		lo, hi, off = 0, 255, 128
	}
	for _, v := range zp {
		if v < lo || v > hi {
			return nil, fmt.Errorf("qgemm: weight zero point %d outside %d…%d", v, lo, hi)
		}
	}
	k4 := (k + 3) / 4
	mp := (m + MR - 1) / MR
	pw := &Weights{M: m, K: k, K4: k4,
		panels: make([]int8, mp*k4*MR*4),
		colMul: make([]int32, mp*MR),
		rowSum: make([]int32, mp*MR),
	}
	for r := range m {
		z := zp[0]
		if len(zp) == m {
			z = zp[r]
		}
		pw.colMul[r] = off - z
		panel := pw.panels[r/MR*k4*MR*4:]
		for p, v := range w[r*k : (r+1)*k] {
			if v < lo || v > hi {
				return nil, fmt.Errorf("qgemm: weight %d outside %d…%d", v, lo, hi)
			}
			panel[(p/4*MR+r%MR)*4+p%4] = int8(v - off)
			pw.rowSum[r] += v - z
		}
	}
	return pw, nil
}
