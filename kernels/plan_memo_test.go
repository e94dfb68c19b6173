package kernels

import (
	"math/rand"
	"reflect"
	"testing"

	"github.com/nncc/nncc/internal/allocstest"
	"github.com/nncc/nncc/ir"
)

// TestPlanMemoKeys checks that keys tell apart what plans depend on: the
// split of dims between shapes, absent and empty inputs, the dtype of an
// integer input, and that a stored key is a copy.
func TestPlanMemoKeys(t *testing.T) {
	var kb1, kb2 memoKey
	a := memoShapes(kb1[:0], []int64{2, 3}, []int64{4})
	b := memoShapes(kb2[:0], []int64{2}, []int64{3, 4})
	if reflect.DeepEqual(a, b) {
		t.Errorf("shapes [2 3],[4] and [2],[3 4] share key %v", a)
	}
	absent, _ := memoInts(kb1[:0], nil)
	empty, _ := memoInts(kb2[:0], ir.NewTensor(ir.Int64, []int64{0}))
	if reflect.DeepEqual(absent, empty) {
		t.Errorf("absent and empty inputs share key %v", absent)
	}
	i32 := ir.NewTensor(ir.Int32, []int64{2})
	i64 := ir.NewTensor(ir.Int64, []int64{2})
	k32, ok32 := memoInts(kb1[:0], i32)
	k64, ok64 := memoInts(kb2[:0], i64)
	if !ok32 || !ok64 || reflect.DeepEqual(k32, k64) {
		t.Errorf("int32 and int64 inputs: keys %v %v (ok %v %v)", k32, k64, ok32, ok64)
	}
	if _, ok := memoInts(kb1[:0], ir.NewTensor(ir.Float32, []int64{2})); ok {
		t.Errorf("a float input was accepted as integer key material")
	}
	var m planMemo[int]
	var kb memoKey
	key := memoShape(kb[:0], []int64{5, 6})
	m.put(key, 7)
	key[1] = 9 // the stored key must be a copy
	if _, ok := m.get(memoShape(kb1[:0], []int64{5, 6})); !ok {
		t.Errorf("stored key changed with the caller's buffer")
	}
	if _, ok := m.get(memoShape(kb1[:0], []int64{5, 7})); ok {
		t.Errorf("a different key hit")
	}
}

// TestMemoKernelsSteadyState runs kernels that remember per-shape plans
// with their outputs planned: a repeated call allocates nothing, and after
// a call with other shapes (the memo misses) the results are those of a
// freshly built kernel.
func TestMemoKernelsSteadyState(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	i64 := func(v ...int64) *ir.Tensor {
		return &ir.Tensor{DType: ir.Int64, Shape: []int64{int64(len(v))}, Data: v}
	}
	cond := func(shape ...int64) *ir.Tensor {
		c := ir.NewTensor(ir.Bool, shape)
		for i := range c.Data.([]bool) {
			c.Data.([]bool)[i] = rng.Intn(2) == 0
		}
		return c
	}
	cases := []struct {
		op            string
		attrs         ir.Attrs
		nOut          int
		steady, other []*ir.Tensor
	}{
		{"Concat", nntAttrs("axis", 1), 1,
			[]*ir.Tensor{nntRand(rng, 2, 3, 4), nntRand(rng, 2, 5, 4)}, []*ir.Tensor{nntRand(rng, 2, 1, 4), nntRand(rng, 2, 2, 4)}},
		{"Split", nntAttrs("axis", 2), 2,
			[]*ir.Tensor{nntRand(rng, 2, 3, 6), i64(2, 4)}, []*ir.Tensor{nntRand(rng, 2, 3, 5), i64(1, 4)}},
		{"Pad", nntAttrs("mode", "reflect"), 1,
			[]*ir.Tensor{nntRand(rng, 2, 5, 6), i64(0, 1, 2, 0, 2, 1)}, []*ir.Tensor{nntRand(rng, 2, 5, 6), i64(0, 2, 1, 0, 1, 2)}},
		{"ReduceMean", nntAttrs("keepdims", 0), 1,
			[]*ir.Tensor{nntRand(rng, 3, 4, 5), i64(0, 2)}, []*ir.Tensor{nntRand(rng, 3, 4, 5), i64(1)}},
		{"ReduceLogSumExp", nil, 1,
			[]*ir.Tensor{nntRand(rng, 3, 4, 5), i64(1)}, []*ir.Tensor{nntRand(rng, 4, 3, 5), i64(-1)}},
		{"Sum", nil, 1,
			[]*ir.Tensor{nntRand(rng, 2, 3, 4), nntRand(rng, 4), nntRand(rng, 3, 1)}, []*ir.Tensor{nntRand(rng, 3, 4), nntRand(rng, 2, 1, 4), nntRand(rng, 1)}},
		{"Where", nil, 1,
			[]*ir.Tensor{cond(3, 1), nntRand(rng, 2, 3, 4), nntRand(rng, 4)}, []*ir.Tensor{cond(4), nntRand(rng, 3, 1), nntRand(rng, 3, 4)}},
		{"Slice", nil, 1,
			[]*ir.Tensor{nntRand(rng, 4, 9), i64(1, 8), i64(4, 0), i64(0, 1), i64(2, -3)},
			[]*ir.Tensor{nntRand(rng, 4, 9), i64(0, 1), i64(3, 9), i64(0, 1), i64(1, 2)}},
		{"Expand", nil, 1,
			[]*ir.Tensor{nntRand(rng, 3, 1), i64(2, 3, 4)}, []*ir.Tensor{nntRand(rng, 1, 4), i64(3, 1)}},
		{"Squeeze", nil, 1,
			[]*ir.Tensor{nntRand(rng, 3, 1, 4), i64(1)}, []*ir.Tensor{nntRand(rng, 1, 3, 1), i64(0, 2)}},
		{"Unsqueeze", nil, 1,
			[]*ir.Tensor{nntRand(rng, 3, 4), i64(0, 3)}, []*ir.Tensor{nntRand(rng, 3, 4), i64(1)}},
	}
	for _, tc := range cases {
		build := func() Func {
			n := &ir.Node{Name: tc.op, Op: tc.op, Opset: 18, Attrs: tc.attrs}
			for range tc.nOut {
				n.Outputs = append(n.Outputs, &ir.Value{})
			}
			if n.Attrs == nil {
				n.Attrs = ir.Attrs{}
			}
			f, err := BuildNode(&Build{Node: n})
			if err != nil {
				t.Fatalf("%s: %v", tc.op, err)
			}
			return f
		}
		run := func(f Func, c *Ctx, in []*ir.Tensor) {
			clear(c.Outs)
			if err := f(c, in); err != nil {
				t.Fatalf("%s: %v", tc.op, err)
			}
		}
		call := func(f Func, c *Ctx, in []*ir.Tensor) []*ir.Tensor {
			run(f, c, in)
			return append([]*ir.Tensor{}, c.Outs...)
		}
		f := build()
		c := &Ctx{Outs: make([]*ir.Tensor, tc.nOut), Pool: Serial{}}
		first := call(f, c, tc.steady)
		c.Planned = make([]*ir.Tensor, tc.nOut)
		for i, o := range first {
			c.Planned[i] = ir.NewTensor(o.DType, o.Shape)
		}
		call(f, c, tc.steady)
		if got := allocstest.PerRun(20, func() { run(f, c, tc.steady) }); got != 0 {
			t.Errorf("%s: %v allocations per steady-state call", tc.op, got)
		}
		// Other shapes, then the steady shapes again: same results as a
		// kernel that never saw anything else.
		c.Planned = nil
		for _, in := range [][]*ir.Tensor{tc.other, tc.steady} {
			got := call(f, c, in)
			want := call(build(), &Ctx{Outs: make([]*ir.Tensor, tc.nOut), Pool: Serial{}}, in)
			for i := range want {
				if !reflect.DeepEqual(got[i].Shape, want[i].Shape) || !reflect.DeepEqual(got[i].Data, want[i].Data) {
					t.Errorf("%s output %d: got %v %v, want %v %v", tc.op, i, got[i].Shape, got[i].Data, want[i].Shape, want[i].Data)
				}
			}
		}
	}
}
