package kernels

// borderPlanes copies planes images of h×w values from src into dst, one
// per plane values of dst, each source row at row stride wq: the image
// starts top values into its plane and left values into each row. Every
// other value of the planes, and of dst after them (a margin the tile
// kernels read past the last plane), is zeroed. It is the zero-bordered
// input the flat Conv (conv_flat.go) and the sub-pixel ConvTranspose
// (convt_phase.go) read in place.
func borderPlanes(dst, src []float32, planes, plane, h, w, wq, top, left int) {
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
			for r := range h {
				row := body[r*wq:][:wq]
				clear(row[:left])
				copy(row[left:left+w], s[r*w:][:w])
				clear(row[left+w:])
			}
		}
		clear(d[top+h*wq:])
	}
}
