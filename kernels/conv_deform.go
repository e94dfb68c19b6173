package kernels

import (
	"math"

	"github.com/nncc/nncc/ir"
)

// DeformConv (2-D): each kernel tap reads the input at its regular
// position plus a learned offset, sampled bilinearly (zero outside the
// input), optionally scaled by a mask. The sampled values form a
// deformable im2col matrix that is multiplied by the weights per group.

func init() { Register("", "DeformConv", buildDeformConv) }

func buildDeformConv(b *Build) (Func, error) {
	spec, err := newConvSpec(b)
	if err != nil {
		return nil, err
	}
	og := int(b.Attrs().Int("offset_group", 1))
	if og <= 0 {
		return nil, b.Errorf("offset_group %d must be positive", og)
	}
	f32 := func(c *Ctx, in []*ir.Tensor) error { return runDeformConv[float32](c, spec, og, in) }
	f64 := func(c *Ctx, in []*ir.Tensor) error { return runDeformConv[float64](c, spec, og, in) }
	return nnFloatKernel(f32, f64), nil
}

func runDeformConv[T nnFloat](c *Ctx, spec *convSpec, og int, in []*ir.Tensor) error {
	x, w := in[0], in[1]
	if x == nil || w == nil || len(in) < 3 || in[2] == nil {
		return c.Errorf("inputs X, W and offset are required")
	}
	get := func(i int) *ir.Tensor {
		if i < len(in) {
			return in[i]
		}
		return nil
	}
	if err := nnSameDType(c, in, 0, 1, 2, 3, 4); err != nil {
		return err
	}
	if len(x.Shape) != 4 {
		return c.Errorf("only 2-D DeformConv is supported, X has shape %v", x.Shape)
	}
	g, err := spec.geom(c, x.Shape, w.Shape, false)
	if err != nil {
		return err
	}
	if g.c%og != 0 {
		return c.Errorf("input channels %d are not divisible by offset_group %d", g.c, og)
	}
	bias := get(3)
	if err := checkBias(c, bias, g.m); err != nil {
		return err
	}
	ih, iw, oh, ow := int(g.in[0]), int(g.in[1]), int(g.out[0]), int(g.out[1])
	kh, kw := int(g.k[0]), int(g.k[1])
	kk := kh * kw
	offset := in[2]
	if !sameShape(offset.Shape, []int64{int64(g.n), int64(og * kk * 2), int64(oh), int64(ow)}) {
		return c.Errorf("offset has shape %v, expected [%d %d %d %d]", offset.Shape, g.n, og*kk*2, oh, ow)
	}
	var md []T
	if m := get(4); m != nil {
		if !sameShape(m.Shape, []int64{int64(g.n), int64(og * kk), int64(oh), int64(ow)}) {
			return c.Errorf("mask has shape %v, expected [%d %d %d %d]", m.Shape, g.n, og*kk, oh, ow)
		}
		md = ir.Data[T](m)
	}
	out, err := c.OutputUninit(0, x.DType, g.outShape())
	if err != nil {
		return err
	}
	xd, wd, od, yd := ir.Data[T](x), ir.Data[T](w), ir.Data[T](offset), ir.Data[T](out)
	cg, mg := g.c/g.group, g.m/g.group
	cPerOG := g.c / og
	osz := oh * ow
	col := make([]T, g.c*kk*osz)
	for n := range g.n {
		for ci := range g.c {
			xc := xd[(n*g.c+ci)*ih*iw : (n*g.c+ci+1)*ih*iw]
			o := ci / cPerOG
			for ky := range kh {
				for kx := range kw {
					k := ky*kw + kx
					offH := od[((n*og+o)*kk*2+2*k)*osz:]
					offW := od[((n*og+o)*kk*2+2*k+1)*osz:]
					dst := col[(ci*kk+k)*osz : (ci*kk+k+1)*osz]
					for i := range oh {
						for j := range ow {
							p := i*ow + j
							h := float64(i*int(g.s[0])-int(g.pb[0])+ky*int(g.d[0])) + float64(offH[p])
							ww := float64(j*int(g.s[1])-int(g.pb[1])+kx*int(g.d[1])) + float64(offW[p])
							v := bilinearZero(xc, ih, iw, h, ww)
							if md != nil {
								v *= float64(md[((n*og+o)*kk+k)*osz+p])
							}
							dst[p] = T(v)
						}
					}
				}
			}
		}
		for gi := range g.group {
			ys := yd[(n*g.m+gi*mg)*osz:]
			gemmGeneric(false, false, mg, osz, cg*kk, 1, wd[gi*mg*cg*kk:], cg*kk, col[gi*cg*kk*osz:], osz, 0, ys, osz)
		}
		if bias != nil {
			bd := ir.Data[T](bias)
			for m := range g.m {
				row := yd[(n*g.m+m)*osz : (n*g.m+m+1)*osz]
				for i := range row {
					row[i] += bd[m]
				}
			}
		}
	}
	return nil
}

// bilinearZero samples plane (h×w) at (y, x) with bilinear interpolation,
// treating positions outside the plane as 0.
func bilinearZero[T nnFloat](plane []T, h, w int, y, x float64) float64 {
	if y <= -1 || y >= float64(h) || x <= -1 || x >= float64(w) || y != y || x != x {
		return 0
	}
	y0, x0 := math.Floor(y), math.Floor(x)
	fy, fx := y-y0, x-x0
	iy, ix := int(y0), int(x0)
	at := func(r, c int) float64 {
		if r < 0 || r >= h || c < 0 || c >= w {
			return 0
		}
		return float64(plane[r*w+c])
	}
	return (1-fy)*((1-fx)*at(iy, ix)+fx*at(iy, ix+1)) + fy*((1-fx)*at(iy+1, ix)+fx*at(iy+1, ix+1))
}
