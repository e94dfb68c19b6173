//go:build noasm

package amd64

// WinoOut43AVX512 is WinoOut43Go under the noasm tag.
func WinoOut43AVX512(m []float32, ms int, y []float32, plane, row int, bias []float32, relu int) {
	WinoOut43Go(m, ms, y, plane, row, bias, relu)
}

// WinoIn43RowsAVX512 is WinoIn43RowsGo under the noasm tag.
func WinoIn43RowsAVX512(t []float32, ts int, r0, r1, r2, r3, r4, r5 []float32, n int) {
	WinoIn43RowsGo(t, ts, r0, r1, r2, r3, r4, r5, n)
}

// WinoIn43TilesAVX512 is WinoIn43TilesGo under the noasm tag.
func WinoIn43TilesAVX512(v []float32, vs int, t []float32, ts, nt int) {
	WinoIn43TilesGo(v, vs, t, ts, nt)
}

// WinoOut43AVX2 is WinoOut43Go under the noasm tag.
func WinoOut43AVX2(m []float32, ms int, y []float32, plane, row int, bias []float32, relu int) {
	WinoOut43Go(m, ms, y, plane, row, bias, relu)
}

// WinoIn43RowsAVX2 is WinoIn43RowsGo under the noasm tag.
func WinoIn43RowsAVX2(t []float32, ts int, r0, r1, r2, r3, r4, r5 []float32, n int) {
	WinoIn43RowsGo(t, ts, r0, r1, r2, r3, r4, r5, n)
}

// WinoIn43TilesAVX2 is WinoIn43TilesGo under the noasm tag.
func WinoIn43TilesAVX2(v []float32, vs int, t []float32, ts, nt int) {
	WinoIn43TilesGo(v, vs, t, ts, nt)
}
