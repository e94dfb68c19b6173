package kernels

import (
	"math"
	"math/rand"
	"slices"
	"sort"
	"testing"

	"github.com/nncc/nncc/ir"
)

// TestNMSOrderMatchesStableSort: the boxes are visited in the order of a
// stable sort by "greater score" (sort.SliceStable, what the kernel used
// before it kept its lists between Runs), also with tied and NaN scores,
// and repeated Runs of one step give the same selection.
func TestNMSOrderMatchesStableSort(t *testing.T) {
	rng := rand.New(rand.NewSource(9))
	const nb, nc, nbox = 2, 3, 60
	for trial := range 20 {
		boxes := ir.NewTensor(ir.Float32, []int64{nb, nbox, 4})
		for i := range boxes.F32() {
			boxes.F32()[i] = float32(rng.Intn(20))
		}
		scores := ir.NewTensor(ir.Float32, []int64{nb, nc, nbox})
		for i := range scores.F32() {
			scores.F32()[i] = float32(rng.Intn(8)) / 8 // many ties
			if rng.Intn(15) == 0 {
				scores.F32()[i] = float32(math.NaN())
			}
		}
		maxOut, iou, sth := ir.Scalar(int64(5+trial%4)), ir.Scalar(float32(0.4)), ir.Scalar(float32(0.1))
		n := &ir.Node{Name: "nms", Op: "NonMaxSuppression", Opset: 11, Attrs: ir.Attrs{}}
		f, err := buildNMS(&Build{Node: n})
		if err != nil {
			t.Fatal(err)
		}
		c := &Ctx{Outs: make([]*ir.Tensor, 1), Pool: Serial{}, Node: n}
		in := []*ir.Tensor{boxes, scores, maxOut, iou, sth}
		var first []int64
		for run := range 3 {
			if err := f(c, in); err != nil {
				t.Fatal(err)
			}
			got := append([]int64(nil), c.Outs[0].I64()...)
			if run == 0 {
				first = got
			} else if !slices.Equal(got, first) {
				t.Fatalf("trial %d: Run %d selected %v, Run 0 %v", trial, run, got, first)
			}
		}
		// The reference: the same selection with sort.SliceStable.
		var want []int64
		bx, sc := boxes.F32(), scores.F32()
		for b := range nb {
			for cl := range nc {
				s := sc[(b*nc+cl)*nbox:][:nbox]
				var order, kept []int
				for i, v := range s {
					if v > 0.1 {
						order = append(order, i)
					}
				}
				sort.SliceStable(order, func(i, j int) bool { return s[order[i]] > s[order[j]] })
				for _, i := range order {
					if int64(len(kept)) >= maxOut.I64()[0] {
						break
					}
					ok := true
					for _, k := range kept {
						if nmsSuppress(bx[(b*nbox+i)*4:][:4], bx[(b*nbox+k)*4:][:4], false, 0.4) {
							ok = false
							break
						}
					}
					if ok {
						kept = append(kept, i)
						want = append(want, int64(b), int64(cl), int64(i))
					}
				}
			}
		}
		if !slices.Equal(first, want) {
			t.Fatalf("trial %d: selected %v, stable sort %v", trial, first, want)
		}
	}
}
