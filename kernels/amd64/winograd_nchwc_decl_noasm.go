//go:build noasm

package amd64

// WinoIn43NCHWcAVX512 is WinoIn43NCHWcGo under the noasm tag.
func WinoIn43NCHWcAVX512(v []float32, vs, ts int, x []float32, row, nt int) {
	WinoIn43NCHWcGo(v, vs, ts, x, row, nt)
}

// WinoOut43NCHWcAVX512 is WinoOut43NCHWcGo under the noasm tag.
func WinoOut43NCHWcAVX512(m []float32, ms int, y []float32, row int, bias, r []float32, relu int) {
	WinoOut43NCHWcGo(m, ms, y, row, bias, r, relu)
}
