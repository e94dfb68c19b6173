package amd64

import (
	"math"
	"testing"
)

// TestPrefetchRowsAgainstTwin runs PrefetchRows and its twin on regions
// of 0..70 and 1000 columns, several strides and row counts, inside NaN
// guard regions, and checks that neither changes any value.
func TestPrefetchRowsAgainstTwin(t *testing.T) {
	for _, cols := range append(seq(71), 1000) {
		for _, rows := range []int{0, 1, 2, 7} {
			for _, extra := range []int{0, 3, 1024} {
				ld := cols + extra
				n := 0
				if rows > 0 && cols > 0 {
					n = (rows-1)*ld + cols
				}
				full, b := guarded(n)
				for i := range b {
					b[i] = float32(i%97) - 48
				}
				before := append([]float32(nil), full...)
				PrefetchRows(b, ld, rows, cols)
				PrefetchRowsGo(b, ld, rows, cols)
				for i := range full {
					if math.Float32bits(full[i]) != math.Float32bits(before[i]) {
						t.Fatalf("rows=%d cols=%d ld=%d: element %d changed", rows, cols, ld, i)
					}
				}
			}
		}
	}
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}
