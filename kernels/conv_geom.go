package kernels

import (
	"github.com/nncc/nncc/kernels/vecmath"
	"sync"

	"github.com/nncc/nncc/ir"
)

// Geometry of convolutions and their im2col lowering, shared by Conv,
// ConvInteger, QLinearConv and ConvTranspose.

// convGeom is a convolution resolved for concrete input and weight shapes.
type convGeom struct {
	n, c, m, group int     // batch, input channels, output channels, groups
	in, out        []int64 // spatial sizes of input and output
	k, s, d        []int64 // kernel, strides, dilations
	pb, pe         []int64 // padding at the beginning and end of each axis
	inSize         int     // product of in
	outSize        int     // product of out
	kSize          int     // product of k
	pointwise      bool    // 1×…×1 kernel, unit strides, no padding: im2col is the identity
	oshape         []int64 // [N, M, out...]

	layOnce sync.Once
	lay     *convLayout // float32 lowering (1-D, 2-D), made on first use
}

// layout returns the float32 patch-matrix layout of a 1-D or 2-D
// convolution (nil otherwise), made once per geometry.
func (g *convGeom) layout() *convLayout {
	g.layOnce.Do(func() { g.lay = convLayoutOf(g) })
	return g.lay
}

// convSpec holds a Conv-family node's attributes, parsed at build time.
type convSpec struct {
	attrs  ir.Attrs
	group  int
	kernel []int64 // kernel_shape, or nil to take it from W
	exact  bool    // exact_sums: no algorithm that rounds sums (Winograd)

	mu    sync.Mutex // guards the cache below
	xs    []int64
	ws    []int64
	cache *convGeom
}

func newConvSpec(b *Build) (*convSpec, error) {
	a := b.Attrs()
	g := a.Int("group", 1)
	if g <= 0 {
		return nil, b.Errorf("group %d must be positive", g)
	}
	s := &convSpec{attrs: a, group: int(g), kernel: a.Ints("kernel_shape", nil), exact: a.Int("exact_sums", 0) != 0}
	if s.kernel != nil {
		if _, err := ir.ParseWindowAttrs(a, len(s.kernel), s.kernel); err != nil {
			return nil, b.Errorf("%v", err)
		}
	}
	return s, nil
}

// geom resolves (and caches, for the last shapes seen) the geometry of a
// convolution of x by w, where w's dims are [M, C/group, k...] (or, when
// transposed, [C, M/group, k...]).
func (s *convSpec) geom(c *Ctx, xs, ws []int64, transposed bool) (*convGeom, error) {
	s.mu.Lock()
	if s.cache != nil && sameShape(s.xs, xs) && sameShape(s.ws, ws) {
		g := s.cache
		s.mu.Unlock()
		return g, nil
	}
	s.mu.Unlock()
	g, err := s.resolve(c, xs, ws, transposed)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.xs, s.ws, s.cache = append([]int64{}, xs...), append([]int64{}, ws...), g
	s.mu.Unlock()
	return g, nil
}

func (s *convSpec) resolve(c *Ctx, xs, ws []int64, transposed bool) (*convGeom, error) {
	if len(xs) < 3 {
		return nil, c.Errorf("input X must have rank >= 3, got shape %v", xs)
	}
	if len(ws) != len(xs) {
		return nil, c.Errorf("weight W has shape %v, expected rank %d like X %v", ws, len(xs), xs)
	}
	nsp := len(xs) - 2
	k := s.kernel
	if k == nil {
		k = ws[2:]
	}
	if len(k) != nsp || !sameShape(k, ws[2:]) {
		return nil, c.Errorf("kernel_shape %v does not match weight shape %v", k, ws)
	}
	wa, err := ir.ParseWindowAttrs(s.attrs, nsp, k)
	if err != nil {
		return nil, c.Errorf("%v", err)
	}
	g := &convGeom{n: int(xs[0]), c: int(xs[1]), group: s.group, in: xs[2:], k: k, s: wa.Strides, d: wa.Dilations,
		out: make([]int64, nsp), pb: make([]int64, nsp), pe: make([]int64, nsp)}
	if g.c%g.group != 0 {
		return nil, c.Errorf("input channels %d are not divisible by group %d", g.c, g.group)
	}
	if transposed {
		if int(ws[0]) != g.c {
			return nil, c.Errorf("weight W %v: first dim must equal input channels %d", ws, g.c)
		}
		g.m = int(ws[1]) * g.group
		outPad, outShape, err := ir.ConvTransposeShapes(s.attrs, nsp)
		if err != nil {
			return nil, c.Errorf("%v", err)
		}
		for i := range nsp {
			if g.out[i], g.pb[i], g.pe[i], err = ir.ConvTransposeAxis(&wa, outPad, outShape, i, xs[2+i]); err != nil {
				return nil, c.Errorf("%v", err)
			}
		}
	} else {
		g.m = int(ws[0])
		if int(ws[1])*g.group != g.c {
			return nil, c.Errorf("weight W %v: C/group = %d, but X has %d channels and group is %d", ws, ws[1], g.c, g.group)
		}
		if g.m%g.group != 0 {
			return nil, c.Errorf("output channels %d are not divisible by group %d", g.m, g.group)
		}
		for i := range nsp {
			if g.out[i], g.pb[i], g.pe[i], err = wa.Axis(i, xs[2+i]); err != nil {
				return nil, c.Errorf("%v", err)
			}
		}
	}
	g.inSize, g.outSize, g.kSize = nnProd(g.in), nnProd(g.out), nnProd(g.k)
	g.outShape()
	g.pointwise = !transposed
	for i := range nsp {
		if g.k[i] != 1 || g.s[i] != 1 || g.pb[i] != 0 || g.pe[i] != 0 {
			g.pointwise = false
		}
	}
	return g, nil
}

// outShape returns [N, M, out...] (shared; do not modify).
func (g *convGeom) outShape() []int64 {
	if g.oshape == nil {
		g.oshape = append([]int64{int64(g.n), int64(g.m)}, g.out...)
	}
	return g.oshape
}

// im2col writes the patch matrix of x (channels × in spatial, ch channels)
// into col: row (ci, kernel offset) holds, for every output position, the
// input value the kernel tap reads there, or 0 in the padding.
func im2col[T any](g *convGeom, x []T, ch int, col []T) {
	switch len(g.in) {
	case 1, 2:
		im2col2D(g, x, ch, col)
	case 3:
		im2col3D(g, x, ch, col)
	default:
		im2colND(g, x, ch, col)
	}
}

func im2col2D[T any](g *convGeom, x []T, ch int, col []T) {
	ih, iw, oh, ow := 1, int(g.in[0]), 1, int(g.out[0])
	kh, kw, sh, sw, dh, dw, ph, pw := 1, int(g.k[0]), 1, int(g.s[0]), 1, int(g.d[0]), 0, int(g.pb[0])
	if len(g.in) == 2 {
		ih, iw, oh, ow = int(g.in[0]), int(g.in[1]), int(g.out[0]), int(g.out[1])
		kh, kw, sh, sw = int(g.k[0]), int(g.k[1]), int(g.s[0]), int(g.s[1])
		dh, dw, ph, pw = int(g.d[0]), int(g.d[1]), int(g.pb[0]), int(g.pb[1])
	}
	os := oh * ow
	row := 0
	for ci := range ch {
		xc := x[ci*ih*iw : (ci+1)*ih*iw]
		for ky := range kh {
			// Output rows [y0, y1) read input rows inside the plane.
			y0, y1 := vecmath.Span(ih, oh, sh, ph, ky*dh)
			for kx := range kw {
				dst := col[row*os : (row+1)*os]
				row++
				// Output columns [x0, x1) read input columns inside the plane.
				x0, x1 := vecmath.Span(iw, ow, sw, pw, kx*dw)
				clear(dst[:y0*ow])
				clear(dst[y1*ow:])
				if x0 >= x1 {
					clear(dst[y0*ow : y1*ow])
					continue
				}
				n := x1 - x0
				ix := x0*sw - pw + kx*dw
				edges := x0 > 0 || x1 < ow
				for oy := y0; oy < y1; oy++ {
					d := dst[oy*ow : (oy+1)*ow]
					if edges {
						clear(d[:x0])
						clear(d[x1:])
					}
					src := xc[(oy*sh-ph+ky*dh)*iw+ix:]
					out := d[x0:x1]
					switch {
					case sw == 1 && n >= 32:
						copy(out, src[:n])
					case sw == 1:
						src = src[:n]
						for i := range out {
							out[i] = src[i]
						}
					default:
						src = src[:(n-1)*sw+1]
						for i := range out {
							out[i] = src[i*sw]
						}
					}
				}
			}
		}
	}
}

// im2col3D is im2col for 3-D convolutions: per kernel tap, the output
// depths [z0, z1), rows [y0, y1) and columns [x0, x1) reading inside the
// input come from vecmath.Span, so each output row is one contiguous (or
// strided) copy between cleared borders.
func im2col3D[T any](g *convGeom, x []T, ch int, col []T) {
	id, ih, iw := int(g.in[0]), int(g.in[1]), int(g.in[2])
	od, oh, ow := int(g.out[0]), int(g.out[1]), int(g.out[2])
	kd, kh, kw := int(g.k[0]), int(g.k[1]), int(g.k[2])
	sd, sh, sw := int(g.s[0]), int(g.s[1]), int(g.s[2])
	dd, dh, dw := int(g.d[0]), int(g.d[1]), int(g.d[2])
	pd, ph, pw := int(g.pb[0]), int(g.pb[1]), int(g.pb[2])
	plane, os := oh*ow, od*oh*ow
	row := 0
	for ci := range ch {
		xc := x[ci*id*ih*iw : (ci+1)*id*ih*iw]
		for kz := range kd {
			z0, z1 := vecmath.Span(id, od, sd, pd, kz*dd)
			for ky := range kh {
				y0, y1 := vecmath.Span(ih, oh, sh, ph, ky*dh)
				for kx := range kw {
					dst := col[row*os : (row+1)*os]
					row++
					x0, x1 := vecmath.Span(iw, ow, sw, pw, kx*dw)
					if x0 >= x1 || y0 >= y1 || z0 >= z1 {
						clear(dst)
						continue
					}
					clear(dst[:z0*plane])
					clear(dst[z1*plane:])
					n := x1 - x0
					ix := x0*sw - pw + kx*dw
					for oz := z0; oz < z1; oz++ {
						dp := dst[oz*plane : (oz+1)*plane]
						clear(dp[:y0*ow])
						clear(dp[y1*ow:])
						xz := xc[(oz*sd-pd+kz*dd)*ih*iw:]
						for oy := y0; oy < y1; oy++ {
							d := dp[oy*ow : (oy+1)*ow]
							clear(d[:x0])
							clear(d[x1:])
							src := xz[(oy*sh-ph+ky*dh)*iw+ix:]
							out := d[x0:x1]
							if sw == 1 {
								copy(out, src[:n])
								continue
							}
							src = src[:(n-1)*sw+1]
							for i := range out {
								out[i] = src[i*sw]
							}
						}
					}
				}
			}
		}
	}
}

func im2colND[T any](g *convGeom, x []T, ch int, col []T) {
	var zero T
	nsp := len(g.in)
	kidx := make([]int64, nsp)
	oidx := make([]int64, nsp)
	row := 0
	for ci := range ch {
		xc := x[ci*g.inSize : (ci+1)*g.inSize]
		clear(kidx)
		for range g.kSize {
			dst := col[row*g.outSize : (row+1)*g.outSize]
			row++
			clear(oidx)
			for o := range g.outSize {
				off, ok := 0, true
				for a := range nsp {
					p := oidx[a]*g.s[a] - g.pb[a] + kidx[a]*g.d[a]
					if p < 0 || p >= g.in[a] {
						ok = false
						break
					}
					off = off*int(g.in[a]) + int(p)
				}
				if ok {
					dst[o] = xc[off]
				} else {
					dst[o] = zero
				}
				nnIncIndex(oidx, g.out)
			}
			nnIncIndex(kidx, g.k)
		}
	}
}

// nnIncIndex advances a row-major multi-index within shape.
func nnIncIndex(idx, shape []int64) {
	for a := len(idx) - 1; a >= 0; a-- {
		idx[a]++
		if idx[a] < shape[a] {
			return
		}
		idx[a] = 0
	}
}

// convStaticShape returns X's shape of the given rank from the build's
// input types, with batch 1 when the batch is unknown (it does not enter
// the algorithm choice), or nil when the rank differs or another
// dimension is unknown.
func convStaticShape(b *Build, rank int) []int64 {
	if len(b.InTypes) == 0 || b.InTypes[0] == nil || !b.InTypes[0].RankKnown || len(b.InTypes[0].Shape) != rank {
		return nil
	}
	xs := make([]int64, rank)
	for i, d := range b.InTypes[0].Shape {
		switch {
		case d.Known():
			xs[i] = d.Size
		case i == 0:
			xs[i] = 1
		default:
			return nil
		}
	}
	return xs
}
