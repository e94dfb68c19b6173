package vecmath

import "fmt"

// Im2col lowers a 2-D convolution of one image's c channels (x: c×H×W) to
// a matrix product: col is (c·KH·KW)×(OH·OW), row (ci·KH + ky)·KW + kx
// holding, for every output position, the input under tap (ky, kx) of
// channel ci (0 in padding). Then Y(M×OH·OW) = W(M×c·KH·KW) · col, which
// is sgemm.Sgemm(false, false, M, OH·OW, c·KH·KW, 1, w, c·KH·KW, col,
// OH·OW, 0, y, OH·OW, pool). Every padding, stride and dilation is
// handled; unit column stride copies whole runs.
func Im2col(col, x []float32, c int, w *Window2D) {
	if err := w.Check(); err != nil {
		panic("Im2col: " + err.Error())
	}
	os := w.OH * w.OW
	if len(x) != c*w.H*w.W || len(col) != c*w.KH*w.KW*os {
		panic(fmt.Sprintf("vecmath: Im2col: x has %d elements, col %d; want %d×%d×%d and %d×%d", len(x), len(col), c, w.H, w.W, c*w.KH*w.KW, os))
	}
	row := 0
	for ci := range c {
		xc := x[ci*w.H*w.W : (ci+1)*w.H*w.W]
		for ky := range w.KH {
			y0, y1 := Span(w.H, w.OH, w.SH, w.PadT, ky*w.DH)
			for kx := range w.KW {
				d := col[row*os : (row+1)*os]
				row++
				x0, x1 := Span(w.W, w.OW, w.SW, w.PadL, kx*w.DW)
				clear(d[:y0*w.OW])
				clear(d[y1*w.OW:])
				for oy := y0; oy < y1; oy++ {
					dr := d[oy*w.OW : (oy+1)*w.OW]
					clear(dr[:x0])
					clear(dr[x1:])
					if x0 >= x1 {
						continue
					}
					src := xc[(oy*w.SH-w.PadT+ky*w.DH)*w.W:]
					ix := x0*w.SW - w.PadL + kx*w.DW
					if w.SW == 1 {
						copy(dr[x0:x1], src[ix:])
						continue
					}
					out := dr[x0:x1]
					for j := range out {
						out[j] = src[ix+j*w.SW]
					}
				}
			}
		}
	}
}
