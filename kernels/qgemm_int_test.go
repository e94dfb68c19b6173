package kernels

import (
	"fmt"
	"math/rand"
	"reflect"
	"slices"
	"testing"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/isa"
	"github.com/nncc/nncc/kernels/qgemm"
)

// qgemmLevel is the level whose integer operators run on qgemm, or
// skips the test when this CPU has none.
func qgemmLevel(t testing.TB) isa.Level {
	if !qgemm.Has(isa.AVX512) {
		t.Skip("no integer GEMM kernel on this CPU")
	}
	return isa.AVX512
}

// qtThreeWays runs op with the constant inputs consts on qgemm, on the
// float path (NNCC_QGEMM=off) and on the int32 loops (no constants), and
// requires the three results to be identical and the inputs unmodified.
func qtThreeWays(t *testing.T, op string, opset int64, attrs ir.Attrs, consts []int, in ...*ir.Tensor) {
	t.Helper()
	l := qgemmLevel(t)
	keep := make([]*ir.Tensor, len(in))
	for i, v := range in {
		if v != nil {
			keep[i] = v.Clone()
		}
	}
	want, err := qtRun(op, opset, attrs, nil, l, in...)
	if err != nil {
		t.Fatal(err)
	}
	got, err := qtRun(op, opset, attrs, consts, l, in...)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("NNCC_QGEMM", "off")
	flt, err := qtRun(op, opset, attrs, consts, l, in...)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Shape, want.Shape) || !reflect.DeepEqual(got.Data, want.Data) {
		t.Fatalf("qgemm path differs from the int32 loops")
	}
	if !reflect.DeepEqual(flt.Data, got.Data) {
		t.Fatalf("qgemm path differs from the float path")
	}
	for i := range in {
		if in[i] != nil && !reflect.DeepEqual(in[i].Data, keep[i].Data) {
			t.Fatalf("input %d modified", i)
		}
	}
}

// TestConvIntegerQGemm covers ConvInteger on qgemm with layers large
// enough for several column blocks and threads: padded, strided, dilated,
// grouped, 1-D, 3-D and 1×1 convolutions, both input and weight types,
// extreme values.
func TestConvIntegerQGemm(t *testing.T) {
	rng := rand.New(rand.NewSource(31))
	cases := []struct {
		name     string
		xdt, wdt ir.DType
		xs, ws   []int64
		attrs    ir.Attrs
		lo, hi   int // weight values
		perChan  bool
	}{
		{"u8u8 3x3 pad", ir.Uint8, ir.Uint8, []int64{1, 16, 40, 45}, []int64{24, 16, 3, 3}, nntAttrs("pads", []int64{1, 1, 1, 1}), 0, 255, true},
		{"u8s8 dil2", ir.Uint8, ir.Int8, []int64{2, 9, 30, 33}, []int64{13, 9, 3, 3}, nntAttrs("pads", []int64{2, 2, 2, 2}, "dilations", []int64{2, 2}), -128, 127, false},
		{"s8s8 stride2 group", ir.Int8, ir.Int8, []int64{1, 12, 37, 29}, []int64{12, 4, 3, 3}, nntAttrs("pads", []int64{1, 0, 0, 1}, "strides", []int64{2, 2}, "group", 3), -128, 127, true},
		{"u8 1x1", ir.Uint8, ir.Uint8, []int64{1, 70, 33, 35}, []int64{33, 70, 1, 1}, nil, 0, 255, false},
		{"u8 1d", ir.Uint8, ir.Uint8, []int64{1, 5, 2000}, []int64{9, 5, 7}, nntAttrs("pads", []int64{3, 3}), 0, 255, true},
		{"s8 3d", ir.Int8, ir.Uint8, []int64{1, 3, 6, 17, 19}, []int64{5, 3, 3, 3, 3}, nntAttrs("pads", []int64{1, 1, 1, 1, 1, 1}), 0, 255, false},
		{"u8 extremes", ir.Uint8, ir.Uint8, []int64{1, 64, 20, 20}, []int64{8, 64, 3, 3}, nntAttrs("pads", []int64{1, 1, 1, 1}), 255, 255, false},
		{"s8 extremes", ir.Int8, ir.Int8, []int64{1, 64, 20, 20}, []int64{8, 64, 3, 3}, nntAttrs("pads", []int64{1, 1, 1, 1}), -128, -128, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			lo, hi := -128, 255
			if c.lo == c.hi { // extremes: inputs at one end too
				lo, hi = 255, 255
				if c.xdt == ir.Int8 {
					lo, hi = 127, 127
				}
			}
			x := qtRand8(rng, c.xdt, lo, hi, c.xs...)
			w := qtRand8(rng, c.wdt, c.lo, c.hi, c.ws...)
			xz := qtRand8(rng, c.xdt, -128, 255)
			wz := qtRand8(rng, c.wdt, -128, 255)
			if c.perChan {
				wz = qtRand8(rng, c.wdt, -128, 255, c.ws[0])
			}
			if c.lo == c.hi { // zero points at the other end
				xz = qtRand8(rng, c.xdt, -128, 0)
				wz = qtRand8(rng, c.wdt, 0, 0, wz.Shape...)
				if c.wdt == ir.Int8 {
					wz = qtRand8(rng, c.wdt, 127, 127, wz.Shape...)
				}
			}
			qtThreeWays(t, "ConvInteger", 10, c.attrs, []int{1, 3}, x, w, xz, wz)
		})
	}
}

// TestMatMulIntegerQGemm covers MatMulInteger on qgemm: batched A,
// per-column B zero points, int8 A, shapes over several blocks.
func TestMatMulIntegerQGemm(t *testing.T) {
	rng := rand.New(rand.NewSource(32))
	for _, c := range []struct {
		adt, bdt ir.DType
		as       []int64
		k, n     int64
		perCol   bool
	}{
		{ir.Uint8, ir.Int8, []int64{3, 50, 70}, 70, 45, true},
		{ir.Int8, ir.Int8, []int64{700, 33}, 33, 70, false},
		{ir.Uint8, ir.Uint8, []int64{2, 1000, 129}, 129, 17, true},
		{ir.Int8, ir.Uint8, []int64{1, 5}, 5, 3, false},
	} {
		t.Run(fmt.Sprint(c.as, c.k, c.n), func(t *testing.T) {
			a := qtRand8(rng, c.adt, -128, 255, c.as...)
			b := qtRand8(rng, c.bdt, -128, 255, c.k, c.n)
			bz := qtRand8(rng, c.bdt, -128, 255)
			if c.perCol {
				bz = qtRand8(rng, c.bdt, -128, 255, c.n)
			}
			qtThreeWays(t, "MatMulInteger", 10, nil, []int{1, 3}, a, b, qtRand8(rng, c.adt, -128, 255), bz)
		})
	}
}

// BenchmarkConvIntegerQGemm compares ConvInteger on qgemm with the float
// path (NNCC_QGEMM=off) on ISNet-like layers, one thread, at AVX-512
// and AVX2; GOPS counts multiply-adds as two operations, cpu-GOPS divides
// by the process's CPU time instead of the wall time (the machine is
// shared).
func BenchmarkConvIntegerQGemm(b *testing.B) {
	qgemmLevel(b)
	rng := rand.New(rand.NewSource(33))
	for _, sh := range []struct{ c, m, hw, k int64 }{{64, 64, 128, 3}, {16, 64, 256, 3}, {128, 256, 32, 3}, {256, 64, 64, 1}} {
		x := qtRand8(rng, ir.Uint8, 0, 255, 1, sh.c, sh.hw, sh.hw)
		w := qtRand8(rng, ir.Uint8, 0, 255, sh.m, sh.c, sh.k, sh.k)
		xz, wz := qtRand8(rng, ir.Uint8, 0, 255), qtRand8(rng, ir.Uint8, 0, 255)
		p := sh.k / 2
		attrs := nntAttrs("pads", []int64{p, p, p, p})
		ops := 2 * float64(sh.m*sh.c*sh.k*sh.k*sh.hw*sh.hw)
		for _, lp := range []struct {
			l    isa.Level
			path string
		}{{isa.AVX512, "qgemm"}, {isa.AVX512, "float"}, {isa.AVX2, "qgemm"}, {isa.AVX2, "float"}} {
			l, path := lp.l, lp.path
			b.Run(fmt.Sprintf("c%d_m%d_%dx%d_k%d/isa=%v/path=%s", sh.c, sh.m, sh.hw, sh.hw, sh.k, l, path), func(b *testing.B) {
				if path == "float" {
					b.Setenv("NNCC_QGEMM", "off")
				}
				f, n := qtBuild(b, "ConvInteger", 10, attrs, []int{1, 3}, l, x, w, xz, wz)
				c := &Ctx{Outs: make([]*ir.Tensor, 1), Pool: Serial{}, Node: n}
				in := []*ir.Tensor{x, w, xz, wz}
				if err := f(c, in); err != nil {
					b.Fatal(err)
				}
				b.ResetTimer()
				cpu0 := processCPU()
				for range b.N {
					if err := f(c, in); err != nil {
						b.Fatal(err)
					}
				}
				cpu := processCPU() - cpu0
				b.ReportMetric(ops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GOPS")
				if cpu > 0 {
					b.ReportMetric(ops*float64(b.N)/float64(cpu), "cpu-GOPS")
				}
			})
		}
	}
}

// qtBuild is qtRun's build step: the node's Func and the node.
func qtBuild(tb testing.TB, op string, opset int64, attrs ir.Attrs, consts []int, l isa.Level, in ...*ir.Tensor) (Func, *ir.Node) {
	n := &ir.Node{Name: "n", Op: op, Opset: opset, Attrs: attrs}
	if n.Attrs == nil {
		n.Attrs = ir.Attrs{}
	}
	var types []*ir.Type
	for i, t := range in {
		v := &ir.Value{Name: fmt.Sprint("in", i), Type: ir.TypeOfTensor(t)}
		if slices.Contains(consts, i) {
			v.Const = t
		}
		n.Inputs = append(n.Inputs, v)
		types = append(types, &v.Type)
	}
	n.Outputs = []*ir.Value{{Name: "out"}}
	if err := ir.InferNode(n); err != nil {
		tb.Fatal(err)
	}
	f, err := BuildNode(&Build{Node: n, InTypes: types, Level: l})
	if err != nil {
		tb.Fatal(err)
	}
	return f, n
}

// TestQFillXorCopy checks the byte helpers of the bordered copy against
// byte loops for lengths 0…70, with guard bytes after the destination.
func TestQFillXorCopy(t *testing.T) {
	rng := rand.New(rand.NewSource(34))
	for n := range 71 {
		src := make([]uint8, n)
		rng.Read(src)
		for _, mask := range []uint8{0, 0x80} {
			dst := make([]uint8, n+9)
			for i := range dst {
				dst[i] = 0xa5
			}
			qXorCopy(dst[:n], src, mask)
			for i, v := range dst {
				want := uint8(0xa5)
				if i < n {
					want = src[i] ^ mask
				}
				if v != want {
					t.Fatalf("qXorCopy n=%d mask=%#x: byte %d = %#x, want %#x", n, mask, i, v, want)
				}
			}
		}
		dst := make([]uint8, n+9)
		qFill(dst[:n], 0x7e)
		for i, v := range dst {
			if want := map[bool]uint8{true: 0x7e, false: 0}[i < n]; v != want {
				t.Fatalf("qFill n=%d: byte %d = %#x, want %#x", n, i, v, want)
			}
		}
	}
}
