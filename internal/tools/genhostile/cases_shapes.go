package main

import (
	"math"

	pb "github.com/nncc/nncc/frontend/onnx/onnxpb"
	"github.com/nncc/nncc/ir"
)

const (
	p20 = int64(1) << 20
	p40 = int64(1) << 40
	p62 = int64(1) << 62
)

// opGraph is y = nodes(x, inits...) with x: float[4] and an output of
// unknown type.
func opGraph(c *caseDir, nodes []*pb.NodeProto, inits ...*pb.TensorProto) error {
	g := &pb.GraphProto{
		Name:        "g",
		Input:       []*pb.ValueInfoProto{vi("x", ir.Float32, 4)},
		Initializer: inits,
		Node:        nodes,
		Output:      []*pb.ValueInfoProto{{Name: "y"}},
	}
	return c.writeModel(model(g), x4())
}

// shapeInputGraph is y = op(x, s) where s: int64[n] is a graph input
// (given by the test data set), so nothing can be folded at compile time.
func shapeInputGraph(c *caseDir, op string, s ...int64) error {
	g := &pb.GraphProto{
		Name:   "g",
		Input:  []*pb.ValueInfoProto{vi("x", ir.Float32, 4), vi("s", ir.Int64, len(s))},
		Node:   []*pb.NodeProto{node(op, ss("x", "s"), ss("y"))},
		Output: []*pb.ValueInfoProto{{Name: "y"}},
	}
	return c.writeModel(model(g), x4(), int64s("s", []int64{int64(len(s))}, s...))
}

// loopGraph is a Loop with the given trip count M (nil: omitted) and
// condition (nil: omitted) carrying x through an Identity body; scan adds
// a float[1024] scan output per iteration.
func loopGraph(c *caseDir, m *int64, cond *bool, scan bool) error {
	body := &pb.GraphProto{
		Name:   "body",
		Input:  []*pb.ValueInfoProto{vi("i", ir.Int64), vi("cond_in", ir.Bool), vi("v_in", ir.Float32, 4)},
		Node:   []*pb.NodeProto{node("Identity", ss("cond_in"), ss("cond_out")), node("Identity", ss("v_in"), ss("v_out"))},
		Output: []*pb.ValueInfoProto{vi("cond_out", ir.Bool), vi("v_out", ir.Float32, 4)},
	}
	var inits []*pb.TensorProto
	in := []string{"", "", "x"}
	outs := ss("y")
	if m != nil {
		inits = append(inits, int64s("M", nil, *m))
		in[0] = "M"
	}
	if cond != nil {
		inits = append(inits, bools("C", *cond))
		in[1] = "C"
	}
	if scan {
		inits = append(inits, &pb.TensorProto{Name: "big", DataType: int32(ir.Float32), Dims: []int64{1024}, RawData: make([]byte, 4096)})
		body.Node = append(body.Node, node("Identity", ss("big"), ss("e")))
		body.Output = append(body.Output, vi("e", ir.Float32, 1024))
		outs = append(outs, "scan")
	}
	g := &pb.GraphProto{
		Name:        "g",
		Input:       []*pb.ValueInfoProto{vi("x", ir.Float32, 4)},
		Initializer: inits,
		Node:        []*pb.NodeProto{node("Loop", in, outs, graphAttr("body", body))},
		Output:      []*pb.ValueInfoProto{{Name: "y"}},
	}
	if scan {
		g.Output = append(g.Output, &pb.ValueInfoProto{Name: "scan"})
	}
	return c.writeModel(model(g), x4())
}

func ptr[T any](v T) *T { return &v }

// doubling returns n Concat nodes, each concatenating the previous result
// with itself: 4·2^n elements from a file of a few hundred bytes.
func doubling(n int) []*pb.NodeProto {
	var out []*pb.NodeProto
	prev := "x"
	for i := 0; i < n; i++ {
		name := "c" + itoa(i)
		if i == n-1 {
			name = "y"
		}
		out = append(out, node("Concat", ss(prev, prev), ss(name), intAttr("axis", 0)))
		prev = name
	}
	return out
}

// shapeCases ask for huge, negative or overflowing shapes and unbounded
// work, at compile time (constant shapes) and at run time (shapes from
// inputs).
var shapeCases = []hostileCase{
	{Name: "shape_constantofshape_2p40", Group: "huge shapes and work", What: "ConstantOfShape to [2^20, 2^20] (constant shape)", Expect: "elements|arena bytes",
		build: func(c *caseDir) error {
			return opGraph(c, []*pb.NodeProto{node("ConstantOfShape", ss("s"), ss("y"))}, int64s("s", []int64{2}, p20, p20))
		}},
	{Name: "shape_constantofshape_2p40_input", Group: "huge shapes and work", What: "ConstantOfShape to [2^20, 2^20] (shape from an input)", Expect: "elements|arena bytes",
		build: func(c *caseDir) error {
			g := &pb.GraphProto{
				Name:   "g",
				Input:  []*pb.ValueInfoProto{vi("s", ir.Int64, 2)},
				Node:   []*pb.NodeProto{node("ConstantOfShape", ss("s"), ss("y"))},
				Output: []*pb.ValueInfoProto{{Name: "y"}},
			}
			return c.writeModel(model(g), int64s("s", []int64{2}, p20, p20))
		}},
	{Name: "shape_constantofshape_negative", Group: "huge shapes and work", What: "ConstantOfShape to [-1, 4]", Expect: "negative",
		build: func(c *caseDir) error {
			return opGraph(c, []*pb.NodeProto{node("ConstantOfShape", ss("s"), ss("y"))}, int64s("s", []int64{2}, -1, 4))
		}},
	{Name: "shape_constantofshape_wrap", Group: "huge shapes and work", What: "ConstantOfShape to [2^62, 4] (count wraps to 0)", Expect: "elements|arena bytes",
		build: func(c *caseDir) error {
			return opGraph(c, []*pb.NodeProto{node("ConstantOfShape", ss("s"), ss("y"))}, int64s("s", []int64{2}, p62, 4))
		}},
	{Name: "shape_expand_2p40", Group: "huge shapes and work", What: "Expand float[4] to [2^20, 2^18, 4] (constant shape)", Expect: "elements|arena bytes",
		build: func(c *caseDir) error {
			return opGraph(c, []*pb.NodeProto{node("Expand", ss("x", "s"), ss("y"))}, int64s("s", []int64{3}, p20, 1<<18, 4))
		}},
	{Name: "shape_expand_2p40_input", Group: "huge shapes and work", What: "Expand float[4] to [2^20, 2^18, 4] (shape from an input)", Expect: "elements|arena bytes",
		build: func(c *caseDir) error { return shapeInputGraph(c, "Expand", p20, 1<<18, 4) }},
	{Name: "shape_reshape_huge", Group: "huge shapes and work", What: "Reshape float[4] to [2^40]", Expect: "cannot reshape",
		build: func(c *caseDir) error {
			return opGraph(c, []*pb.NodeProto{node("Reshape", ss("x", "s"), ss("y"))}, int64s("s", []int64{1}, p40))
		}},
	{Name: "shape_reshape_wrap", Group: "huge shapes and work", What: "Reshape float[4] to [2^62+1, 4] (the product wraps to exactly 4)", Expect: "too many elements",
		build: func(c *caseDir) error {
			return opGraph(c, []*pb.NodeProto{node("Reshape", ss("x", "s"), ss("y"))}, int64s("s", []int64{2}, p62+1, 4))
		}},
	{Name: "shape_reshape_wrap_input", Group: "huge shapes and work", What: "Reshape float[4] to [2^62+1, 4] (shape from an input)", Expect: "too many elements",
		build: func(c *caseDir) error { return shapeInputGraph(c, "Reshape", p62+1, 4) }},
	{Name: "shape_tile_2p40", Group: "huge shapes and work", What: "Tile float[4] by 2^38", Expect: "elements|arena bytes",
		build: func(c *caseDir) error {
			return opGraph(c, []*pb.NodeProto{node("Tile", ss("x", "r"), ss("y"))}, int64s("r", []int64{1}, 1<<38))
		}},
	{Name: "shape_tile_2p40_input", Group: "huge shapes and work", What: "Tile float[4] by 2^38 (repeats from an input)", Expect: "elements|arena bytes",
		build: func(c *caseDir) error { return shapeInputGraph(c, "Tile", 1<<38) }},
	{Name: "shape_tile_negative", Group: "huge shapes and work", What: "Tile float[4] by -2", Expect: "negative",
		build: func(c *caseDir) error {
			return opGraph(c, []*pb.NodeProto{node("Tile", ss("x", "r"), ss("y"))}, int64s("r", []int64{1}, -2))
		}},
	{Name: "shape_range_2p40", Group: "huge shapes and work", What: "Range(0, 2^40, 1) in int64", Expect: "elements|arena bytes",
		build: func(c *caseDir) error {
			return opGraph(c, []*pb.NodeProto{node("Range", ss("a", "b", "d"), ss("y"))},
				int64s("a", nil, 0), int64s("b", nil, p40), int64s("d", nil, 1))
		}},
	{Name: "shape_range_zero_delta", Group: "huge shapes and work", What: "Range(0, 10, 0) in int64", Expect: "delta is 0",
		build: func(c *caseDir) error {
			return opGraph(c, []*pb.NodeProto{node("Range", ss("a", "b", "d"), ss("y"))},
				int64s("a", nil, 0), int64s("b", nil, 10), int64s("d", nil, 0))
		}},
	{Name: "shape_range_extreme", Group: "huge shapes and work", What: "Range(-2^63, 2^63-1, 1) in int64 (limit - start overflows)", Expect: "too many elements",
		build: func(c *caseDir) error {
			return opGraph(c, []*pb.NodeProto{node("Range", ss("a", "b", "d"), ss("y"))},
				int64s("a", nil, math.MinInt64), int64s("b", nil, math.MaxInt64), int64s("d", nil, 1))
		}},
	{Name: "shape_range_inf", Group: "huge shapes and work", What: "Range(0, +Inf, 1) in float", Expect: "too many elements",
		build: func(c *caseDir) error {
			return opGraph(c, []*pb.NodeProto{node("Range", ss("a", "b", "d"), ss("y"))},
				floats("a", nil, 0), floats("b", nil, float32(math.Inf(1))), floats("d", nil, 1))
		}},
	{Name: "shape_range_nan", Group: "huge shapes and work", What: "Range(0, NaN, 1) in float: an empty range, as max(ceil(NaN), 0) is taken as 0", Outcome: "runs",
		build: func(c *caseDir) error {
			return opGraph(c, []*pb.NodeProto{node("Range", ss("a", "b", "d"), ss("y"))},
				floats("a", nil, 0), floats("b", nil, float32(math.NaN())), floats("d", nil, 1))
		}},
	{Name: "shape_pad_2p40", Group: "huge shapes and work", What: "Pad float[4] with 2^40 zeros at the end", Expect: "elements|arena bytes",
		build: func(c *caseDir) error {
			return opGraph(c, []*pb.NodeProto{node("Pad", ss("x", "p"), ss("y"))}, int64s("p", []int64{2}, 0, p40))
		}},
	{Name: "shape_pad_negative", Group: "huge shapes and work", What: "Pad float[4] with pads [-10, 0] (crop past the start)", Expect: "negative",
		build: func(c *caseDir) error {
			return opGraph(c, []*pb.NodeProto{node("Pad", ss("x", "p"), ss("y"))}, int64s("p", []int64{2}, -10, 0))
		}},
	{Name: "shape_onehot_2p40", Group: "huge shapes and work", What: "OneHot with depth 2^40", Expect: "elements|arena bytes",
		build: func(c *caseDir) error {
			return opGraph(c, []*pb.NodeProto{node("OneHot", ss("i", "d", "v"), ss("y"))},
				int64s("i", []int64{2}, 0, 1), int64s("d", nil, p40), floats("v", []int64{2}, 0, 1))
		}},
	{Name: "shape_concat_doubling", Group: "huge shapes and work", What: "40 Concats each doubling float[4] (4·2^40 elements from a 1 KiB file)", Expect: "elements|arena bytes",
		build: func(c *caseDir) error { return opGraph(c, doubling(40)) }},
	{Name: "shape_gather_out_of_range", Group: "huge shapes and work", What: "Gather index 1000 from float[4]", Expect: "out of range",
		build: func(c *caseDir) error {
			return opGraph(c, []*pb.NodeProto{node("Gather", ss("x", "i"), ss("y"))}, int64s("i", []int64{1}, 1000))
		}},
	{Name: "shape_gather_min_int", Group: "huge shapes and work", What: "Gather index -2^63 from float[4]", Expect: "out of range",
		build: func(c *caseDir) error {
			return opGraph(c, []*pb.NodeProto{node("Gather", ss("x", "i"), ss("y"))}, int64s("i", []int64{1}, math.MinInt64))
		}},
	{Name: "shape_topk_huge_k", Group: "huge shapes and work", What: "TopK with k = 2^40 on float[4]", Expect: "exceeds axis size",
		build: func(c *caseDir) error {
			return opGraph(c, []*pb.NodeProto{node("TopK", ss("x", "k"), ss("y", "idx"))}, int64s("k", []int64{1}, p40))
		}},
	{Name: "shape_conv_zero_stride", Group: "huge shapes and work", What: "Conv with strides [0]", Expect: "must be positive",
		build: func(c *caseDir) error {
			g := &pb.GraphProto{
				Name:        "g",
				Input:       []*pb.ValueInfoProto{vi("x", ir.Float32, 1, 1, 4)},
				Initializer: []*pb.TensorProto{floats("w", []int64{1, 1, 2}, 1, 1)},
				Node: []*pb.NodeProto{node("Conv", ss("x", "w"), ss("y"),
					&pb.AttributeProto{Name: "strides", Type: pb.AttributeProto_INTS, Ints: []int64{0}})},
				Output: []*pb.ValueInfoProto{{Name: "y"}},
			}
			return c.writeModel(model(g), floats("x", []int64{1, 1, 4}, 1, 2, 3, 4))
		}},
	{Name: "loop_trip_2p40", Group: "loops", What: "Loop with trip count 2^40 and no condition", Expect: "iterations",
		build: func(c *caseDir) error { return loopGraph(c, ptr(p40), nil, false) }},
	{Name: "loop_trip_2p40_cond", Group: "loops", What: "Loop with trip count 2^40 and a condition that stays true", Expect: "iterations",
		build: func(c *caseDir) error { return loopGraph(c, ptr(p40), ptr(true), false) }},
	{Name: "loop_infinite", Group: "loops", What: "Loop without trip count whose condition stays true", Expect: "iterations",
		build: func(c *caseDir) error { return loopGraph(c, nil, ptr(true), false) }},
	{Name: "loop_scan_blowup", Group: "loops", What: "Loop of 2^24 iterations each scanning out float[1024] (64 GiB in total)", Expect: "elements|arena bytes",
		build: func(c *caseDir) error { return loopGraph(c, ptr(int64(1)<<24), nil, true) }},
}
