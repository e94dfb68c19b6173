package kernels

// borderPlanes copies planes images of h×w values from src into dst, one
// per plane values of dst, each source row at row stride wq: the image
// starts top values into its plane and left values into each row. Every
// other value of the planes, and of dst after them (a margin the tile
// kernels read past the last plane), is zeroed. It is the zero-bordered
// input the flat Conv (conv_flat.go) and the sub-pixel ConvTranspose
// (convt_phase.go) read in place. The rows go through pad
// (amd64.ConvPadRowsGo states its math).
func borderPlanes(pad convPadRowsFunc, dst, src []float32, planes, plane, h, w, wq, top, left int) {
	clear(dst[planes*plane:])
	in := h * w
	for c := range planes {
		d := dst[c*plane:][:plane]
		clear(d[:top])
		s := src[c*in:][:in]
		body := d[top:][:h*wq]
		if wq == w && left == 0 {
			copy(body, s)
		} else {
			pad(body, s, h, w, wq, left)
		}
		clear(d[top+h*wq:])
	}
}

// convPadRowsFunc copies rows into zero-bordered rows
// (amd64.ConvPadRowsGo states its math).
type convPadRowsFunc func(dst, src []float32, rows, w, wq, left int)
