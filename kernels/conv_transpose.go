package kernels

import (
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/isa"
)

// ConvTranspose: per (image, group), col = W[g]ᵀ · X[g] (M/g·k × in), then
// col2im scatters each column entry to the output position its input
// position and kernel tap map to: o = i*stride - pad_begin + k*dilation.
// This is the N-D path (float64, and float32 of rank other than 3 and 4);
// float32 1-D and 2-D take convt_f32.go.

func init() { Register("", "ConvTranspose", buildConvTranspose) }

func buildConvTranspose(b *Build) (Func, error) {
	spec, err := newConvSpec(b)
	if err != nil {
		return nil, err
	}
	k := newConvTKernel(b, spec) // float32 1-D and 2-D: convt_f32.go
	f64 := func(c *Ctx, in []*ir.Tensor) error { return runConvTranspose[float64](c, b.Level, spec, in, nil) }
	return nnFloatKernel(k.runF32, f64), nil
}

// runConvTranspose is the N-D path; act (float32 only, nil for none) is
// nncc.FusedConvTranspose's activation, applied to the whole output.
func runConvTranspose[T nnFloat](c *Ctx, level isa.Level, spec *convSpec, in []*ir.Tensor, act *fusedAct) error {
	x, w, bias, err := convInputs(c, in)
	if err != nil {
		return err
	}
	g, err := spec.geom(c, x.Shape, w.Shape, true)
	if err != nil {
		return err
	}
	if err := checkBias(c, bias, g.m); err != nil {
		return err
	}
	out, err := c.Output(0, x.DType, g.outShape())
	if err != nil || out.Len() == 0 {
		return err
	}
	xd, wd, yd := ir.Data[T](x), ir.Data[T](w), ir.Data[T](out)
	cg, mg := g.c/g.group, g.m/g.group
	rows := mg * g.kSize
	col := make([]T, rows*g.inSize)
	for n := range g.n {
		for gi := range g.group {
			xs := xd[(n*g.c+gi*cg)*g.inSize:]
			ws := wd[gi*cg*rows:]
			if x32, ok := any(xs).([]float32); ok {
				SgemmPar(level, c.Pool, true, false, rows, g.inSize, cg, 1, any(ws).([]float32), rows, x32, g.inSize, 0, any(col).([]float32), g.inSize)
			} else {
				gemmGeneric(true, false, rows, g.inSize, cg, 1, ws, rows, xs, g.inSize, 0, col, g.inSize)
			}
			col2im(g, col, mg, yd[(n*g.m+gi*mg)*g.outSize:])
		}
	}
	if bias != nil {
		bd := ir.Data[T](bias)
		for n := range g.n {
			for m := range g.m {
				row := yd[(n*g.m+m)*g.outSize : (n*g.m+m+1)*g.outSize]
				for i := range row {
					row[i] += bd[m]
				}
			}
		}
	}
	if y32, ok := any(yd).([]float32); ok && act != nil {
		act.apply(y32)
	}
	return nil
}

// col2im adds col (rows (channel, kernel tap) × input positions) into the
// ch output planes of y.
func col2im[T nnFloat](g *convGeom, col []T, ch int, y []T) {
	nsp := len(g.in)
	kidx := make([]int64, nsp)
	iidx := make([]int64, nsp)
	row := 0
	for m := range ch {
		ym := y[m*g.outSize : (m+1)*g.outSize]
		clear(kidx)
		for range g.kSize {
			src := col[row*g.inSize : (row+1)*g.inSize]
			row++
			clear(iidx)
			for i := range g.inSize {
				off, ok := 0, true
				for a := range nsp {
					o := iidx[a]*g.s[a] - g.pb[a] + kidx[a]*g.d[a]
					if o < 0 || o >= g.out[a] {
						ok = false
						break
					}
					off = off*int(g.out[a]) + int(o)
				}
				if ok {
					ym[off] += src[i]
				}
				nnIncIndex(iidx, g.in)
			}
			nnIncIndex(kidx, g.k)
		}
	}
}
