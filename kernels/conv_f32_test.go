package kernels

import (
	"fmt"
	"math"
	"math/rand"
	"testing"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/isa"
)

// convTestGeoms are 1-D and 2-D geometries with every attribute the
// float32 paths special-case: padding (one side, both), strides, dilations,
// groups, 1×1 kernels, outputs narrower and wider than a strip.
var convTestGeoms = []struct {
	name   string
	xs, ws []int64
	attrs  ir.Attrs
}{
	{"3x3", []int64{2, 3, 9, 11}, []int64{8, 3, 3, 3}, nil},
	{"3x3 pad", []int64{1, 4, 7, 6}, []int64{9, 4, 3, 3}, nntAttrs("pads", []int64{1, 1, 1, 1})},
	{"3x3 wide", []int64{1, 2, 13, 30}, []int64{7, 2, 3, 3}, nntAttrs("pads", []int64{1, 2, 0, 1})},
	{"5x4 stride dil", []int64{2, 3, 17, 15}, []int64{5, 3, 5, 4}, nntAttrs("strides", []int64{2, 3}, "dilations", []int64{2, 1}, "pads", []int64{2, 1, 0, 3})},
	{"pointwise", []int64{2, 16, 9, 10}, []int64{12, 16, 1, 1}, nil},
	{"pointwise stride", []int64{1, 8, 9, 9}, []int64{70, 8, 1, 1}, nntAttrs("strides", []int64{2, 2})},
	{"groups", []int64{2, 6, 8, 8}, []int64{9, 2, 3, 3}, nntAttrs("group", 3, "pads", []int64{1, 0, 1, 2})},
	{"deep small", []int64{1, 40, 5, 5}, []int64{72, 40, 3, 3}, nntAttrs("pads", []int64{1, 1, 1, 1})},
	{"1-D", []int64{2, 3, 40}, []int64{5, 3, 4}, nntAttrs("strides", []int64{3}, "pads", []int64{2, 1})},
	{"1-D dilated", []int64{1, 4, 70}, []int64{6, 4, 3}, nntAttrs("dilations", []int64{3})},
	{"long rows", []int64{1, 2, 3, 150}, []int64{4, 2, 2, 3}, nntAttrs("pads", []int64{0, 1, 1, 0})},
	{"winograd", []int64{2, 16, 10, 12}, []int64{24, 16, 3, 3}, nntAttrs("pads", []int64{1, 0, 2, 1})},
}

// TestConvPatchesAgainstIm2col checks every strip convPatches packs, for
// several strip widths and k ranges, against the materialised im2col.
func TestConvPatchesAgainstIm2col(t *testing.T) {
	rng := rand.New(rand.NewSource(21))
	for _, tc := range convTestGeoms {
		spec, err := newConvSpec(&Build{Node: &ir.Node{Attrs: withNames(tc.attrs)}})
		if err != nil {
			t.Fatal(err)
		}
		g, err := spec.resolve(&Ctx{}, tc.xs, tc.ws, false)
		if err != nil {
			t.Fatal(err)
		}
		l := g.layout()
		if l == nil {
			t.Fatalf("%s: no layout", tc.name)
		}
		cg := g.c / g.group
		kk, out := cg*g.kSize, g.outSize
		x := nntRand(rng, tc.xs...).F32()
		orig := append([]float32(nil), x...)
		for gi := range g.group {
			xg := x[gi*cg*g.inSize : (gi+1)*cg*g.inSize]
			want := make([]float32, kk*out)
			im2col(g, xg, cg, want)
			src := &convPatches{l: l, x: xg}
			src.x = l.source(make([]float32, l.padLen(cg)), xg, cg)
			col := make([]float32, kk*out)
			src.materialise(col)
			nntClose(t, tc.name+" materialised", col, want, 0)
			for _, nr := range []int{4, 16, 64} {
				for _, kr := range [][2]int{{0, kk}, {kk / 3, kk - kk/3}} {
					pc, kc := kr[0], kr[1]-kr[0]
					for j0 := 0; j0 < out; j0 += nr {
						cols := min(nr, out-j0)
						dst := make([]float32, kc*nr+1)
						for i := range dst {
							dst[i] = float32(math.NaN())
						}
						src.PackStrip(dst[:kc*nr], pc, kc, j0, cols, nr)
						for p := range kc {
							for j := range nr {
								w := float32(0)
								if j < cols {
									w = want[(pc+p)*out+j0+j]
								}
								if got := dst[p*nr+j]; got != w {
									t.Fatalf("%s group %d nr %d pc %d j0 %d: B[%d,%d] = %v, want %v", tc.name, gi, nr, pc, j0, pc+p, j0+j, got, w)
								}
							}
						}
						if !math.IsNaN(float64(dst[kc*nr])) {
							t.Fatalf("%s: PackStrip wrote past its strip", tc.name)
						}
					}
				}
			}
		}
		nntClose(t, tc.name+" input unmodified", x, orig, 0)
	}
}

// TestConvF32EveryAlgorithm runs each geometry with every float32
// algorithm that applies, constant or computed W, with and without bias,
// residual and activation, serially and split over threads, against the
// definition.
func TestConvF32EveryAlgorithm(t *testing.T) {
	defer func(p int, f convAlgo) { convParMACs, convForce = p, f }(convParMACs, convForce)
	rng := rand.New(rand.NewSource(22))
	for _, tc := range convTestGeoms {
		nsp := len(tc.xs) - 2
		wa, err := ir.ParseWindowAttrs(withNames(tc.attrs), nsp, tc.ws[2:])
		if err != nil {
			t.Fatal(err)
		}
		outSp, pads := make([]int64, nsp), make([]int64, nsp)
		for i := range nsp {
			outSp[i], pads[i], _, _ = wa.Axis(i, tc.xs[2+i])
		}
		group := 1
		if a, ok := tc.attrs["group"]; ok {
			group = int(a.I)
		}
		x, w, b := nntRand(rng, tc.xs...), nntRand(rng, tc.ws...), nntRand(rng, tc.ws[0])
		conv := convDirect(x.F32(), w.F32(), b.F32(), tc.xs, tc.ws, group, wa.Strides, wa.Dilations, pads, outSp)
		convNB := convDirect(x.F32(), w.F32(), nil, tc.xs, tc.ws, group, wa.Strides, wa.Dilations, pads, outSp)
		ys := append([]int64{tc.xs[0], tc.ws[0]}, outSp...)
		r := nntRand(rng, ys...)
		for _, algo := range []convAlgo{convIm2col, convPointwise, convPacked, convWinograd, convFlat} {
			tol := 2e-5
			if tc.name == "winograd" && algo != convIm2col && algo != convPacked {
				// Winograd (forced, or chosen where the forced
				// pointwise form does not apply): package winograd's bound for F(4,3): 6·u·R₄·(cin + d₄).
				tol = 6 * 0x1p-24 * 31.4 * float64(tc.xs[1]+15)
			}
			for _, par := range []int{1 << 40, 0} {
				convForce, convParMACs = algo, par
				for _, v := range []struct {
					act  string
					bias bool
					res  bool
				}{{"", true, false}, {"", false, false}, {"Relu", true, true}, {"Sigmoid", false, true}, {"Relu", false, false}} {
					name := fmt.Sprintf("%s algo %d par %v act %q bias %v res %v", tc.name, algo, par == 0, v.act, v.bias, v.res)
					want := make([]float32, len(conv))
					for i := range want {
						s := float64(convNB[i])
						if v.bias {
							s = float64(conv[i])
						}
						if v.res {
							s += float64(r.F32()[i])
						}
						switch v.act {
						case "Relu":
							s = math.Max(s, 0)
						case "Sigmoid":
							s = 1 / (1 + math.Exp(-s))
						}
						want[i] = float32(s)
					}
					a := ir.Attrs{}
					for k, av := range tc.attrs {
						a[k] = av
					}
					if v.act != "" {
						a.SetString("activation", v.act)
					}
					in := []*ir.Tensor{x, w, nil, nil}
					if v.bias {
						in[2] = b
					}
					if v.res {
						in[3] = r
					}
					for _, cst := range []bool{false, true} {
						for _, pool := range []Pool{Serial{}, testPool{3}} {
							for _, l := range []isa.Level{isa.Generic, isa.Current()} {
								got, err := convFusedRun(a, in, cst, pool, l)
								if err != nil {
									t.Fatalf("%s: %v", name, err)
								}
								nntClose(t, fmt.Sprintf("%s const %v threads %d level %v", name, cst, pool.Threads(), l), got, want, tol)
							}
						}
					}
				}
			}
		}
	}
}

// convFusedRun builds and runs one nncc.FusedConv node (W constant when
// cst) for the ISA level twice, so that the second Run reuses its scratch and packed W.
func convFusedRun(attrs ir.Attrs, in []*ir.Tensor, cst bool, pool Pool, level isa.Level) ([]float32, error) {
	n := &ir.Node{Name: "n", Domain: ir.FusedDomain, Op: "FusedConv", Opset: 1, Attrs: withNames(attrs)}
	var types []*ir.Type
	for i, t := range in {
		if t == nil {
			n.Inputs = append(n.Inputs, nil)
			types = append(types, nil)
			continue
		}
		v := &ir.Value{Name: fmt.Sprint("in", i), Type: ir.TypeOfTensor(t)}
		if i == 1 && cst {
			v.Const = t
		}
		n.Inputs = append(n.Inputs, v)
		types = append(types, &v.Type)
	}
	n.Outputs = []*ir.Value{{Name: "y"}}
	f, err := BuildNode(&Build{Node: n, InTypes: types, Level: level})
	if err != nil {
		return nil, err
	}
	c := &Ctx{Outs: make([]*ir.Tensor, 1), Pool: pool, Node: n}
	for range 2 {
		if err := f(c, in); err != nil {
			return nil, err
		}
	}
	return c.Outs[0].F32(), nil
}
