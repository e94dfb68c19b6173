package kernels

import (
	"fmt"
	"math"
	"math/rand"
	goruntime "runtime"
	"slices"
	"testing"
	"unsafe"

	"github.com/nncc/nncc/internal/allocstest"
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/isa"
)

// TestPadFastMatchesMapped checks the fast Pad path against the generic
// index-mapping path (mvMapped) bit for bit over random shapes of rank 1-5,
// all modes, positive, zero and negative pads, pads larger than the axis,
// several element widths, with NaN guard regions around the output and
// the input left unmodified.
func TestPadFastMatchesMapped(t *testing.T) {
	rng := rand.New(rand.NewSource(6))
	dtypes := []ir.DType{ir.Float32, ir.Uint8, ir.Float16, ir.Int64, ir.Complex128, ir.Bool}
	modes := []int{mvPadConstant, mvPadReflect, mvPadEdge, mvPadWrap}
	cases := 0
	for it := 0; it < 3000; it++ {
		r := 1 + rng.Intn(5)
		mode := modes[rng.Intn(len(modes))]
		dt := dtypes[rng.Intn(len(dtypes))]
		in := make([]int64, r)
		begin := make([]int64, r)
		end := make([]int64, r)
		out := make([]int64, r)
		ok := true
		for a := range in {
			in[a] = int64(rng.Intn(5))
			if rng.Intn(6) == 0 {
				in[a] = int64(5 + rng.Intn(9))
			}
			if rng.Intn(3) > 0 { // leave some axes unpadded so that they merge
				begin[a] = int64(rng.Intn(9) - 3)
				end[a] = int64(rng.Intn(9) - 3)
			}
			out[a] = in[a] + begin[a] + end[a]
			if out[a] < 0 {
				ok = false
			}
		}
		if !ok || ir.NumElements(out) == 0 || ir.NumElements(out) > 1<<16 {
			continue
		}
		maps, err := mvPadMaps(in, out, begin, mode)
		fast := planPadFast(in, out, begin, mode)
		if (err != nil) != (fast == nil) {
			t.Fatalf("in %v out %v begin %v mode %d: generic error %v, fast plan %v", in, out, begin, mode, err, fast != nil)
		}
		if err != nil {
			continue
		}
		name := fmt.Sprintf("%v in %v out %v begin %v mode %d", dt, in, out, begin, mode)
		padCompare(t, name, rng, dt, in, out, maps, fast)
		cases++
	}
	if cases < 1000 {
		t.Fatalf("only %d cases ran", cases)
	}
}

// padCompare runs one shape through both paths and compares them.
func padCompare(t *testing.T, name string, rng *rand.Rand, dt ir.DType, in, out []int64, maps [][]int, fast *padFast) {
	t.Helper()
	const guard = 7
	n := int(ir.NumElements(out))
	src := ir.NewTensor(dt, in)
	padRandom(rng, src.Data)
	srcCopy := ir.MakeSlice(dt, src.Len())
	mvOf(srcCopy).Copy(0, mvOf(src.Data), 0, src.Len())
	fill := ir.MakeSlice(dt, 1)
	padRandom(rng, fill)

	want := ir.MakeSlice(dt, n)
	mvMapped(mvOf(want), mvOf(src.Data), out, maps, mvOf(fill))

	buf := ir.MakeSlice(dt, n+2*guard)
	padGuard(buf)
	guardCopy := ir.MakeSlice(dt, n+2*guard)
	mvOf(guardCopy).Copy(0, mvOf(buf), 0, n+2*guard)
	got := padSub(buf, guard, guard+n)
	if !padWords(fast, got, src.Data, fill) {
		t.Fatalf("%s: fast path declined", name)
	}
	if !padBitsEqual(got, want) {
		t.Fatalf("%s: fast path differs\n got %v\nwant %v", name, got, want)
	}
	if !padBitsEqual(padSub(buf, 0, guard), padSub(guardCopy, 0, guard)) ||
		!padBitsEqual(padSub(buf, guard+n, n+2*guard), padSub(guardCopy, guard+n, n+2*guard)) {
		t.Fatalf("%s: guard region written", name)
	}
	if !padBitsEqual(src.Data, srcCopy) {
		t.Fatalf("%s: input modified", name)
	}
}

// padRandom fills a storage slice with random bit patterns.
func padRandom(rng *rand.Rand, data any) {
	p, n, w := padRaw(data)
	if n == 0 {
		return
	}
	b := unsafeBytes(p, n*w)
	for i := range b {
		b[i] = byte(rng.Intn(256))
	}
	if s, ok := data.([]bool); ok { // keep bools canonical
		for i := range s {
			s[i] = b[i]&1 == 1
		}
	}
}

// padGuard fills a storage slice with NaN (or all-ones) guard values.
func padGuard(data any) {
	if s, ok := data.([]float32); ok {
		for i := range s {
			s[i] = float32(math.NaN())
		}
		return
	}
	if s, ok := data.([]bool); ok {
		for i := range s {
			s[i] = true
		}
		return
	}
	p, n, w := padRaw(data)
	b := unsafeBytes(p, n*w)
	for i := range b {
		b[i] = 0xff
	}
}

// padSub returns data[i:j] of a storage slice.
func padSub(data any, i, j int) any {
	switch s := data.(type) {
	case []float32:
		return s[i:j]
	case []uint8:
		return s[i:j]
	case []ir.F16:
		return s[i:j]
	case []int64:
		return s[i:j]
	case []complex128:
		return s[i:j]
	case []bool:
		return s[i:j]
	}
	panic(fmt.Sprintf("BUG: padSub of %T", data))
}

// padBitsEqual reports whether two storage slices hold the same bits.
func padBitsEqual(a, b any) bool {
	pa, na, wa := padRaw(a)
	pb, nb, wb := padRaw(b)
	if na != nb || wa != wb {
		return false
	}
	if na == 0 {
		return true
	}
	return slices.Equal(unsafeBytes(pa, na*wa), unsafeBytes(pb, nb*wb))
}

// TestPadFastNoAllocs checks that a steady-state reflect Pad Run does not
// allocate.
func TestPadFastNoAllocs(t *testing.T) {
	in := []int64{1, 3, 20, 20}
	begin := []int64{0, 0, 2, 3}
	out := []int64{1, 3, 24, 26}
	fast := planPadFast(in, out, begin, mvPadReflect)
	src := make([]float32, ir.NumElements(in))
	for i := range src {
		src[i] = float32(i)
	}
	dst := make([]float32, ir.NumElements(out))
	fill := []float32{0}
	if n := allocstest.PerRun(20, func() { padWords(fast, dst, src, fill) }); n != 0 {
		t.Fatalf("%v allocations per run", n)
	}
}

// unsafeBytes views n bytes at p.
func unsafeBytes(p unsafe.Pointer, n int) []byte { return unsafe.Slice((*byte)(p), n) }

// BenchmarkPadReflect compares the fast path with the generic mapped path
// on a small style-transfer shaped reflect Pad.
func BenchmarkPadReflect(b *testing.B) {
	for _, sh := range [][]int64{{1, 24, 8, 8}, {1, 32, 64, 64}} {
		in := sh
		begin := []int64{0, 0, 1, 1}
		out := []int64{in[0], in[1], in[2] + 2, in[3] + 2}
		src := make([]float32, ir.NumElements(in))
		for i := range src {
			src[i] = float32(i)
		}
		dst := make([]float32, ir.NumElements(out))
		maps, _ := mvPadMaps(in, out, begin, mvPadReflect)
		fast := planPadFast(in, out, begin, mvPadReflect)
		b.Run(fmt.Sprintf("mapped/%v", in), func(b *testing.B) {
			for b.Loop() {
				mvMapped(mvOf(dst), mvOf(src), out, maps, mvSlice{})
			}
		})
		b.Run(fmt.Sprintf("fast/%v", in), func(b *testing.B) {
			for b.Loop() {
				padWords(fast, dst, src, nil)
			}
		})
	}
}

// TestCenterCropPadNoAllocs: CenterCropPad (cropping one axis, padding
// another) plans once per shape and allocates nothing per Run afterwards,
// and its result is the centred crop/pad.
func TestCenterCropPadNoAllocs(t *testing.T) {
	x := ir.NewTensor(ir.Float32, []int64{1, 3, 8, 8})
	xd := x.F32()
	for i := range xd {
		xd[i] = float32(i + 1)
	}
	shape := ir.NewTensor(ir.Int64, []int64{4})
	copy(shape.Data.([]int64), []int64{1, 3, 10, 6})
	in := []*ir.Tensor{x, shape}
	n := &ir.Node{Name: "n", Op: "CenterCropPad", Opset: 18, Attrs: ir.Attrs{}}
	var types []*ir.Type
	for i, tt := range in {
		v := &ir.Value{Name: fmt.Sprint("in", i), Type: ir.TypeOfTensor(tt)}
		n.Inputs = append(n.Inputs, v)
		types = append(types, &v.Type)
	}
	n.Outputs = []*ir.Value{{Name: "y"}}
	f, err := BuildNode(&Build{Node: n, InTypes: types, Level: isa.Current()})
	if err != nil {
		t.Fatal(err)
	}
	y := ir.NewTensor(ir.Float32, []int64{1, 3, 10, 6})
	c := &Ctx{Outs: make([]*ir.Tensor, 1), Planned: []*ir.Tensor{y}, Node: n}
	run := func() {
		if err := f(c, in); err != nil {
			t.Fatal(err)
		}
	}
	run()
	// Rows: one zero row above and below; columns: input columns 1..6.
	got := c.Outs[0].F32()
	for ch := range 3 {
		for r := range 10 {
			for col := range 6 {
				want := float32(0)
				if r >= 1 && r <= 8 {
					want = xd[(ch*8+r-1)*8+col+1]
				}
				if g := got[(ch*10+r)*6+col]; g != want {
					t.Fatalf("y[0,%d,%d,%d] = %v, want %v", ch, r, col, g, want)
				}
			}
		}
	}
	if n := allocstest.PerRun(20, run); n != 0 {
		t.Fatalf("%v allocations per Run, want 0", n)
	}
}

// TestPadPlanSize checks that Pad's plan for a long padded axis is small:
// the fast path's plan is proportional to the rank and the generic path's
// per-index maps are not made when the fast path runs (they were 8 bytes
// per output index, and the fast plan's border lists 16, so a uint8 Pad
// planned about 24 times its output).
func TestPadPlanSize(t *testing.T) {
	for _, mode := range []int{mvPadConstant, mvPadReflect, mvPadEdge, mvPadWrap} {
		const n = 1 << 22
		var before, after goruntime.MemStats
		goruntime.GC()
		goruntime.ReadMemStats(&before)
		p := newPadPlan([]int64{2, 3}, []int64{2, 3 + n}, []int64{0, n / 2}, mode)
		goruntime.ReadMemStats(&after)
		if p.fast == nil || p.maps != nil {
			t.Fatalf("mode %d: fast plan %v, maps made %v", mode, p.fast != nil, p.maps != nil)
		}
		if got := after.TotalAlloc - before.TotalAlloc; got > 64<<10 {
			t.Errorf("mode %d: planning a Pad to %d elements allocated %d bytes", mode, 2*(3+n), got)
		}
		// The plan still pads correctly (the ends of the long axis).
		src := []uint8{1, 2, 3, 4, 5, 6}
		dst := make([]uint8, 2*(3+n))
		if !padWords(p.fast, dst, src, []uint8{9}) {
			t.Fatal("padWords refused uint8")
		}
		maps, err := p.mapped()
		if err != nil {
			t.Fatal(err)
		}
		want := make([]uint8, len(dst))
		mvMapped(mvOf(want), mvOf(src), p.out, maps, mvOf([]uint8{9}))
		if !slices.Equal(dst, want) {
			t.Errorf("mode %d: the fast path and the mapped path differ", mode)
		}
	}
}
