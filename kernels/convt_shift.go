package kernels

import "github.com/nncc/nncc/kernels/vecmath"

// The shift-add form of a 2-D ConvTranspose's col2im, for the col
// orientation of convt_f32.go (col = W[g]ᵀ·X[g], rows (m, ky, kx), one
// column per input position).
//
// Along one axis with stride s and dilation d, tap k sends input i to the
// unpadded output position u = i·s + k·d = (i + t)·s + φ, where φ = k·d
// mod s is the tap's phase and t = k·d div s its shift. So every tap adds
// its whole input plane, shifted by t, into the phase plane P[φ] (indexed
// by q = i + t), and the output is the interleave of the phase planes:
// y[o] = bias + P[(o + pad) mod s][(o + pad) div s]. In 2-D the phase
// planes P[m, φy, φx] are (ih + Ty − 1) × (iw + Tx − 1), Ty and Tx the
// largest shifts plus one. The column matrix is computed over input rows
// padded on the right to the phase planes' width (zero columns, never
// materialised: convTPaddedB), so one tap's contribution is ONE contiguous
// vector add of ih·(iw + Tx − 1) values (the zero columns of the last
// row spill past the plane into a margin). Compared with a per-row
// scatter this trades (Tx − 1)/iw more GEMM columns for adds the vector
// unit does 16 at a time.

// convTShift is the shift-add plan of one geometry (read-only once made).
type convTShift struct {
	sy, sx      int
	ky, kx      []int         // per tap row / column: phase·planes + shift offset (see tapOff)
	qy, qxp     int           // phase plane rows and width (also col's row stride)
	plane       int           // values per phase plane, with the spill margin
	oyPl, oyOff []int         // per output row: phase row φy and row offset qy·qxp, or −1
	oxPh, oxQ   []int         // per output column: phase φx and column qx, or −1
	runs        []convTColRun // the output columns as runs of one phase
	covered     int           // output columns in runs (the others are bias only)
}

// convTColRun is a run of n output columns from ox, every sx-th, reading
// consecutive phase-plane values from offset q of a row.
type convTColRun struct{ ox, q, n int }

// newConvTShift returns the plan of t.
func newConvTShift(t *convT2D) *convTShift {
	sp := &convTShift{sy: t.sh, sx: t.sw}
	ty := ((t.kh-1)*t.dh)/t.sh + 1
	tx := ((t.kw-1)*t.dw)/t.sw + 1
	sp.qy, sp.qxp = t.ih+ty-1, t.iw+tx-1
	sp.plane = sp.qy*sp.qxp + tx
	// The offset of tap (ky, kx) is that of its phase plane plus its
	// shift: ((φy·sx + φx)·plane) + ty·qxp + tx.
	for k := range t.kh {
		e := k * t.dh
		sp.ky = append(sp.ky, e%t.sh*t.sw*sp.plane+e/t.sh*sp.qxp)
	}
	for k := range t.kw {
		e := k * t.dw
		sp.kx = append(sp.kx, e%t.sw*sp.plane+e/t.sw)
	}
	for o := range t.oh {
		u := o + t.ph
		if u < 0 || u/t.sh >= sp.qy {
			sp.oyPl, sp.oyOff = append(sp.oyPl, -1), append(sp.oyOff, -1)
			continue
		}
		sp.oyPl = append(sp.oyPl, u%t.sh)
		sp.oyOff = append(sp.oyOff, u/t.sh*sp.qxp)
	}
	for o := range t.ow {
		u := o + t.pw
		if u < 0 || u/t.sw >= sp.qxp {
			sp.oxPh, sp.oxQ = append(sp.oxPh, -1), append(sp.oxQ, -1)
			continue
		}
		sp.oxPh, sp.oxQ = append(sp.oxPh, u%t.sw), append(sp.oxQ, u/t.sw)
	}
	in := make([]bool, t.ow)
	for ox := range t.ow {
		ph, q := sp.oxPh[ox], sp.oxQ[ox]
		if ph < 0 || in[ox] {
			continue
		}
		n := 0
		for o := ox; o < t.ow && sp.oxPh[o] == ph && sp.oxQ[o] == q+n; o += t.sw {
			in[o] = true
			n++
		}
		sp.runs = append(sp.runs, convTColRun{ox, ph*sp.plane + q, n})
		sp.covered += n
	}
	return sp
}

// planes is the scratch of one output channel's phase planes.
func (sp *convTShift) planes() int { return sp.sy * sp.sx * sp.plane }

// add accumulates the rows of col (rows (m, ky, kx), each n = ih·qxp
// values) of channels [m0, m1) into their phase planes p (planes()
// values per channel, starting at channel m0).
func (sp *convTShift) add(r *vecmath.Routines, col, p []float32, n, m0, m1 int) {
	kh, kw := len(sp.ky), len(sp.kx)
	for m := m0; m < m1; m++ {
		pm := p[(m-m0)*sp.planes():][:sp.planes()]
		clear(pm)
		for a, oy := range sp.ky {
			for b, ox := range sp.kx {
				src := col[((m*kh+a)*kw+b)*n:][:n]
				dst := pm[oy+ox:][:n]
				r.Binary(vecmath.Add, dst, dst, src)
			}
		}
	}
}

// store writes planes [m0, m1) of y (oh × ow each) from the phase planes
// p of those channels (starting at channel m0), adding the bias. Each
// output row is written phase by phase: the columns of phase φx are every
// sx-th, reading consecutive values of that phase plane's row.
func (sp *convTShift) store(y, p, bias []float32, ow, m0, m1 int) {
	oh := len(sp.oyPl)
	runs, covered := sp.runs, sp.covered
	for m := m0; m < m1; m++ {
		var b float32
		if bias != nil {
			b = bias[m]
		}
		pm := p[(m-m0)*sp.planes():][:sp.planes()]
		ym := y[m*oh*ow:][:oh*ow]
		for oy := range oh {
			row := ym[oy*ow:][:ow]
			pl := sp.oyPl[oy]
			if pl < 0 || covered < ow {
				for i := range row {
					row[i] = b
				}
				if pl < 0 {
					continue
				}
			}
			base := pl*sp.sx*sp.plane + sp.oyOff[oy]
			for _, r := range runs {
				src := pm[base+r.q:][:r.n]
				dst := row[r.ox:]
				if sp.sx == 2 {
					dst = dst[:2*r.n-1]
					for i, v := range src {
						dst[2*i] = v + b
					}
					continue
				}
				dst = dst[:(r.n-1)*sp.sx+1]
				for i, v := range src {
					dst[i*sp.sx] = v + b
				}
			}
		}
	}
}

// convTPaddedB is the sgemm.BSource of X[g] (k channels of ih × iw) with
// each row padded on the right to width wp by zero columns: column j is
// input position (j div wp, j mod wp).
type convTPaddedB struct {
	x          []float32
	ih, iw, wp int
}

// PackStrip implements sgemm.BSource.
func (s *convTPaddedB) PackStrip(dst []float32, pc, kc, j0, cols, nr int) {
	in := s.ih * s.iw
	for i := range kc {
		d := dst[i*nr : (i+1)*nr]
		xc := s.x[(pc+i)*in:][:in]
		clear(d[cols:])
		for j := 0; j < cols; {
			iy, ix := (j0+j)/s.wp, (j0+j)%s.wp
			n := min(s.wp-ix, cols-j)
			seg := d[j : j+n]
			if v := min(s.iw-ix, n); v > 0 {
				convCopyRun(seg[:v], xc[iy*s.iw+ix:][:v])
				clear(seg[v:])
			} else {
				clear(seg)
			}
			j += n
		}
	}
}
