package kernels

import (
	"testing"
)

// naiveOffset maps an output flat index to an input flat index by the
// numpy rule, dim by dim, without any collapsing.
func naiveOffset(out []int64, in []int64, idx int) int {
	rank := len(out)
	coord := make([]int64, rank)
	for k := rank - 1; k >= 0; k-- {
		coord[k] = int64(idx) % out[k]
		idx /= int(out[k])
	}
	off, acc := 0, 1
	for k := len(in) - 1; k >= 0; k-- {
		c := coord[rank-len(in)+k]
		if in[k] == 1 {
			c = 0
		}
		off += int(c) * acc
		acc *= int(in[k])
	}
	return off
}

func TestBroadcastRunsMatchNaive(t *testing.T) {
	cases := [][][]int64{
		{{2, 3, 4}, {2, 3, 4}},
		{{2, 3, 4}, {4}},
		{{2, 3, 4}, {}},
		{{2, 3, 4}, {3, 1}},
		{{2, 1, 4}, {1, 3, 1}},
		{{1}, {5, 1}, {1, 6}},
		{{3, 1, 5}, {3, 4, 1}, {1}},
		{{2, 3, 4, 5}, {3, 1, 5}},
		{{1, 1}, {1}},
		{{0, 3}, {3}},
		{{7, 1, 1, 2}, {1, 2}},
	}
	for _, shapes := range cases {
		b, err := NewBroadcast(shapes...)
		if err != nil {
			t.Fatalf("%v: %v", shapes, err)
		}
		// Every split point must give the same mapping.
		for _, split := range []int{0, 1, 3, b.Size / 2, b.Size} {
			seen := make([]int, b.Size)
			check := func(lo, hi int) {
				b.Runs(lo, hi, func(out, n int, offs []int) {
					for j := 0; j < n; j++ {
						seen[out+j]++
						for i, s := range shapes {
							want := naiveOffset(b.Shape, s, out+j)
							got := offs[i] + j*b.InnerStride(i)
							if got != want {
								t.Fatalf("%v input %d out %d: offset %d, want %d", shapes, i, out+j, got, want)
							}
							if o := b.Offset(i, out+j); o != want {
								t.Fatalf("%v input %d out %d: Offset %d, want %d", shapes, i, out+j, o, want)
							}
						}
					}
				})
			}
			if split > b.Size {
				split = b.Size
			}
			check(0, split)
			check(split, b.Size)
			for i, n := range seen {
				if n != 1 {
					t.Fatalf("%v split %d: output %d visited %d times", shapes, split, i, n)
				}
			}
		}
	}
}

func TestBroadcastFlags(t *testing.T) {
	b, err := NewBroadcast([]int64{2, 3}, []int64{1, 1}, []int64{1, 2, 3})
	if err != nil {
		t.Fatal(err)
	}
	if !b.Same(0) || !b.Scalar(1) || b.Same(1) || !b.Same(2) {
		t.Fatalf("flags wrong: same %v scalar %v", b.same, b.scalar)
	}
	if _, err := NewBroadcast([]int64{2, 3}, []int64{4}); err == nil {
		t.Fatal("expected an error for incompatible shapes")
	}
	if _, err := NewBroadcastTo([]int64{3}, []int64{2, 3}); err == nil {
		t.Fatal("expected an error for an input of higher rank")
	}
}

func TestLegacyBroadcastShape(t *testing.T) {
	cases := []struct {
		a, b    []int64
		axis    int64
		hasAxis bool
		want    []int64
		err     bool
	}{
		{a: []int64{2, 3, 4, 5}, b: []int64{5}, want: []int64{1, 1, 1, 5}},
		{a: []int64{2, 3, 4, 5}, b: []int64{4, 5}, want: []int64{1, 1, 4, 5}},
		{a: []int64{2, 3, 4, 5}, b: []int64{3, 4}, axis: 1, hasAxis: true, want: []int64{1, 3, 4, 1}},
		{a: []int64{2, 3, 4, 5}, b: []int64{2}, axis: 0, hasAxis: true, want: []int64{2, 1, 1, 1}},
		{a: []int64{2, 3, 4, 5}, b: []int64{1}, want: []int64{}},
		{a: []int64{2, 3}, b: []int64{4}, err: true},
		{a: []int64{2, 3}, b: []int64{3}, axis: 1, hasAxis: true, want: []int64{1, 3}},
		{a: []int64{2, 3}, b: []int64{3}, axis: 2, hasAxis: true, err: true},
	}
	for _, c := range cases {
		got, err := LegacyBroadcastShape(c.a, c.b, c.axis, c.hasAxis)
		if (err != nil) != c.err {
			t.Fatalf("%v %v axis %d: err %v", c.a, c.b, c.axis, err)
		}
		if err == nil && !ewShapeEq(got, c.want) {
			t.Fatalf("%v %v axis %d: got %v want %v", c.a, c.b, c.axis, got, c.want)
		}
	}
}

func TestBroadcastCopy(t *testing.T) {
	b, err := NewBroadcastTo([]int64{2, 3}, []int64{2, 1})
	if err != nil {
		t.Fatal(err)
	}
	dst := make([]int32, 6)
	BroadcastCopy(b, dst, []int32{7, 9})
	want := []int32{7, 7, 7, 9, 9, 9}
	for i := range want {
		if dst[i] != want[i] {
			t.Fatalf("got %v want %v", dst, want)
		}
	}
}
