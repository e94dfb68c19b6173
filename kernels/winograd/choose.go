package winograd

// Choice of the variant from the shape, measured (doc.go, "When to use
// it"). Each row: from these sizes on, use this tile; the first match
// wins; no match means the im2col convolution is faster.
var choices = [...]struct {
	minCin, minCout int // channel counts
	minPlane        int // min(oh, ow)
	tile            int
}{
	{minCin: 8, minPlane: 8, tile: 4},                 // F(4,3): 1.6-3× im2col from 8×8 up
	{minCin: 128, minCout: 128, minPlane: 7, tile: 2}, // 7×7, deep layers: F(2,3) ≈ 1.0-1.15× packed im2col (smaller planes not measured)
}

// Pick returns the output tile size (4 or 2) to use for a 3×3, stride-1,
// dilation-1, single-group convolution with these channel counts and
// output plane, or 0 when the im2col convolution is expected to be faster
// (few input channels, or small planes with few channels). The thresholds
// come from the single-thread AVX-512 measurements in doc.go; with AVX2
// or two threads the measured ratios were similar.
func Pick(cin, cout, oh, ow int) int {
	plane := min(oh, ow)
	for _, c := range choices {
		if cin >= c.minCin && cout >= c.minCout && plane >= c.minPlane {
			return c.tile
		}
	}
	return 0
}
